import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {CheckRuns} from '../core/adapters.js';
import type {CheckRun} from '../core/checks.js';
import {printableRecord} from '../core/terminal-text.js';
import {ensurePrivateDirectory, onStateFile, writeFileAtomically} from './state-files.js';
import {compareOrdinal} from '../core/text-order.js';

const statuses = new Set(['pass', 'fail', 'skip']);

/** Only a run of the right shape counts toward the gate: a torn or hand-edited file must not open it. */
function isCheckRun(value: unknown): value is CheckRun {
	const run = value as Partial<Record<keyof CheckRun, unknown>> | null;
	return typeof run === 'object' && run !== null
		&& typeof run.id === 'string' && typeof run.env === 'string' && typeof run.startedAt === 'string' && typeof run.finishedAt === 'string'
		&& typeof run.operator === 'string' && (run.release === null || typeof run.release === 'string')
		&& Array.isArray(run.checks) && run.checks.every(check => typeof check === 'object' && check !== null && statuses.has((check as {status?: string}).status ?? '') && typeof (check as {name?: unknown}).name === 'string');
}

/** Checklist runs: one JSON file each under `checks/`, named by run id, so history lists them beside the releases. */
export class CheckRunStore implements CheckRuns {
	readonly directory: string;

	constructor(stateDirectory: string, private readonly warn: (message: string) => void = () => undefined) {
		this.directory = path.join(stateDirectory, 'checks');
	}

	save(run: CheckRun): void {
		ensurePrivateDirectory(this.directory);
		writeFileAtomically(path.join(this.directory, `${run.id}.json`), `${JSON.stringify(run, null, 2)}\n`);
	}

	list(filter: {env?: string; release?: string; limit?: number} = {}): CheckRun[] {
		if (!existsSync(this.directory)) return [];
		const names = onStateFile('read the folder', this.directory, () => readdirSync(this.directory));
		return names
			.filter(name => name.endsWith('.json') && (!filter.env || name.startsWith(`chk-${filter.env}-`)))
			.map(name => this.#read(path.join(this.directory, name)))
			.filter((run): run is CheckRun => run !== undefined && (!filter.env || run.env === filter.env) && (!filter.release || run.release === filter.release))
			.sort((a, b) => compareOrdinal(b.startedAt, a.startedAt) || compareOrdinal(b.id, a.id))
			.slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
	}

	#read(file: string): CheckRun | undefined {
		let run: unknown;
		try {
			run = JSON.parse(readFileSync(file, 'utf8'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			this.warn(`skipped ${file}: ${error instanceof SyntaxError ? 'not valid JSON (torn or edited by hand)' : (error as Error).message}`);
			return undefined;
		}

		if (!isCheckRun(run)) {
			this.warn(`skipped ${file}: not a checklist run`);
			return undefined;
		}

		return printableRecord(run);
	}
}
