import type {LockState} from './lock.js';
import type {ReleaseRecord} from './release.js';
import {shortSha} from './words.js';

export type AttentionFacts = {
	readonly env: string;
	readonly branch: string;
	/** The first stage's branch is where developers work: it runs ahead of what is deployed by design. */
	readonly firstStage: boolean;
	readonly branchHead: string | null;
	/** What the containers run (their commit label), and as which release. */
	readonly runningCommit: string | null;
	/** The environment's newest release on record. */
	readonly latest: ReleaseRecord | undefined;
	/** Its lock, when held. */
	readonly lock: LockState | undefined;
};

function lastStep(release: ReleaseRecord): string {
	const step = release.steps.at(-1);
	return step ? `during ${step.name}` : 'before its first step';
}

/**
 * What an operator must know about an environment beyond its health, each with the command that
 * puts it right: a release whose process died, and a branch that disagrees with what runs.
 */
export function attentionFor(facts: AttentionFacts): string[] {
	const {env, branch, branchHead, runningCommit, latest} = facts;
	const notes: string[] = [];
	const branchApart = branchHead !== null && runningCommit !== null && branchHead !== runningCommit && !facts.firstStage;
	if (latest?.outcome === 'interrupted') {
		const what = latest.kind === 'promotion' ? `promotion from ${latest.from}` : latest.kind;
		let state: string;
		if (runningCommit === latest.commit) state = `its containers run the new ${shortSha(latest.commit)}, unverified — \`opsconsole deploy ${env}\` verifies it, \`opsconsole rollback ${env} --to ${shortSha(latest.previous)}\` goes back`;
		else if (runningCommit === latest.previous) state = `its containers still run ${shortSha(runningCommit)}, as before`;
		else state = `its containers run ${shortSha(runningCommit, 'nothing')}`;
		notes.push(`${what} ${latest.id} by ${latest.operator} was interrupted ${lastStep(latest)} (opsconsole died): ${state}`);
	} else if (latest && (latest.outcome === 'failed' || latest.outcome === 'aborted') && latest.error?.includes('needs attention')) {
		notes.push(`${latest.kind} ${latest.id} ended ${latest.outcome}: ${latest.error}`);
	}

	if (facts.lock?.stale) notes.push(`its lock is held by process ${facts.lock.pid} on ${facts.lock.host}, which is gone — \`opsconsole unlock ${env} --force\` breaks it (audited)`);
	if (branchApart) {
		notes.push(`${branch} is at ${shortSha(branchHead)} but ${env} runs ${shortSha(runningCommit)} — \`opsconsole deploy ${env}\` deploys ${shortSha(branchHead)}; \`opsconsole rollback ${env} --to ${shortSha(runningCommit)}\` puts the branch back`);
	}

	return notes;
}
