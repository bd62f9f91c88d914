import {confirmationFor, type ConfirmationNeed} from './confirmation.js';
import type {EnvironmentConfig} from './environment-schema.js';
import {exitCodes} from './exit-codes.js';
import type {OperationPlan} from './operation-plan.js';
import {preflightPassed, type PreflightCheck} from './preflight.js';
import {newReleaseId, type ReleaseKind, type ReleaseOutcome, type ReleaseRecord} from './release.js';
import {shortSha} from './words.js';

/**
 * A promotion, deploy or rollback, from plan to record, as one state machine. Everything about
 * order lives here: which steps an operation has, what a failure skips, when and how it recovers,
 * and how it ends. The executor (app/operation-executor.ts) asks `nextMove` what to do, does it
 * with the adapters, and reports back through `reduceFlow`, which refuses any event that does not
 * fit the phase. The wizard, the picker, the scriptable commands and the tests all drive this.
 */

export type FlowPhase = 'planning' | 'reviewing' | 'checking' | 'confirming' | 'locking' | 'running' | 'deciding' | 'recovering' | 'finished';

/** Stable step ids: records and screens refer to steps by these, never by label. */
export type StepId = 'promote' | 'deploy' | 'rollback' | 'verify' | 'revert' | 'verify-revert' | 'restore-branch' | 'record';
export type StepKind = 'recipe' | 'verify' | 'restore-branch' | 'record';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
export type RecipeAction = 'promote' | 'deploy' | 'rollback';

/** One step of an operation, decided by core before anything runs. */
export type StepSpec = {
	readonly id: StepId;
	readonly kind: StepKind;
	readonly label: string;
	/** `main` steps make the release; `recovery` steps are its automatic rollback, a release of their own. */
	readonly part: 'main' | 'recovery';
	/** The commit the step deploys or verifies. */
	readonly commit: string;
	/** Recipe steps: which recipe, and where it is to leave the environment's branch (null: leave it). */
	readonly recipe?: {readonly action: RecipeAction; readonly file: string; readonly branchTo: string | null};
	/** Once this step has started, the environment's containers may have changed: a failure must recover. */
	readonly changesContainers: boolean;
	/** Once this step has started, the environment's branch may have moved. */
	readonly movesBranch: boolean;
};

export type FlowStep = StepSpec & {
	readonly status: StepStatus;
	readonly startedAt?: number;
	readonly ms?: number;
	readonly detail?: string;
	/** The recipe's own `::step::` markers, while it runs. */
	readonly substeps: ReadonlyArray<{readonly name: string; readonly at: number}>;
	/** How many times the operator retried it after it failed. */
	readonly retries?: number;
	/** A failed verification the operator chose to ignore (`protection.allowIgnore`): why it failed. */
	readonly ignored?: string;
};

/**
 * What a failure will do to put things back: after the containers changed, roll back to what ran
 * before (or say why it cannot); when only the branch may have moved, put the branch back.
 */
export type RecoveryPlan = {
	readonly revert: {readonly kind: 'revert'; readonly commit: string; readonly steps: readonly StepSpec[]} | {readonly kind: 'none'; readonly reason: string};
	readonly restoreBranch: {readonly branch: string; readonly to: string | null; readonly steps: readonly StepSpec[]} | null;
};

/** The parts of the target's environment file that shape the flow. */
export type FlowTarget = Pick<EnvironmentConfig, 'name' | 'protection' | 'recipes' | 'verify'>;

export type Cancellation = 'none' | 'requested' | 'forced';

/**
 * What a failure does: roll back to what ran before, leave it as it is (recorded, with the command
 * that rolls back), or pause and let the operator choose (guided failure).
 */
export type OnFailure = 'rollback' | 'abort' | 'pause';

/** Guided failure: retry the failed step, roll back, leave it as it is, or ignore a failed verification. */
export type FailureChoice = 'retry' | 'rollback' | 'abort' | 'ignore';

/** The key each choice is given, in every face. */
export const failureChoiceKeys: Readonly<Record<FailureChoice, string>> = {retry: 'r', rollback: 'b', abort: 'a', ignore: 'i'};

/** A paused failure, waiting for the operator's choice. */
export type FailureDecision = {
	readonly step: StepId;
	readonly options: readonly FailureChoice[];
	/** What happens when nobody chooses in time, or the operator cancels: the environment's `autoRollback`. */
	readonly fallback: 'rollback' | 'abort';
	/** What `rollback` puts back: a commit, or the branch when nothing was deployed. */
	readonly rollbackTo: string | null;
	/** Epoch ms when the fallback is taken. */
	readonly until: number;
};

