import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {Audit} from '../core/adapters.js';
import type {AuditEntry} from '../core/audit.js';
import {printableRecord} from '../core/terminal-text.js';
import {appendLine, ensurePrivateDirectory, onStateFile} from './state-files.js';

function isAuditEntry(value: unknown): value is AuditEntry {
	const entry = value as Partial<Record<keyof AuditEntry, unknown>> | null;
	return typeof entry === 'object' && entry !== null && typeof entry.at === 'string' && typeof entry.action === 'string' && typeof entry.outcome === 'string' && typeof entry.operator === 'string';
}

/**
 * Append-only JSON lines, one fsync'd write per entry (state-files.ts#appendLine), so concurrent
 * writers interleave whole lines and a crash can at worst tear the last one, which the next
 * append ends and every reader skips with a warning.
 */
export class AuditLog implements Audit {
	readonly file: string;

	constructor(stateDirectory: string, private readonly warn: (message: string) => void = () => undefined) {
		this.file = path.join(stateDirectory, 'audit.jsonl');
	}

	append(entry: AuditEntry): void {
		ensurePrivateDirectory(path.dirname(this.file));
		appendLine(this.file, JSON.stringify(entry));
	}

	read(): AuditEntry[] {
		if (!existsSync(this.file)) return [];
		const text = onStateFile('read', this.file, () => readFileSync(this.file, 'utf8'));
		return text.split('\n').flatMap((line, index) => {
			if (!line.trim()) return [];
			try {
				const entry: unknown = JSON.parse(line);
				if (isAuditEntry(entry)) return [printableRecord(entry)];
			} catch {
				// Reported below, like a line of the wrong shape.
			}

			this.warn(`skipped a damaged line in ${this.file}:${index + 1}`);
			return [];
		});
	}
}
