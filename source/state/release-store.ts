import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {Releases} from '../core/adapters.js';
import type {ReleaseRecord} from '../core/release.js';
import {writeFileAtomically} from './atomic-file.js';
import {processAlive} from './process-alive.js';
import {ensurePrivateDirectory} from './state-directory.js';

/**
 * Release history: one JSON file per release, rewritten atomically at each step, so a release is
 * on record from its first step and a crash never leaves it unrecorded or torn.
 */
export class ReleaseStore implements Releases {
	readonly directory: string;

	constructor(stateDirectory: string, private readonly hostName: string) {
		this.directory = path.join(stateDirectory, 'releases');
	}

	save(record: ReleaseRecord): void {
		ensurePrivateDirectory(this.directory);
		writeFileAtomically(path.join(this.directory, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
	}

	get(id: string): ReleaseRecord | undefined {
		const file = path.join(this.directory, `${id}.json`);
		return existsSync(file) ? this.reconcile(JSON.parse(readFileSync(file, 'utf8')) as ReleaseRecord) : undefined;
	}

	/** Newest first; a `running` release whose process on this host is gone reads as `aborted`. */
	list(filter: {env?: string; limit?: number} = {}): ReleaseRecord[] {
		const records: ReleaseRecord[] = [];
		if (!existsSync(this.directory)) return records;
		for (const name of readdirSync(this.directory)) {
			if (!name.endsWith('.json')) continue;
			try {
				records.push(this.reconcile(JSON.parse(readFileSync(path.join(this.directory, name), 'utf8')) as ReleaseRecord));
			} catch {
				// A file being replaced this instant, or damaged by hand: history shows the rest.
			}
		}

		return records
			.filter(record => !filter.env || record.env === filter.env)
			.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id))
			.slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
	}

	private reconcile(record: ReleaseRecord): ReleaseRecord {
		if (record.outcome !== 'running' || record.host !== this.hostName || processAlive(record.pid)) return record;
		return {...record, outcome: 'aborted', error: record.error ?? 'the opsconsole process running it ended without recording an outcome'};
	}
}
