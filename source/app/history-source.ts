import {readFile} from 'node:fs/promises';
import type {CheckRun} from '../core/checks.js';
import type {ReleaseRecord} from '../core/release.js';
import {printableLine} from '../core/terminal-text.js';
import type {Services} from './services.js';

/** What the history screen reads: an environment's releases, the checklist runs on them, a release's log. */
export type HistorySource = {
	/** Newest first. */
	readonly releases: () => ReleaseRecord[];
	/** Newest first. */
	readonly checkRuns: () => CheckRun[];
	/** The last `lines` lines of the release's log, or why there are none. */
	readonly logTail: (record: ReleaseRecord, lines: number) => Promise<{lines: string[]} | {problem: string}>;
};

export function createHistorySource(services: Services, env: string): HistorySource {
	return {
		releases: () => services.state.releases.list({env}),
		checkRuns: () => services.state.checkRuns.list({env}),
		async logTail(record, lines) {
			if (!record.logFile) return {problem: 'this release kept no log'};
			try {
				const text = await readFile(record.logFile, 'utf8');
				return {lines: text.split('\n').filter(line => line.length > 0).slice(-lines).map(line => printableLine(line))};
			} catch (error) {
				return {problem: `its log ${record.logFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`};
			}
		},
	};
}
