import {closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync} from 'node:fs';
import path from 'node:path';
import type {OperatorIdentity} from './operator.js';

/** One line of the audit log: who did what, where, when, and how it ended. */
export type AuditEntry = {
	readonly at: string;
	readonly operator: string;
	readonly host: string;
	readonly sshClient: string | null;
	readonly action: string;
	readonly env: string | null;
	readonly outcome: string;
	readonly release?: string;
	readonly commit?: string;
	readonly detail?: string;
};

/**
 * Append-only JSON lines. Each entry is one write(2) on an O_APPEND descriptor, then fsync, so
 * concurrent writers interleave whole lines and a crash can at worst lose the last line, which
 * the reader skips rather than misreads.
 */
export class AuditLog {
	readonly file: string;

	constructor(stateDirectory: string) {
		this.file = path.join(stateDirectory, 'audit.jsonl');
	}

	append(entry: AuditEntry): void {
		const descriptor = openSync(this.file, 'a');
		try {
			writeSync(descriptor, `${JSON.stringify(entry)}\n`);
			fsyncSync(descriptor);
		} finally {
			closeSync(descriptor);
		}
	}

	/** Appends who (the identity) did what, now. */
	record(identity: OperatorIdentity, entry: Pick<AuditEntry, 'action' | 'env' | 'outcome' | 'release' | 'commit' | 'detail'>): void {
		this.append({at: new Date().toISOString(), operator: identity.operator, host: identity.host, sshClient: identity.sshClient, ...entry});
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
