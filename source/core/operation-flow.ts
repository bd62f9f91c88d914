import type {ConfirmationNeed} from './confirmation.js';
import {exitCodes} from './exit-codes.js';
import type {OperationPlan} from './operation-plan.js';
import type {PreflightCheck} from './preflight.js';
import type {ReleaseKind, ReleaseOutcome, ReleaseRecord} from './release.js';

export type FlowPhase = 'planning' | 'preflight' | 'confirming' | 'running' | 'finished';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** A step of the run (lock, promote recipe, deploy recipe, verify, …) and the recipe's own steps inside it. */
export type FlowStep = {
	readonly id: string;
	readonly label: string;
	readonly status: StepStatus;
	readonly startedAt?: number;
	readonly ms?: number;
	readonly detail?: string;
	readonly substeps: ReadonlyArray<{readonly name: string; readonly at: number}>;
};

/** The whole state of a promotion, deploy or rollback: every face renders this and nothing else. */
export type FlowState = {
	readonly kind: ReleaseKind;
	readonly env: string;
	readonly from: string | null;
	readonly phase: FlowPhase;
	readonly plan?: OperationPlan;
	readonly preflight: readonly PreflightCheck[];
	readonly confirmation?: ConfirmationNeed;
	readonly steps: readonly FlowStep[];
	/** The last lines of recipe output (the full log is in the log file). */
	readonly output: readonly string[];
	readonly logFile?: string;
	readonly cancelRequested: boolean;
	/** `refused` when nothing changed (preflight, confirmation or lock said no). */
	readonly outcome?: ReleaseOutcome | 'refused';
	readonly error?: string;
	readonly release?: ReleaseRecord;
};

export type FlowEvent =
	| {readonly type: 'planned'; readonly plan: OperationPlan}
	| {readonly type: 'preflight-checked'; readonly checks: readonly PreflightCheck[]}
	| {readonly type: 'confirmation-requested'; readonly need: ConfirmationNeed}
	| {readonly type: 'run-started'; readonly steps: ReadonlyArray<{id: string; label: string}>; readonly logFile: string}
	| {readonly type: 'step-started'; readonly id: string; readonly label?: string; readonly at: number}
	| {readonly type: 'step-finished'; readonly id: string; readonly ok: boolean; readonly detail?: string; readonly at: number}
	| {readonly type: 'step-skipped'; readonly id: string; readonly detail?: string}
	| {readonly type: 'recipe-step'; readonly name: string; readonly at: number}
	| {readonly type: 'output'; readonly line: string}
	| {readonly type: 'cancel-requested'}
	| {readonly type: 'refused'; readonly reason: string}
	| {readonly type: 'finished'; readonly outcome: ReleaseOutcome; readonly error?: string; readonly release: ReleaseRecord};

export const outputLinesKept = 200;

export function initialFlowState(kind: ReleaseKind, env: string, from: string | null): FlowState {
	return {kind, env, from, phase: 'planning', preflight: [], steps: [], output: [], cancelRequested: false};
}

function updateStep(steps: readonly FlowStep[], id: string, update: (step: FlowStep) => FlowStep): FlowStep[] {
	return steps.map(step => (step.id === id ? update(step) : step));
}

/** The one transition function behind the wizard, the scriptable command and the tests. */
export function reduceFlow(state: FlowState, event: FlowEvent): FlowState {
	switch (event.type) {
		case 'planned':
			return {...state, phase: 'preflight', plan: event.plan};
		case 'preflight-checked':
			return {...state, preflight: event.checks};
		case 'confirmation-requested':
			return {...state, phase: 'confirming', confirmation: event.need};
		case 'run-started':
			return {...state, phase: 'running', logFile: event.logFile, steps: event.steps.map(step => ({...step, status: 'pending', substeps: []}))};
		case 'step-started': {
			const exists = state.steps.some(step => step.id === event.id);
			const steps = exists ? state.steps : [...state.steps, {id: event.id, label: event.label ?? event.id, status: 'pending' as const, substeps: []}];
			return {...state, steps: updateStep(steps, event.id, step => ({...step, status: 'running', startedAt: event.at}))};
		}

		case 'step-finished':
			return {
				...state,
				steps: updateStep(state.steps, event.id, step => ({
					...step,
					status: event.ok ? 'succeeded' : 'failed',
					ms: step.startedAt === undefined ? undefined : event.at - step.startedAt,
					detail: event.detail ?? step.detail,
				})),
			};
		case 'step-skipped':
			return {...state, steps: updateStep(state.steps, event.id, step => ({...step, status: 'skipped', detail: event.detail}))};
		case 'recipe-step': {
			const running = state.steps.find(step => step.status === 'running');
			if (!running) return state;
			return {...state, steps: updateStep(state.steps, running.id, step => ({...step, substeps: [...step.substeps, {name: event.name, at: event.at}]}))};
		}

		case 'output': {
			const output = state.output.length >= outputLinesKept ? [...state.output.slice(1 - outputLinesKept), event.line] : [...state.output, event.line];
			return {...state, output};
		}

		case 'cancel-requested':
			return {...state, cancelRequested: true};
		case 'refused':
			return {...state, phase: 'finished', outcome: 'refused', error: event.reason};
		case 'finished':
			return {...state, phase: 'finished', outcome: event.outcome, error: event.error, release: event.release};
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
