import {runPassed, summaryLine, type CheckRun} from './checks.js';

/** What the checks gate decided for a promotion out of an environment. */
export type ChecksGate = {
	readonly ok: boolean;
	/** Which run satisfied it and when, or what was looked for. */
	readonly label: string;
	readonly reason?: string;
	readonly remedy?: string;
};

function ago(ms: number): string {
	const minutes = Math.round(ms / 60_000);
	if (minutes < 1) return 'just now';
	if (minutes < 120) return `${minutes} min ago`;
	const hours = Math.round(minutes / 60);
	return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/**
 * `protection.requireChecks`: promoting out of ENV needs a passing checklist run on the release
 * ENV runs, no older than `maxAgeMs`. `runs` are ENV's, newest first.
 */
export function evaluateChecksGate(facts: {readonly env: string; readonly release: string | null; readonly maxAgeMs: number; readonly maxAge: string; readonly runs: readonly CheckRun[]; readonly now: Date}): ChecksGate {
	const {env, release, runs, now} = facts;
	const remedy = `run the checklist: opsconsole check ${env} (or c on the dashboard)`;
	if (!release) return {ok: false, label: `${env}'s checks passed`, reason: `${env} runs no release to check`, remedy: `deploy ${env} first, then ${remedy}`};
	const onRelease = runs.filter(run => run.release === release);
	const latest = onRelease[0];
	if (!latest) return {ok: false, label: `${env}'s checks passed`, reason: `no checklist run on ${release} yet`, remedy};
	const age = now.getTime() - Date.parse(latest.finishedAt);
	const which = `run ${latest.id} by ${latest.operator}, ${ago(age)}`;
	if (!runPassed(latest)) return {ok: false, label: `${env}'s checks passed`, reason: `the latest run on ${release} did not pass (${which}): ${summaryLine(latest.checks)}`, remedy: `fix what failed, then ${remedy}`};
	if (age > facts.maxAgeMs) return {ok: false, label: `${env}'s checks passed`, reason: `the latest passing run on ${release} is older than ${facts.maxAge} (${which})`, remedy};
	return {ok: true, label: `${env}'s checks passed (${which})`};
}
