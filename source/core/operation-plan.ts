import type {ChangedFile, CommitSummary} from './commit.js';
import type {EnvironmentHealth} from './health.js';
import type {ReleaseKind} from './release.js';

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
};
