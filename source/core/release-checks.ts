import {countByStatus, runPassed, type CheckRun} from './checks.js';

/** The newest checklist run on a release (runs newest first), if any. */
export function latestRunOn(runs: readonly CheckRun[], release: string): CheckRun | undefined {
	return runs.find(run => run.release === release);
}

/** A release's checks in a column: `9/9 ok`, `7/9 ✖`, or a dash when never checked. */
export function checksColumn(run: CheckRun | undefined): string {
	if (!run) return '—';
	const counts = countByStatus(run.checks);
	return `${counts.pass}/${run.checks.length} ${runPassed(run) ? 'ok' : '✖'}`;
}
