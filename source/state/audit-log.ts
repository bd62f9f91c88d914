import path from 'node:path';
import type {Audit} from '../core/adapters.js';
import type {AuditEntry} from '../core/audit.js';
import {JsonLinesFile} from './json-lines.js';

function isAuditEntry(value: unknown): value is AuditEntry {
	const entry = value as Partial<Record<keyof AuditEntry, unknown>> | null;
	return typeof entry === 'object' && entry !== null && typeof entry.at === 'string' && typeof entry.action === 'string' && typeof entry.outcome === 'string' && typeof entry.operator === 'string';
}

/** `audit.jsonl`: who did what, where, when and how it ended, a line per entry (json-lines.ts says how lines survive crashes and concurrent writers). */
export class AuditLog extends JsonLinesFile<AuditEntry> implements Audit {
	constructor(stateDirectory: string, warn: (message: string) => void = () => undefined) {
		super(path.join(stateDirectory, 'audit.jsonl'), isAuditEntry, warn);
	}
}