/** How long a paused failure waits for a choice: an operator called away must not leave a broken release unattended. */
export const decisionWaitMs = 120_000;

/** The whole state of an operation: every face renders this and nothing else. */
export type FlowState = {
	readonly kind: ReleaseKind;
	readonly env: string;
	readonly from: string | null;
	readonly phase: FlowPhase;
	/** A face shows the plan and waits for the operator before anything is checked. */
	readonly review: boolean;
	readonly dryRun: boolean;
	/** `--on-failure`: what a failure after the deploy began does, instead of the environment's `autoRollback`. */
	readonly onFailure?: OnFailure;
	/** Paused at a failure, how long to wait for the operator's choice. */
	readonly decisionWaitMs: number;
	readonly plan?: OperationPlan;
	readonly confirmation?: ConfirmationNeed;
	readonly preflight: readonly PreflightCheck[];
	readonly steps: readonly FlowStep[];
	readonly recovery?: RecoveryPlan;
	/** Which recovery is under way (or ran), once one started. */
	readonly recovering?: 'revert' | 'restore-branch';
	/** The release id, fixed when the lock is taken; the recovery's id when it starts. */
	readonly releaseId?: string;
	readonly recoveryReleaseId?: string;
	readonly logFile?: string;
	/** The last lines of recipe output (the full log is in the log file). */
	readonly output: readonly string[];
	/** `requested`: stop the running step, recover if needed · `forced`: stop waiting, even for the recovery. */
	readonly cancel: Cancellation;
	/** `refused` when nothing changed (abandoned, preflight, confirmation, lock or cancel said no). */
	readonly outcome?: ReleaseOutcome | 'refused';
	readonly error?: string;
	/** The final record, once written. */
	readonly release?: ReleaseRecord;
	/** While waiting for a held lock (`--lock-wait`): who holds it, and until when (epoch ms) we wait. */
	readonly lockWait?: {readonly holder: string; readonly until: number};
	/** The target's failure policy, fixed when planned. */
	readonly failurePolicy?: {readonly autoRollback: boolean; readonly allowIgnore: boolean};
	/** While `deciding`: the failure waiting for the operator. */
	readonly decision?: FailureDecision;
	/** The operator left a failure as it is: why, for the record. */
	readonly leftAsIs?: string;
};

export type FlowEvent =
	| {readonly type: 'planned'; readonly plan: OperationPlan; readonly target: FlowTarget}
	| {readonly type: 'plan-reviewed'; readonly proceed: boolean}
	| {readonly type: 'preflight-checked'; readonly checks: readonly PreflightCheck[]}
	| {readonly type: 'confirmed'; readonly confirmed: boolean; readonly reason?: string}
	| {readonly type: 'lock-waiting'; readonly holder: string; readonly until: number}
	| {readonly type: 'locked'; readonly at: number; readonly logFile: string}
	| {readonly type: 'refused'; readonly reason: string}
	| {readonly type: 'step-started'; readonly id: StepId; readonly at: number}
	| {readonly type: 'recipe-step'; readonly name: string; readonly at: number}
	| {readonly type: 'output'; readonly line: string}
	| {readonly type: 'step-finished'; readonly id: StepId; readonly ok: boolean; readonly detail?: string; readonly at: number}
	| {readonly type: 'failure-decided'; readonly choice: FailureChoice; readonly by: string; readonly at: number}
	| {readonly type: 'cancel-requested'}
	| {readonly type: 'finished'; readonly release: ReleaseRecord};

export type FlowEventType = FlowEvent['type'];

/** An event that does not fit the flow's phase: a bug in whoever sent it, never a state to render. */
export class FlowTransitionError extends Error {
	override name = 'FlowTransitionError';
	constructor(readonly phase: FlowPhase, readonly event: FlowEventType, detail?: string) {
		super(`a ${event} event does not fit the ${phase} phase${detail ? `: ${detail}` : ''}`);
	}
}

