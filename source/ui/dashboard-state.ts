/** What sits on top of the panels, if anything. */
export type Overlay =
	| {readonly kind: 'none'}
	| {readonly kind: 'help'}
	| {readonly kind: 'filter'}
	| {readonly kind: 'logs'; readonly env: string; readonly containerId: string; readonly name: string}
	| {readonly kind: 'inspect'; readonly env: string; readonly containerId: string; readonly name: string}
	| {readonly kind: 'rollback'; readonly env: string; readonly filter?: string}
	| {readonly kind: 'history'; readonly env: string}
	| {readonly kind: 'checks'; readonly env: string}
	| {readonly kind: 'promote'; readonly from: string; readonly to: string | undefined}
	| {readonly kind: 'confirm-restart'; readonly env: string; readonly containerId: string; readonly name: string};

export type Message = {readonly text: string; readonly tone: 'good' | 'bad' | 'plain'};

/** The dashboard's own state: selection, overlay, filter, last message. Live data lives in the monitor. */
export type DashboardUiState = {
	readonly environment: number;
	readonly container: number;
	readonly overlay: Overlay;
	readonly filter: string;
	/** Every container listed, healthy ones included, however many there are. */
	readonly expanded: boolean;
	readonly message: Message | null;
};

export type DashboardAction =
	| {readonly type: 'move-environment'; readonly delta: number; readonly count: number}
	| {readonly type: 'select-environment'; readonly index: number; readonly count: number}
	/** `countAt` answers for the state the reducer sees, so keys typed faster than renders still land right. */
	| {readonly type: 'move-container'; readonly delta: number; readonly countAt: (state: DashboardUiState) => number}
	| {readonly type: 'toggle-expanded'}
	| {readonly type: 'open'; readonly overlay: Overlay}
	| {readonly type: 'close-overlay'}
	| {readonly type: 'filter-changed'; readonly filter: string}
	| {readonly type: 'show-message'; readonly message: Message}
	| {readonly type: 'dismiss-message'};

export function initialDashboardState(environment = 0): DashboardUiState {
	return {environment, container: 0, overlay: {kind: 'none'}, filter: '', expanded: false, message: null};
}

function wrap(index: number, count: number): number {
	return count === 0 ? 0 : ((index % count) + count) % count;
}

export function reduceDashboard(state: DashboardUiState, action: DashboardAction): DashboardUiState {
	switch (action.type) {
		case 'move-environment':
			return {...state, environment: wrap(state.environment + action.delta, action.count), container: 0, message: null};
		case 'select-environment':
			return action.index < 0 || action.index >= action.count ? state : {...state, environment: action.index, container: 0, message: null};
		case 'move-container': {
			const count = action.countAt(state);
			return {...state, container: count === 0 ? 0 : Math.min(Math.max(state.container + action.delta, 0), count - 1), message: null};
		}
		case 'toggle-expanded':
			return {...state, expanded: !state.expanded, container: 0};
		case 'open':
			return {...state, overlay: action.overlay, message: null};
		case 'close-overlay':
			return {...state, overlay: {kind: 'none'}};
		case 'filter-changed':
			return {...state, filter: action.filter, container: 0};
		case 'show-message':
			return {...state, message: action.message};
		case 'dismiss-message':
			return {...state, message: null};
	}
}
