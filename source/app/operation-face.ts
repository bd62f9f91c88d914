import type {CommitSummary} from '../core/commit.js';
import type {ConfirmationNeed} from '../core/confirmation.js';
import type {FailureChoice, FailureDecision, FlowState} from '../core/operation-flow.js';
import type {RollbackCandidate} from '../core/rollback-candidates.js';
import type {OperationControl} from './operation-control.js';

/** What an interactive face hands an operation: answers to confirmations, each state, and how it cancels. */
export type FaceHooks = {
	readonly confirm: (need: ConfirmationNeed) => Promise<boolean>;
	/** Shows the plan first; false abandons before preflight. */
	readonly reviewPlan?: (state: FlowState) => Promise<boolean>;
	readonly onState: (state: FlowState) => void;
	readonly control: OperationControl;
	/** Guided failure: the operator's choice when a step fails (see OperationHooks). */
	readonly decideFailure?: (decision: FailureDecision, state: FlowState, stopAsking: AbortSignal) => Promise<FailureChoice>;
};

/** An operation ready to run once a face supplies its hooks. */
export type StartOperation = (hooks: FaceHooks) => Promise<FlowState>;

/** What the rollback picker needs: candidates, what a choice would undo, and the rollback itself. */
export type RollbackSource = {
	readonly loadCandidates: () => Promise<RollbackCandidate[]>;
	readonly commitsUndone: (candidate: RollbackCandidate) => Promise<CommitSummary[]>;
	readonly startRollback: (candidate: RollbackCandidate) => StartOperation;
};

/** Whether an environment can be promoted from, or into, and if not why: the wizard's choices. */
export type PromotionChoice = {
	readonly name: string;
	readonly title: string;
	readonly promotesTo: string | null;
	/** Why it cannot be promoted from (no release running, …), undefined when it can. */
	readonly cannotPromoteFrom: string | undefined;
	/** Why it cannot receive a promotion (frozen, locked, read-only, first stage), undefined when it can. */
	readonly cannotReceive: string | undefined;
};

/** What the promotion wizard needs: the choices, and the promotion itself. */
export type PromotionSource = {
	readonly loadChoices: () => Promise<PromotionChoice[]>;
	readonly startPromotion: (from: string, to: string) => StartOperation;
};