/** Which events each phase takes; anything else is a FlowTransitionError. */
export const acceptedEvents: Readonly<Record<FlowPhase, readonly FlowEventType[]>> = {
	planning: ['planned', 'refused', 'cancel-requested'],
	reviewing: ['plan-reviewed', 'refused', 'cancel-requested'],
	checking: ['preflight-checked', 'refused', 'cancel-requested'],
	confirming: ['confirmed', 'refused', 'cancel-requested'],
	locking: ['lock-waiting', 'locked', 'refused', 'cancel-requested'],
	running: ['step-started', 'recipe-step', 'output', 'step-finished', 'cancel-requested', 'finished'],
	deciding: ['failure-decided', 'cancel-requested'],
	recovering: ['step-started', 'recipe-step', 'output', 'step-finished', 'cancel-requested', 'finished'],
	finished: ['cancel-requested'],
};

export const outputLinesKept = 200;

export function initialFlowState(options: {kind: ReleaseKind; env: string; from: string | null; review?: boolean; dryRun?: boolean; onFailure?: OnFailure; decisionWaitMs?: number}): FlowState {
	return {
		kind: options.kind,
		env: options.env,
		from: options.from,
		phase: 'planning',
		review: options.review === true,
		dryRun: options.dryRun === true,
		...(options.onFailure ? {onFailure: options.onFailure} : {}),
		decisionWaitMs: options.decisionWaitMs ?? decisionWaitMs,
		preflight: [],
		steps: [],
		output: [],
		cancel: 'none',
	};
}

function recipeStep(id: StepId, part: StepSpec['part'], action: RecipeAction, file: string, commit: string, branchTo: string | null, label: string): StepSpec {
	return {id, kind: 'recipe', label, part, commit, recipe: {action, file, branchTo}, changesContainers: action !== 'promote', movesBranch: branchTo !== null};
}

function verifyStep(id: StepId, part: StepSpec['part'], commit: string, label: string): StepSpec {
	return {id, kind: 'verify', label, part, commit, changesContainers: false, movesBranch: false};
}

const recordStep: StepSpec = {id: 'record', kind: 'record', label: 'record release', part: 'main', commit: '', changesContainers: false, movesBranch: false};

/**
 * The steps of an operation, in order: the promote recipe when promoting, then the deploy recipe
 * (or the rollback recipe), verification, and the record.
 */
export function operationSteps(plan: OperationPlan, target: FlowTarget): StepSpec[] {
	const {recipes} = target;
	return [
		...(plan.kind === 'promotion' ? [recipeStep('promote', 'main', 'promote', recipes.promote, plan.commit, plan.branch.to, `promote recipe (${recipes.promote})`)] : []),
		plan.kind === 'rollback'
			? recipeStep('rollback', 'main', 'rollback', recipes.rollback, plan.commit, plan.branch.to, `rollback recipe (${recipes.rollback})`)
			: recipeStep('deploy', 'main', 'deploy', recipes.deploy, plan.commit, null, `deploy recipe (${recipes.deploy})`),
		verifyStep('verify', 'main', plan.commit, `verify ${target.name}`),
		recordStep,
	];
}

/**
 * How a failure is put right. After the containers changed: the rollback recipe back to what ran
 * before, with the branch back where it was when the operation moved it. When only the branch may
 * have moved (a promote recipe stopped half way): the branch back where it was.
 */
export function recoveryPlan(plan: OperationPlan, target: FlowTarget, dryRun: boolean, onFailure?: OnFailure): RecoveryPlan {
	const previous = plan.current.commit;
	const branchWillMove = plan.branch.to !== null && plan.branch.to !== plan.current.branchHead;
	const restoreBranch = branchWillMove && !dryRun && plan.kind === 'promotion'
		? {branch: plan.branch.name, to: plan.current.branchHead, steps: [{id: 'restore-branch' as const, kind: 'restore-branch' as const, label: `put ${plan.branch.name} back to ${shortSha(plan.current.branchHead, 'nothing')}`, part: 'recovery' as const, commit: plan.current.branchHead ?? '', changesContainers: false, movesBranch: true}]}
		: null;
	const none = (reason: string): RecoveryPlan => ({revert: {kind: 'none', reason}, restoreBranch});
	if (dryRun) return none('a dry run changes nothing');
	if (!previous || previous === plan.commit) return none(`not rolled back: ${target.name} ran no earlier release to return to`);
	// Paused, the operator may choose to roll back whatever autoRollback says.
	if (onFailure === 'abort' || (onFailure === undefined && !target.verify.autoRollback)) {
		return none(`not rolled back (${onFailure ? `--on-failure ${onFailure}` : 'autoRollback is off'}): run \`opsconsole rollback ${target.name} --to ${shortSha(previous)}\``);
	}

	return {
		revert: {
			kind: 'revert',
			commit: previous,
			steps: [
				recipeStep('revert', 'recovery', 'rollback', target.recipes.rollback, previous, branchWillMove ? plan.current.branchHead : null, `roll back to ${shortSha(previous)}`),
				verifyStep('verify-revert', 'recovery', previous, `verify ${target.name} on ${shortSha(previous)}`),
			],
		},
		restoreBranch,
	};
}

