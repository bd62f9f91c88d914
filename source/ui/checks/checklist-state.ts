import type {ChecklistItem} from '../../app/checklist-source.js';
import type {CheckResult, CheckRun} from '../../core/checks.js';

export type RowPhase = 'waiting' | 'running' | 'done';
export type ChecklistRow = {readonly phase: RowPhase; readonly result?: CheckResult};
export type ChecklistMessage = {readonly text: string; readonly tone: 'good' | 'bad' | 'plain'};

/** The checklist screen's state: each check's progress, the last finished run, the selection, and the mode. */
export type ChecklistState = {
	readonly items: readonly ChecklistItem[];
	readonly rows: readonly ChecklistRow[];
	readonly run: CheckRun | undefined;
	readonly running: boolean;
	readonly selected: number;
	/** The selected check's whole output is shown, scrolled this far. */
	readonly detail: {readonly scroll: number} | undefined;
	readonly message: ChecklistMessage | undefined;
	/** Present mode: how many checks are revealed; one past the last is the summary slide. */
	readonly present: {readonly revealed: number} | undefined;
};

export type ChecklistAction =
	| {readonly type: 'run-started'; readonly only: readonly number[] | undefined}
	| {readonly type: 'check-started'; readonly index: number}
	| {readonly type: 'check-finished'; readonly index: number; readonly result: CheckResult}
	| {readonly type: 'run-finished'; readonly run: CheckRun}
	| {readonly type: 'run-failed'; readonly problem: string}
	| {readonly type: 'move'; readonly delta: number}
	| {readonly type: 'open-detail'}
	| {readonly type: 'close-detail'}
	| {readonly type: 'scroll-detail'; readonly delta: number; readonly lines: number}
	| {readonly type: 'show-message'; readonly message: ChecklistMessage}
	| {readonly type: 'enter-present'}
	| {readonly type: 'leave-present'}
	| {readonly type: 'reveal'; readonly delta: number};

export function initialChecklistState(items: readonly ChecklistItem[], present: boolean): ChecklistState {
	return {items, rows: items.map(() => ({phase: 'waiting'})), run: undefined, running: false, selected: 0, detail: undefined, message: undefined, present: present ? {revealed: 0} : undefined};
}

/** The indexes a re-run covers: the failed ones. */
export function failedIndexes(state: Pick<ChecklistState, 'rows'>): number[] {
	return state.rows.flatMap((row, index) => (row.result?.status === 'fail' ? [index] : []));
}

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), Math.max(low, high));

export function reduceChecklist(state: ChecklistState, action: ChecklistAction): ChecklistState {
	switch (action.type) {
		case 'run-started':
			return {
				...state,
				running: true,
				message: undefined,
				rows: state.rows.map((row, index) => (action.only === undefined || action.only.includes(index) ? {phase: 'waiting'} : row)),
			};
		case 'check-started':
			return {...state, rows: state.rows.map((row, index) => (index === action.index ? {phase: 'running'} : row))};
		case 'check-finished':
			return {...state, rows: state.rows.map((row, index) => (index === action.index ? {phase: 'done', result: action.result} : row))};
		case 'run-finished':
			return {...state, running: false, run: action.run, rows: action.run.checks.map(result => ({phase: 'done', result}))};
		case 'run-failed':
			return {...state, running: false, message: {text: action.problem, tone: 'bad'}};
		case 'move':
			return {...state, selected: clamp(state.selected + action.delta, 0, state.items.length - 1)};
		case 'open-detail':
			return state.rows[state.selected]?.result ? {...state, detail: {scroll: 0}} : {...state, message: {text: 'this check has not finished yet', tone: 'plain'}};
		case 'close-detail':
			return {...state, detail: undefined};
		case 'scroll-detail':
			return state.detail ? {...state, detail: {scroll: clamp(state.detail.scroll + action.delta, 0, action.lines - 1)}} : state;
		case 'show-message':
			return {...state, message: action.message};
		case 'enter-present':
			return {...state, detail: undefined, present: {revealed: 0}};
		case 'leave-present':
			return {...state, present: undefined};
		case 'reveal':
			return state.present ? {...state, present: {revealed: clamp(state.present.revealed + action.delta, 0, state.items.length + 1)}} : state;
	}
}
