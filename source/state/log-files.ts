import {closeSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import type {LogFiles, LogSink} from '../core/adapters.js';
import {ensurePrivateDirectory, onStateFile} from './state-files.js';

/** Largest log a run keeps; past it one line says so and the rest is dropped (the screen still shows the latest lines). */
export const logCapBytes = 64 * 1024 * 1024;

/**
 * `logs/ID.log`: a run's whole output up to a stated cap, written line by line with plain
 * synchronous writes, so a crash loses nothing already said and a full or read-only disk costs
 * the log, never the run.
 */
export class LogFileStore implements LogFiles {
	readonly directory: string;

	constructor(stateDirectory: string, private readonly capBytes = logCapBytes) {
		this.directory = path.join(stateDirectory, 'logs');
	}

	open(releaseId: string): LogSink {
		ensurePrivateDirectory(this.directory);
		const file = path.join(this.directory, `${releaseId}.log`);
		let descriptor: number | undefined = onStateFile('open the log', file, () => openSync(file, 'a', 0o600));
		let written = 0;
		const cap = this.capBytes;
		return {
			file,
			write(line) {
				if (descriptor === undefined) return;
				const text = `${line}\n`;
				try {
					written += Buffer.byteLength(text);
					if (written <= cap) {
						writeSync(descriptor, text);
						return;
					}

					writeSync(descriptor, `… the log stops here: it reached ${Math.round(cap / 1024 / 1024)} MiB, the most a run keeps\n`);
				} catch {
					// A full or vanished disk: the run goes on without its log.
				}

				closeSync(descriptor);
				descriptor = undefined;
			},
			close() {
				if (descriptor !== undefined) closeSync(descriptor);
				descriptor = undefined;
			},
		};
	}

	contextFile(releaseId: string, stepId: string): string {
		ensurePrivateDirectory(this.directory);
		return path.join(this.directory, `${releaseId}.${stepId}.context.json`);
	}
}
