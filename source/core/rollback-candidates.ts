import type {LastBuild} from './builds.js';
import {verifiedRelease, type ReleaseOutcome, type ReleaseRecord} from './release.js';
import {compareOrdinal} from './text-order.js';

/** One earlier state an environment can be put back on, gathered from every source that knows of it. */
export type RollbackCandidate = {
	readonly commit: string;
	/** The newest release id known for this commit (history or tag), if any. */
	readonly release: string | null;
	readonly subject: string | null;
	/** ISO time it was deployed (or tagged), for ordering and "when". */
	readonly at: string | null;
	readonly operator: string | null;
	readonly outcome: ReleaseOutcome | null;
	/** Every service's image for this commit is still on the engine: no rebuild needed. */
	readonly imagePresent: boolean;
	/** When the image is gone: how long its last build took (core/builds.ts), if one was recorded. */
	readonly lastBuild?: LastBuild;
	/** This is what runs now: shown, not selectable. */
	readonly running: boolean;
	/** It failed or was rolled back here, and no one released the hold (core/holds.ts). */
	readonly held?: boolean;
	/** It succeeded only because an operator ignored its failed verification: never the default way back. */
	readonly unverified?: true;
	readonly sources: ReadonlyArray<'history' | 'tag' | 'engine'>;
};

export type CandidateSources = {
	readonly releases: readonly ReleaseRecord[];
	readonly tags: ReadonlyArray<{readonly release: string; readonly commit: string; readonly date: string}>;
	/** Commits the engine still has containers of (e.g. retained ones), with their release labels. */
	readonly engineCommits: ReadonlyArray<{readonly commit: string; readonly release: string | null; readonly createdAt: string}>;
	readonly runningCommit: string | null;
	readonly imagePresent: (commit: string) => boolean;
	readonly subjectOf: (commit: string) => string | null;
};

/**
 * Merges history, release tags and what the engine still holds into one list per commit, newest
 * first. History wins for who, when and outcome: it is the only source that knows them.
 */
export function mergeRollbackCandidates(sources: CandidateSources): RollbackCandidate[] {
	type Draft = {commit: string; release: string | null; at: string | null; operator: string | null; outcome: ReleaseOutcome | null; verified: boolean; sources: Set<'history' | 'tag' | 'engine'>};
	const byCommit = new Map<string, Draft>();
	const draftFor = (commit: string): Draft => {
		let draft = byCommit.get(commit);
		if (!draft) {
			draft = {commit, release: null, at: null, operator: null, outcome: null, verified: false, sources: new Set()};
			byCommit.set(commit, draft);
		}

		return draft;
	};

	const newestFirst = [...sources.releases].sort((a, b) => compareOrdinal(b.startedAt, a.startedAt));
	for (const release of newestFirst) {
		const draft = draftFor(release.commit);
		draft.sources.add('history');
		draft.verified ||= verifiedRelease(release);
		if (draft.outcome === null || (draft.outcome !== 'succeeded' && release.outcome === 'succeeded')) {
			draft.release = release.id;
			draft.at = release.finishedAt ?? release.startedAt;
			draft.operator = release.operator;
			draft.outcome = release.outcome;
		}
	}

	for (const tag of sources.tags) {
		const draft = draftFor(tag.commit);
		draft.sources.add('tag');
		draft.release ??= tag.release;
		draft.at ??= tag.date;
	}

	for (const container of sources.engineCommits) {
		const draft = draftFor(container.commit);
		draft.sources.add('engine');
		draft.release ??= container.release;
		draft.at ??= container.createdAt;
	}

	return [...byCommit.values()]
		.map(draft => ({
			commit: draft.commit,
			release: draft.release,
			subject: sources.subjectOf(draft.commit),
			at: draft.at,
			operator: draft.operator,
			outcome: draft.outcome,
			imagePresent: sources.imagePresent(draft.commit),
			running: draft.commit === sources.runningCommit,
			...(draft.outcome === 'succeeded' && !draft.verified ? {unverified: true as const} : {}),
			sources: [...draft.sources],
		}))
		.sort((a, b) => compareOrdinal(b.at ?? '', a.at ?? ''));
}

/**
 * The default target: the newest release older than the running one that succeeded and is not
 * held, so neither a release that just failed nor one rolled back from is the default.
 */
export function defaultRollbackTarget(candidates: readonly RollbackCandidate[]): RollbackCandidate | undefined {
	const running = candidates.findIndex(candidate => candidate.running);
	return candidates.slice(running + 1).find(candidate => !candidate.running && candidate.outcome === 'succeeded' && !candidate.held && !candidate.unverified);
}

/**
 * The candidate an operator named: a release id, or a commit (full or an unambiguous prefix of
 * at least 4 characters). Undefined when nothing matches.
 */
export function findRollbackTarget(candidates: readonly RollbackCandidate[], wanted: string): RollbackCandidate | undefined {
	const byRelease = candidates.find(candidate => candidate.release === wanted);
	if (byRelease) return byRelease;
	if (!/^[0-9a-f]{4,40}$/i.test(wanted)) return undefined;
	const matches = candidates.filter(candidate => candidate.commit.startsWith(wanted.toLowerCase()));
	return matches.length === 1 ? matches[0] : undefined;
}