/** What the executor does next: the one place that decides order. */
export type FlowMove =
	| {readonly type: 'plan'}
	| {readonly type: 'review'}
	| {readonly type: 'check'}
	| {readonly type: 'confirm'; readonly need: ConfirmationNeed}
	| {readonly type: 'lock'}
	| {readonly type: 'run'; readonly step: FlowStep}
	| {readonly type: 'decide'; readonly decision: FailureDecision}
	| {readonly type: 'record'; readonly verdict: FlowVerdict}
	| {readonly type: 'done'};

export function nextMove(state: FlowState): FlowMove {
	switch (state.phase) {
		case 'planning':
			return {type: 'plan'};
		case 'reviewing':
			return {type: 'review'};
		case 'checking':
			return {type: 'check'};
		case 'confirming':
			return {type: 'confirm', need: state.confirmation!};
		case 'locking':
			return {type: 'lock'};
		case 'running':
		case 'recovering': {
			const next = state.steps.find(step => step.status === 'pending' && step.kind !== 'record');
			if (next) return {type: 'run', step: next};
			return {type: 'record', verdict: flowVerdict(state)};
		}

		case 'deciding':
			return {type: 'decide', decision: state.decision!};
		case 'finished':
			return {type: 'done'};
	}
}

/** How a run ended, decided from its steps: what the record and the audit line say. */
export type FlowVerdict = {
	readonly outcome: ReleaseOutcome;
	readonly error: string | null;
	/** The recovery's release, when it put the environment back. */
	readonly rolledBackTo: string | null;
	/** The recovery's own outcome, when there was one. */
	readonly recovery: {readonly release: string; readonly outcome: ReleaseOutcome; readonly error: string | null} | null;
};

/** Steps of the release that have begun (a failed one included). */
const began = (step: FlowStep) => step.part === 'main' && step.status !== 'pending' && step.status !== 'skipped';

/** What the release's steps that began may have changed: the containers, the branch. */
function changedSoFar(steps: readonly FlowStep[]): {containersChanged: boolean; branchMayHaveMoved: boolean} {
	return {
		containersChanged: steps.some(step => began(step) && step.changesContainers),
		branchMayHaveMoved: steps.some(step => began(step) && step.movesBranch),
	};
}

function failureOf(step: FlowStep): string {
	const detail = step.detail ?? 'failed';
	return step.kind === 'verify' ? `verification failed: ${detail}` : detail;
}

