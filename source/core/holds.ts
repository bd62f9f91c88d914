import type {GateRecord} from './gate-records.js';
import {verifiedRelease, type ReleaseRecord} from './release.js';
import {shortSha} from './words.js';
import {compareOrdinal} from './text-order.js';

/** A commit that may not be promoted or deployed into `env` again until someone releases the hold. */
export type Hold = {
	readonly env: string;
	readonly commit: string;
	/** The release that put the hold on. */
	readonly release: string;
	/** In words: `release X failed verification`, `rolled back by release Y`. */
	readonly cause: string;
	readonly at: string;
};

function endOf(release: ReleaseRecord): string {
	return release.finishedAt ?? release.startedAt;
}

/** Why this release puts a hold on a commit, and on which, if it does. */
function holdFrom(release: ReleaseRecord, context: {readonly undoneAutomatically: ReadonlySet<string>; readonly firstSeen: ReadonlyMap<string, string>}): Hold | undefined {
	const base = {env: release.env, release: release.id, at: endOf(release)};
	if (release.outcome === 'rolled-back') return {...base, commit: release.commit, cause: `release ${release.id} failed and was rolled back`};
	if (release.outcome === 'failed' && release.steps.some(step => step.id === 'verify' && step.ok === false)) {
		return {...base, commit: release.commit, cause: `release ${release.id} failed verification`};
	}

	// An automatic rollback leaves the hold to the release it undid; `rollback --to` a newer release is a move forward, not a rollback.
	const left = release.previous;
	if (release.kind !== 'rollback' || release.outcome !== 'succeeded' || !left || left === release.commit || context.undoneAutomatically.has(release.previousRelease ?? '')) return undefined;
	// A commit never deployed here by opsconsole counts as the older (target) or the newer (left, started by hand).
	const wentBack = (context.firstSeen.get(release.commit) ?? '') < (context.firstSeen.get(left) ?? '\uffff');
	return wentBack ? {...base, commit: left, cause: `rolled back by release ${release.id}`} : undefined;
}

/**
 * The holds in force in `env`, newest first: one per commit that failed verification or was
 * rolled back there, unless a hold release was recorded for it afterwards, or it has run there
 * since, verified (a later succeeded release of it). Aborted and interrupted releases hold
 * nothing: they say nothing about the commit.
 */
export function holdsIn(env: string, releases: readonly ReleaseRecord[], records: readonly GateRecord[]): Hold[] {
	const here = releases.filter(release => release.env === env);
	const firstSeen = new Map<string, string>();
	for (const release of here) if ((firstSeen.get(release.commit) ?? '\uffff') > release.startedAt) firstSeen.set(release.commit, release.startedAt);
	// A failed or cancelled release that went back on its own: the rollback that undid it is its recovery, not an operator's verdict.
	const undoneAutomatically = new Set(here.filter(release => release.outcome === 'rolled-back' || release.rolledBackTo !== null).map(release => release.id));
	const context = {undoneAutomatically, firstSeen};
	const newest = new Map<string, Hold>();
	for (const release of here) {
		const hold = holdFrom(release, context);
		if (hold && (newest.get(hold.commit)?.at ?? '') < hold.at) newest.set(hold.commit, hold);
	}

	const released = (hold: Hold) => records.some(record => record.type === 'hold-release' && record.env === env && record.commit === hold.commit && record.at >= hold.at)
		|| here.some(release => release.commit === hold.commit && verifiedRelease(release) && release.startedAt > hold.at);
	return [...newest.values()].filter(hold => !released(hold)).sort((a, b) => compareOrdinal(b.at, a.at));
}

export function holdOn(env: string, commit: string, releases: readonly ReleaseRecord[], records: readonly GateRecord[]): Hold | undefined {
	return holdsIn(env, releases, records).find(hold => hold.commit === commit);
}

/** `abc1234 is held in staging: release … failed verification`. */
export function describeHold(hold: Hold): string {
	return `${shortSha(hold.commit)} is held in ${hold.env}: ${hold.cause} (${hold.at})`;
}

/** The command that lifts a hold, for remedies. */
export function holdReleaseCommand(hold: Pick<Hold, 'env' | 'commit'>): string {
	return `opsconsole hold release ${hold.env} ${shortSha(hold.commit)} --reason "…"`;
}
