import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {Releases} from '../core/adapters.js';
import type {ReleaseRecord} from '../core/release.js';
import {printableRecord} from '../core/terminal-text.js';
import {processAlive} from './process-alive.js';
import {ensurePrivateDirectory, onStateFile, writeFileAtomically} from './state-files.js';
import {compareOrdinal} from '../core/text-order.js';

const outcomes = new Set(['running', 'succeeded', 'failed', 'rolled-back', 'aborted', 'interrupted']);

/** Only a record of the right shape is history: a torn or hand-edited file must not break a command. */
function isReleaseRecord(value: unknown): value is ReleaseRecord {
	const record = value as Partial<Record<keyof ReleaseRecord, unknown>> | null;
	return typeof record === 'object' && record !== null
		&& typeof record.id === 'string' && typeof record.env === 'string' && typeof record.commit === 'string'
		&& typeof record.startedAt === 'string' && typeof record.operator === 'string' && typeof record.host === 'string'
		&& typeof record.outcome === 'string' && outcomes.has(record.outcome) && Array.isArray(record.steps)
		&& (record.pid === null || typeof record.pid === 'number');
}

/**
 * Release history: one JSON file per release, rewritten atomically at each step, so a release is
 * on record from its first step and a crash never leaves it unrecorded or torn.
 */
export class ReleaseStore implements Releases {
	readonly directory: string;

	constructor(
		stateDirectory: string,
		private readonly hostName: string,
		private readonly warn: (message: string) => void = () => undefined,
		/** Told once of each release found `running` whose process is gone, after it is recorded as interrupted. */
		private readonly onInterrupted: (record: ReleaseRecord) => void = () => undefined,
	) {
		this.directory = path.join(stateDirectory, 'releases');
	}

	save(record: ReleaseRecord): void {
		ensurePrivateDirectory(this.directory);
		writeFileAtomically(path.join(this.directory, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
	}

	get(id: string): ReleaseRecord | undefined {
		const file = path.join(this.directory, `${id}.json`);
		return existsSync(file) ? this.#read(file) : undefined;
	}

	/** Newest first; a `running` release whose process on this host is gone reads as `interrupted`. */
	list(filter: {env?: string; limit?: number} = {}): ReleaseRecord[] {
		if (!existsSync(this.directory)) return [];
		const names = onStateFile('read the folder', this.directory, () => readdirSync(this.directory));
		return names
			.filter(name => name.endsWith('.json'))
			.map(name => this.#read(path.join(this.directory, name)))
			.filter(record => record !== undefined && (!filter.env || record.env === filter.env))
			.sort((a, b) => compareOrdinal(b!.startedAt, a!.startedAt) || compareOrdinal(b!.id, a!.id))
			.slice(0, filter.limit ?? Number.POSITIVE_INFINITY) as ReleaseRecord[];
	}

	#read(file: string): ReleaseRecord | undefined {
		let record: unknown;
		try {
			record = JSON.parse(readFileSync(file, 'utf8'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			this.warn(`skipped ${file}: ${error instanceof SyntaxError ? 'not valid JSON (torn or edited by hand)' : (error as Error).message}`);
			return undefined;
		}

		if (!isReleaseRecord(record)) {
			this.warn(`skipped ${file}: not a release record`);
			return undefined;
		}

		return this.#reconcile(printableRecord(record));
	}

	/** A release left `running` by a process that is gone is interrupted: recorded as such the first time it is read. */
	#reconcile(record: ReleaseRecord): ReleaseRecord {
		if (record.outcome !== 'running' || record.host !== this.hostName || (record.pid !== null && processAlive(record.pid))) return record;
		const interrupted: ReleaseRecord = {...record, outcome: 'interrupted', finishedAt: record.finishedAt ?? new Date().toISOString(), error: `opsconsole (process ${record.pid} on ${record.host}) ended while it ran, without recording an outcome`};
		try {
			this.save(interrupted);
			this.onInterrupted(interrupted);
		} catch (error) {
			this.warn(`could not record ${record.id} as interrupted: ${(error as Error).message}`);
		}

		return interrupted;
	}
}