export function flowVerdict(state: FlowState): FlowVerdict {
	const cancelled = state.cancel !== 'none';
	const main = state.steps.filter(step => step.part === 'main' && step.kind !== 'record');
	const failed = main.find(step => step.status === 'failed');
	if (!failed && main.every(step => step.status === 'succeeded' || step.status === 'skipped')) {
		const ignored = main.filter(step => step.ignored).map(step => failureOf({...step, detail: step.ignored}));
		return {outcome: cancelled && main.some(step => step.status === 'skipped') ? 'aborted' : 'succeeded', error: ignored.length > 0 ? ignored.join('; ') : null, rolledBackTo: null, recovery: null};
	}

	const failure = failed ? failureOf(failed) : 'stopped before it finished';
	const unsuccessful: ReleaseOutcome = cancelled ? 'aborted' : 'failed';
	const recoverySteps = state.steps.filter(step => step.part === 'recovery');
	const recoveryFailed = recoverySteps.find(step => step.status === 'failed');
	const recoveryDone = recoverySteps.length > 0 && recoverySteps.every(step => step.status === 'succeeded');
	const stoppedAgain = 'stopped before it finished (cancelled again)';
	const revert = state.recovery?.revert;
	const restore = state.recovery?.restoreBranch;

	if (state.recovering === 'revert' && revert?.kind === 'revert') {
		const target = shortSha(revert.commit);
		const release = state.recoveryReleaseId!;
		if (recoveryDone) {
			return {
				outcome: cancelled ? 'aborted' : 'rolled-back',
				error: `${failure}; rolled back to ${target}`,
				rolledBackTo: release,
				recovery: {release, outcome: 'succeeded', error: `automatic, after ${state.releaseId} failed`},
			};
		}

		const why = recoveryFailed ? failureOf(recoveryFailed) : stoppedAgain;
		const attention = `${state.env} needs attention`;
		return {
			outcome: unsuccessful,
			error: `${failure}; the automatic rollback to ${target} failed too: ${why} — ${attention}`,
			rolledBackTo: null,
			recovery: {release, outcome: recoveryFailed && state.cancel !== 'forced' ? 'failed' : 'aborted', error: `automatic, after ${state.releaseId} failed; ${why} — ${attention}`},
		};
	}

	if (state.recovering === 'restore-branch' && restore) {
		if (recoveryDone) return {outcome: unsuccessful, error: `${failure}; nothing was deployed, and ${restore.branch} is back at ${shortSha(restore.to, 'nothing')}`, rolledBackTo: null, recovery: null};
		const why = recoveryFailed?.detail ?? stoppedAgain;
		return {outcome: unsuccessful, error: `${failure}; nothing was deployed, but ${restore.branch} could not be put back to ${shortSha(restore.to, 'nothing')}: ${why} — ${state.env} needs attention`, rolledBackTo: null, recovery: null};
	}

	const {containersChanged, branchMayHaveMoved} = changedSoFar(main);
	const previous = state.plan?.current.commit;
	let consequence: string;
	if (state.leftAsIs && containersChanged) consequence = `${state.leftAsIs}${previous && previous !== state.plan?.commit ? `; \`opsconsole rollback ${state.env} --to ${shortSha(previous)}\` goes back` : ''}`;
	else if (state.leftAsIs && branchMayHaveMoved && restore) consequence = `nothing was deployed; ${restore.branch} ${state.leftAsIs}, where the recipe put it (\`opsconsole deploy ${state.env}\` deploys it)`;
	else if (!containersChanged && !branchMayHaveMoved) consequence = 'nothing was deployed';
	else if (state.cancel === 'forced') consequence = `not put back: cancelled again, so nothing waited for it — ${state.env} needs attention`;
	else if (!containersChanged) consequence = 'nothing was deployed';
	else consequence = revert?.kind === 'none' ? revert.reason : 'not rolled back';
	return {outcome: unsuccessful, error: `${failure}; ${consequence}`, rolledBackTo: null, recovery: null};
}

function updateStep(steps: readonly FlowStep[], id: StepId, update: (step: FlowStep) => FlowStep): FlowStep[] {
	return steps.map(step => (step.id === id ? update(step) : step));
}

const pendingStep = (spec: StepSpec): FlowStep => ({...spec, status: 'pending', substeps: []});

function refuse(state: FlowState, reason: string): FlowState {
	return {...state, phase: 'finished', outcome: 'refused', error: reason};
}

/**
 * A step failed. Paused (guided failure), the flow waits for the operator's choice; otherwise it
 * recovers at once.
 */
function afterFailure(state: FlowState, failed: FlowStep, at: number): FlowState {
	if (state.onFailure === 'pause' && failed.part === 'main' && state.cancel === 'none' && !state.dryRun && state.recovery) {
		return {...state, phase: 'deciding', decision: failureDecision(state, failed, at)};
	}

	return recoverFrom(state, failed, at);
}

/** What the operator may do about a failed step, and what happens when nobody chooses. */
function failureDecision(state: FlowState, failed: FlowStep, at: number): FailureDecision {
	const {revert, restoreBranch} = state.recovery!;
	const {containersChanged, branchMayHaveMoved} = changedSoFar(state.steps);
	let rollbackTo: string | null = null;
	if (containersChanged) rollbackTo = revert.kind === 'revert' ? shortSha(revert.commit) : null;
	else if (restoreBranch && branchMayHaveMoved) rollbackTo = `${restoreBranch.branch} back at ${shortSha(restoreBranch.to, 'nothing')}`;
	const policy = state.failurePolicy ?? {autoRollback: true, allowIgnore: false};
	// A step that moved the branch has left its tag and push behind: running it again under the same release cannot succeed.
	const options: FailureChoice[] = [...(failed.movesBranch ? [] : ['retry' as const]), ...(rollbackTo ? ['rollback' as const] : []), 'abort', ...(failed.kind === 'verify' && policy.allowIgnore ? ['ignore' as const] : [])];
	// Without a choice, a failure does what it does unguided: the branch goes back; containers go back when autoRollback says so.
	const fallback = rollbackTo && (policy.autoRollback || !containersChanged) ? 'rollback' : 'abort';
	return {step: failed.id, options, fallback, rollbackTo, until: at + state.decisionWaitMs};
}

