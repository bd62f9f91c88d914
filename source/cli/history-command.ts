import type {Services} from '../app/services.js';
import {UsageError} from '../core/errors.js';
import {environmentNamed} from '../core/pipeline.js';
import type {ReleaseRecord} from '../core/release.js';
import {checksColumn, latestRunOn} from '../core/release-checks.js';
import {runPassed, summaryLine, type CheckRun} from '../core/checks.js';
import {shortSha} from '../core/words.js';
import {fit, formatAge, formatDuration} from '../presentation/format.js';
import {paint, type StyleOptions, type Tone} from '../presentation/style.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

const outcomeTones: Record<ReleaseRecord['outcome'], Tone> = {succeeded: 'good', running: 'warn', 'rolled-back': 'warn', failed: 'bad', aborted: 'bad', interrupted: 'bad'};

export function renderHistory(records: readonly ReleaseRecord[], style: StyleOptions, now: number, runs: readonly CheckRun[] = []): string {
	if (records.length === 0) return 'no releases recorded yet';
	const header = `${fit('RELEASE', 36)} ${fit('KIND', 9)} ${fit('OUTCOME', 11)} ${fit('COMMIT', 7)} ${fit('WAS', 7)} ${fit('WHEN', 6)} ${fit('TOOK', 5)} ${fit('CHECKS', 7)} OPERATOR`;
	const rows = records.map(record => {
		const took = record.finishedAt ? formatDuration(Date.parse(record.finishedAt) - Date.parse(record.startedAt)) : '…';
		const row = `${fit(record.id, 36, style.ascii)} ${fit(record.kind, 9)} ${fit(record.outcome, 11)} ${fit(shortSha(record.commit), 7)} ${fit(shortSha(record.previous), 7)} ${fit(formatAge(record.startedAt, now), 6)} ${fit(took, 5)} ${fit(checksColumn(latestRunOn(runs, record.id)), 7)} ${record.operator}`;
		return paint(row, outcomeTones[record.outcome], style) + (record.error ? `\n${paint(`  ${record.error}`, 'muted', style)}` : '');
	});
	return [header, ...rows].join('\n');
}

/** `opsconsole history [ENV] [--json] [--limit N]`: releases, newest first. */
export async function historyCommand(services: Services, output: Output, env: string | undefined, options: {json?: boolean; limit?: string}): Promise<number> {
	if (env) environmentNamed(services.project.environments, env);
	const limit = options.limit === undefined ? undefined : Number(options.limit);
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit takes a whole number above 0, not "${options.limit}"`);
	const records = services.state.releases.list({env, limit});
	const runs = services.state.checkRuns.list({env});
	if (options.json) output.json({releases: records.map(record => ({...record, checks: runs.filter(run => run.release === record.id).map(run => ({run: run.id, at: run.finishedAt, operator: run.operator, summary: summaryLine(run.checks), passed: runPassed(run)}))}))});
	else output.line(renderHistory(records, output.style, Date.now(), runs));
	return exitCodes.done;
}
