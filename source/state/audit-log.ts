import {closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync} from 'node:fs';
import path from 'node:path';
import {ensurePrivateDirectory} from './state-directory.js';
import type {Audit} from '../core/adapters.js';
import type {AuditEntry} from '../core/audit.js';

/**
 * Append-only JSON lines. Each entry is one write(2) on an O_APPEND descriptor, then fsync, so
 * concurrent writers interleave whole lines and a crash can at worst lose the last line, which
 * the reader skips rather than misreads.
 */
export class AuditLog implements Audit {
	readonly file: string;

	constructor(stateDirectory: string) {
		this.file = path.join(stateDirectory, 'audit.jsonl');
	}

	append(entry: AuditEntry): void {
		ensurePrivateDirectory(path.dirname(this.file));
		const descriptor = openSync(this.file, 'a', 0o600);
		try {
			writeSync(descriptor, `${JSON.stringify(entry)}\n`);
			fsyncSync(descriptor);
		} finally {
			closeSync(descriptor);
		}
	}

	read(): AuditEntry[] {
		if (!existsSync(this.file)) return [];
		return readFileSync(this.file, 'utf8').split('\n').flatMap(line => {
			try {
				return line ? [JSON.parse(line) as AuditEntry] : [];
			} catch {
				return [];
			}
		});
	}
}