/** The steps with the rest of the failed step's part skipped, saying why. */
function skipRestOf(state: FlowState, failed: FlowStep): FlowStep[] {
	const detail = state.cancel === 'none' ? `skipped: ${failed.label} failed` : 'skipped: cancelled';
	return state.steps.map(step => (step.status === 'pending' && step.kind !== 'record' && step.part === failed.part ? {...step, status: 'skipped' as const, detail} : step));
}

/**
 * Skips what the failure makes pointless, then puts things back: after the containers may have
 * changed, the revert; when only the branch may have moved, the branch restore.
 */
function recoverFrom(state: FlowState, failed: FlowStep, at: number): FlowState {
	const steps = skipRestOf(state, failed);
	if (failed.part === 'recovery' || state.cancel === 'forced' || !state.recovery) return {...state, steps};
	const record = steps.find(step => step.kind === 'record')!;
	const recover = (specs: readonly StepSpec[]) => [...steps.filter(step => step.kind !== 'record'), ...specs.map(spec => pendingStep(spec)), record];
	const {revert, restoreBranch} = state.recovery;
	if (steps.some(step => began(step) && step.changesContainers)) {
		if (revert.kind !== 'revert') return {...state, steps};
		return {...state, phase: 'recovering', recovering: 'revert', recoveryReleaseId: newReleaseId(state.env, revert.commit, new Date(at)), steps: recover(revert.steps)};
	}

	if (restoreBranch && steps.some(step => began(step) && step.movesBranch)) return {...state, phase: 'recovering', recovering: 'restore-branch', steps: recover(restoreBranch.steps)};
	return {...state, steps};
}

/** The operator's choice (or the fallback) for a paused failure. */
function decideFailure(state: FlowState, event: Extract<FlowEvent, {type: 'failure-decided'}>): FlowState {
	const decision = state.decision!;
	if (!decision.options.includes(event.choice)) throw new FlowTransitionError(state.phase, event.type, `${event.choice} is not offered for ${decision.step}`);
	const failed = state.steps.find(step => step.id === decision.step)!;
	const resumed: FlowState = {...state, phase: 'running', decision: undefined};
	switch (event.choice) {
		case 'retry': {
			const {detail: _lastFailure, ms: _lastMs, ...again} = failed;
			return {...resumed, steps: updateStep(state.steps, failed.id, () => ({...again, status: 'pending', substeps: [], retries: (failed.retries ?? 0) + 1}))};
		}

		case 'ignore':
			return {...resumed, steps: updateStep(state.steps, failed.id, step => ({...step, status: 'succeeded', ignored: `${step.detail ?? 'failed'} (ignored by ${event.by})`}))};
		case 'rollback':
			return recoverFrom(resumed, failed, event.at);
		case 'abort':
			return {...resumed, steps: skipRestOf(state, failed), leftAsIs: `left as it is by ${event.by}`};
	}
}

function stepEvent(state: FlowState, event: Extract<FlowEvent, {type: 'step-started' | 'step-finished'}>): FlowState {
	if (event.type === 'step-started') {
		if (state.steps.some(step => step.status === 'running')) throw new FlowTransitionError(state.phase, event.type, 'another step is still running');
		const expected = nextMove(state);
		if (expected.type === 'run' ? expected.step.id !== event.id : event.id !== 'record') {
			throw new FlowTransitionError(state.phase, event.type, `${event.id} is not the next step`);
		}

		return {...state, steps: updateStep(state.steps, event.id, step => ({...step, status: 'running', startedAt: event.at}))};
	}

	const running = state.steps.find(step => step.status === 'running');
	if (running?.id !== event.id) throw new FlowTransitionError(state.phase, event.type, `${event.id} is not running`);
	const finished: FlowStep = {...running, status: event.ok ? 'succeeded' : 'failed', ms: event.at - running.startedAt!, detail: event.detail ?? running.detail};
	const next = {...state, steps: updateStep(state.steps, event.id, () => finished)};
	return event.ok || finished.kind === 'record' ? next : afterFailure(next, finished, event.at);
}

