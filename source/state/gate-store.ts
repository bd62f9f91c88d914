import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {GateRecords} from '../core/adapters.js';
import {isGateRecord, type GateRecord} from '../core/gate-records.js';
import {printableRecord} from '../core/terminal-text.js';
import {appendLine, ensurePrivateDirectory, onStateFile} from './state-files.js';

/**
 * Hold releases and approvals as append-only JSON lines (0600, one fsync'd write each, like the
 * audit log): concurrent operators interleave whole lines, and a line torn by a crash is skipped
 * with a warning, never read as a release or an approval.
 */
export class GateStore implements GateRecords {
	readonly file: string;

	constructor(stateDirectory: string, private readonly warn: (message: string) => void = () => undefined) {
		this.file = path.join(stateDirectory, 'gates.jsonl');
	}

	append(record: GateRecord): void {
		ensurePrivateDirectory(path.dirname(this.file));
		appendLine(this.file, JSON.stringify(record));
	}

	list(): GateRecord[] {
		if (!existsSync(this.file)) return [];
		const text = onStateFile('read', this.file, () => readFileSync(this.file, 'utf8'));
		return text.split('\n').flatMap((line, index) => {
			if (!line.trim()) return [];
			try {
				const record: unknown = JSON.parse(line);
				if (isGateRecord(record)) return [printableRecord(record)];
			} catch {
				// Reported below, like a line of the wrong shape.
			}

			this.warn(`skipped a damaged line in ${this.file}:${index + 1}`);
			return [];
		});
	}
}
