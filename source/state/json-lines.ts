import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {printableRecord} from '../core/terminal-text.js';
import {appendLine, ensurePrivateDirectory, onStateFile} from './state-files.js';

/**
 * Append-only JSON lines (0600, one fsync'd write per record: state-files.ts#appendLine), so
 * concurrent writers interleave whole lines and a crash can at worst tear the last one, which the
 * next append ends and every reader skips with a warning, never reading it as a record.
 */
export class JsonLinesFile<T> {
	constructor(readonly file: string, private readonly isRecord: (value: unknown) => value is T, private readonly warn: (message: string) => void) {}

	append(record: T): void {
		ensurePrivateDirectory(path.dirname(this.file));
		appendLine(this.file, JSON.stringify(record));
	}

	/** Every well-formed record, oldest first, with text from outside made printable. */
	read(): T[] {
		if (!existsSync(this.file)) return [];
		const text = onStateFile('read', this.file, () => readFileSync(this.file, 'utf8'));
		return text.split('\n').flatMap((line, index) => {
			if (!line.trim()) return [];
			try {
				const record: unknown = JSON.parse(line);
				if (this.isRecord(record)) return [printableRecord(record)];
			} catch {
				// Reported below, like a line of the wrong shape.
			}

			this.warn(`skipped a damaged line in ${this.file}:${index + 1}`);
			return [];
		});
	}
}