/** The one transition function: refuses (FlowTransitionError) any event that does not fit the phase. */
export function reduceFlow(state: FlowState, event: FlowEvent): FlowState {
	if (!acceptedEvents[state.phase].includes(event.type)) throw new FlowTransitionError(state.phase, event.type);
	switch (event.type) {
		case 'planned': {
			const plan = event.plan;
			// A dry run deploys nothing, so there is nothing to verify.
			const steps = operationSteps(plan, event.target).map(spec => (state.dryRun && spec.kind === 'verify' ? {...pendingStep(spec), status: 'skipped' as const, detail: 'dry run'} : pendingStep(spec)));
			return {
				...state,
				phase: state.review ? 'reviewing' : 'checking',
				plan,
				confirmation: confirmationFor(event.target),
				steps,
				recovery: recoveryPlan(plan, event.target, state.dryRun, state.onFailure),
				failurePolicy: {autoRollback: event.target.verify.autoRollback, allowIgnore: event.target.protection.allowIgnore === true},
			};
		}

		case 'plan-reviewed':
			return event.proceed ? {...state, phase: 'checking'} : refuse(state, 'abandoned after reviewing the plan');
		case 'preflight-checked': {
			const checked = {...state, preflight: event.checks};
			if (!preflightPassed(event.checks)) return refuse(checked, event.checks.filter(check => !check.ok).map(check => check.reason ?? check.label).join('; '));
			return {...checked, phase: state.confirmation?.level === 'none' ? 'locking' : 'confirming'};
		}

		case 'confirmed':
			return event.confirmed ? {...state, phase: 'locking'} : refuse(state, event.reason ?? `not confirmed for ${state.env}`);
		case 'lock-waiting':
			return {...state, lockWait: {holder: event.holder, until: event.until}};
		case 'locked':
			return {...state, lockWait: undefined, phase: 'running', logFile: event.logFile, releaseId: newReleaseId(state.env, state.plan!.commit, new Date(event.at))};
		case 'refused':
			return refuse(state, event.reason);
		case 'step-started':
		case 'step-finished':
			return stepEvent(state, event);
		case 'failure-decided':
			return decideFailure(state, event);
		case 'recipe-step': {
			const running = state.steps.find(step => step.status === 'running');
			if (running?.kind !== 'recipe') throw new FlowTransitionError(state.phase, event.type, 'no recipe is running');
			return {...state, steps: updateStep(state.steps, running.id, step => ({...step, substeps: [...step.substeps, {name: event.name, at: event.at}]}))};
		}

		case 'output': {
			const output = state.output.length >= outputLinesKept ? [...state.output.slice(1 - outputLinesKept), event.line] : [...state.output, event.line];
			return {...state, output};
		}

		case 'cancel-requested':
			if (state.phase === 'finished') return state;
			// Paused at a failure, the executor takes the fallback once it sees the cancel.
			if (state.phase !== 'running' && state.phase !== 'recovering' && state.phase !== 'deciding') return refuse({...state, cancel: 'requested'}, 'cancelled before anything changed');
			return {...state, cancel: state.cancel === 'none' ? 'requested' : 'forced'};
		case 'finished': {
			const record = state.steps.find(step => step.kind === 'record');
			if (record?.status !== 'succeeded') throw new FlowTransitionError(state.phase, event.type, 'the record step has not finished');
			return {...state, phase: 'finished', outcome: event.release.outcome, error: event.release.error ?? undefined, release: event.release};
		}
	}
}

/** DESIGN.md §5 exit codes for a finished flow: 0 succeeded, 3 refused (nothing changed), 130 aborted, 1 otherwise. */
export function exitCodeForOutcome(outcome: FlowState['outcome']): number {
	switch (outcome) {
		case 'succeeded':
			return exitCodes.done;
		case 'refused':
			return exitCodes.refused;
		case 'aborted':
			return exitCodes.interrupted;
		default:
			return exitCodes.failed;
	}
}

/** Steps are under way (the release's, or its recovery's): the time to offer cancel. */
export function stepsUnderWay(state: FlowState): boolean {
	return state.phase === 'running' || state.phase === 'deciding' || state.phase === 'recovering';
}
