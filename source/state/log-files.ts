import {closeSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import type {LogFiles, LogSink} from '../core/adapters.js';
import {ensurePrivateDirectory} from './state-directory.js';

/**
 * `logs/ID.log`: a run's whole output, written line by line with plain synchronous writes, so a
 * crash loses nothing already said and a full or read-only disk costs the log, never the run.
 */
export class LogFileStore implements LogFiles {
	readonly directory: string;

	constructor(stateDirectory: string) {
		this.directory = path.join(stateDirectory, 'logs');
	}

	open(releaseId: string): LogSink {
		ensurePrivateDirectory(this.directory);
		const file = path.join(this.directory, `${releaseId}.log`);
		let descriptor: number | undefined = openSync(file, 'a', 0o600);
		return {
			file,
			write(line) {
				if (descriptor === undefined) return;
				try {
					writeSync(descriptor, `${line}\n`);
				} catch {
					closeSync(descriptor);
					descriptor = undefined;
				}
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
