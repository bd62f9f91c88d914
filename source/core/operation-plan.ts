import type {ChangedFile, CommitSummary} from './commit.js';
import type {EnvironmentHealth} from './health.js';
import type {ReleaseKind} from './release.js';
import {plural, shortSha} from './words.js';

/** What an operation will do, shown before anything changes. */
export type OperationPlan = {
	readonly kind: ReleaseKind;
	/** The environment that changes. */
	readonly env: string;
	/** Promotions: the environment whose running release is promoted. */
	readonly from: string | null;
	/** The commit that will run in `env` afterwards. */
	readonly commit: string;
	readonly commitSummary: CommitSummary | null;
	/** Promotions: whether that commit's release in FROM passed verification. */
	readonly verifiedInFrom: boolean | null;
	readonly fromHealth: EnvironmentHealth | null;
	/** What `env` runs now (from container labels), and its branch head. */
	readonly current: {readonly commit: string | null; readonly release: string | null; readonly deployedAt: string | null; readonly branchHead: string | null};
	/** Commits `env` gains (promotion, deploy) or loses (rollback), newest first. */
	readonly commits: readonly CommitSummary[];
	readonly files: readonly ChangedFile[];
	/** What happens to `env`'s branch. */
	readonly branch: BranchMove;
	/** What the operator should know before going on (the commit failed downstream before, …); empty when nothing. */
	readonly warnings?: readonly string[];
};

/** Where an operation leaves the environment's branch, and why, in words for the plan screen. */
export type BranchMove = {
	readonly name: string;
	/** The commit the branch will point at, or null when it is left where it is. */
	readonly to: string | null;
	readonly note: string;
};

/**
 * The rule that keeps every commit reachable: a promotion fast-forwards the branch; a rollback
 * moves it back only when what it leaves stays on another branch or an opsconsole release tag;
 * the first stage's branch is where developers work, so its rollback moves containers only.
 */
export function branchMoveFor(facts: {
	readonly kind: ReleaseKind;
	readonly env: string;
	readonly branch: string;
	readonly firstStage: boolean;
	readonly commit: string;
	readonly branchHead: string | null;
	/** The branch head is contained in another branch or an opsconsole tag. */
	readonly headKeptElsewhere: boolean;
	/** How many commits the branch would leave behind. */
	readonly commitsLeft: number;
}): BranchMove {
	const {branch, commit} = facts;
	if (facts.kind === 'promotion') return {name: branch, to: commit, note: `${branch} fast-forwards to ${shortSha(commit)}`};
	if (facts.kind === 'deploy' || facts.branchHead === commit) return {name: branch, to: null, note: `${branch} stays at ${shortSha(facts.branchHead)}`};
	if (facts.firstStage) {
		return {name: branch, to: null, note: `${branch} stays at ${shortSha(facts.branchHead)}: it is where developers work, so only the containers go back (${facts.env} then runs ${plural(facts.commitsLeft, 'commit')} behind its branch)`};
	}

	if (!facts.headKeptElsewhere) {
		return {name: branch, to: null, note: `${branch} stays at ${shortSha(facts.branchHead)}: ${plural(facts.commitsLeft, 'commit')} on it ${facts.commitsLeft === 1 ? 'is' : 'are'} on no other branch or release tag, and moving it back would lose ${facts.commitsLeft === 1 ? 'it' : 'them'}; only the containers go back`};
	}

	return {name: branch, to: commit, note: `${branch} moves back to ${shortSha(commit)}; the ${plural(facts.commitsLeft, 'commit')} it leaves stay on another branch or release tag`};
}
