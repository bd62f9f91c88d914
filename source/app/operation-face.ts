import type {ConfirmationNeed} from '../core/confirmation.js';
import type {CommitSummary} from '../core/commit.js';
import type {FlowState} from '../core/operation-flow.js';
import type {RollbackCandidate} from '../core/rollback-candidates.js';

/** What an interactive face hands an operation: answers to confirmations, each state, a cancel signal. */
export type FaceHooks = {
	readonly confirm: (need: ConfirmationNeed) => Promise<boolean>;
	readonly onState: (state: FlowState) => void;
	readonly signal: AbortSignal;
};

/** An operation ready to run once a face supplies its hooks. */
export type StartOperation = (hooks: FaceHooks) => Promise<FlowState>;

/** What the rollback picker needs: candidates, what a choice would undo, and the rollback itself. */
export type RollbackSource = {
	readonly loadCandidates: () => Promise<RollbackCandidate[]>;
	readonly commitsUndone: (candidate: RollbackCandidate) => Promise<CommitSummary[]>;
	readonly startRollback: (candidate: RollbackCandidate) => StartOperation;
};
