import {Box, Text, useInput, type Key} from 'ink';
import {useEffect, useReducer, useRef, useSyncExternalStore} from 'react';
import type {DashboardActions} from '../app/dashboard-actions.js';
import type {LiveSnapshot} from '../app/live-monitor.js';
import EnvironmentDetail from './components/EnvironmentDetail.js';
import EnvironmentStrip from './components/EnvironmentStrip.js';
import TextField from './components/TextField.js';
import Footer from './components/Footer.js';
import Header from './components/Header.js';
import HelpOverlay from './components/HelpOverlay.js';
import {initialDashboardState, reduceDashboard, type DashboardUiState} from './dashboard-state.js';
import {detailRows, planDetail} from './dashboard-model.js';
import {keystrokes} from './keystrokes.js';
import ChecklistScreen from './checks/ChecklistScreen.js';
import HistoryScreen from './history/HistoryScreen.js';
import InspectScreen from './screens/InspectScreen.js';
import PromotionWizard from './promotion/PromotionWizard.js';
import RollbackPicker from './rollback/RollbackPicker.js';
import LogsScreen from './screens/LogsScreen.js';
import {toneProps, useStyle} from './style-context.js';
import useLatest from './use-latest.js';
import useMinuteClock from './use-minute-clock.js';
import useTerminalSize from './use-terminal-size.js';

/** The live model as the dashboard sees it: a store to subscribe to, and git to refresh on demand. */
export type LiveSource = {
	readonly subscribe: (listener: () => void) => () => void;
	readonly getSnapshot: () => LiveSnapshot;
	readonly refreshGit: () => Promise<void>;
};

type Props = {
	readonly live: LiveSource;
	readonly actions: DashboardActions;
	readonly project: string;
	readonly operator: string;
	/** Nothing may be changed from this console (each environment's own reason comes from the actions). */
	readonly readOnly: boolean;
	readonly initialEnvironment?: string;
	/** Told whenever the operator selects another environment (to remember it). */
	readonly onEnvironmentSelected?: (name: string) => void;
	/** `q`: leave the console. */
	readonly onQuit: () => void;
};

export default function App({live, actions, project, operator, readOnly, initialEnvironment, onEnvironmentSelected, onQuit}: Props) {
	const style = useStyle();
	const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot);
	const environments = snapshot.environments;
	const startAt = Math.max(0, environments.findIndex(environment => environment.name === initialEnvironment));
	const [state, dispatchAction] = useReducer(reduceDashboard, startAt, initialDashboardState);
	const {columns, rows} = useTerminalSize();
	const now = useMinuteClock();

	// One row short of the terminal: a frame that fills it makes Ink clear and repaint everything.
	const body = rows - 1;
	const planAt = (at: DashboardUiState, from: LiveSnapshot) => {
		const status = from.environments[at.environment];
		return status && planDetail(status, {width: columns, rows: detailRows(body, from.environments.length, from.engines.length), filter: at.filter, expanded: at.expanded, ascii: style.ascii});
	};

	const selected = environments[state.environment];
	const plan = planAt(state, snapshot);
	const containers = plan?.listing.listed ?? [];
	const selectedContainer = Math.min(state.container, containers.length - 1);
	const container = containers[selectedContainer];
	const overlay = state.overlay;

	useEffect(() => {
		if (selected) onEnvironmentSelected?.(selected.name);
	}, [selected?.name]);

	const countAt = (at: DashboardUiState) => latestPlanAt.current(at, live.getSnapshot())?.listing.listed.length ?? 0;

	const say = (text: string, tone: 'good' | 'bad' | 'plain' = 'plain') => dispatch({type: 'show-message', message: {text, tone}});

	const latest = useLatest({environments, page: Math.max(1, (plan?.listing.rows ?? 3) - 2)});
	const latestPlanAt = useLatest(planAt);
	// The UI state as the keys already typed left it, advanced by the same reducer before React renders:
	// two keys in one burst (`1p`, `?q`) must not meet the same environment, container or overlay.
	const stateNow = useRef(state);
	stateNow.current = state;
	const dispatch = (action: Parameters<typeof dispatchAction>[0]) => {
		stateNow.current = reduceDashboard(stateNow.current, action);
		dispatchAction(action);
	};

	useInput((burst, burstKey) => {
		for (const [input, key] of keystrokes(burst, burstKey)) handleKey(input, key);
	});

	function handleKey(input: string, key: Key) {
		const {environments, page} = latest.current;
		const at = stateNow.current;
		const {overlay} = at;
		const selected = environments[at.environment];
		const listed = latestPlanAt.current(at, live.getSnapshot())?.listing.listed ?? [];
		const container = listed[Math.min(at.container, listed.length - 1)];
		if (overlay.kind === 'help') {
			if (key.escape || input === '?' || input === 'q') dispatch({type: 'close-overlay'});
			return;
		}

		if (overlay.kind === 'confirm-restart') {
			dispatch({type: 'close-overlay'});
			if (input === 'y' || input === 'Y') {
				say(`restarting ${overlay.name}…`);
				void actions.restartContainer(overlay.env, overlay.containerId, overlay.name).then(result => say(result.message, result.ok ? 'good' : 'bad'));
			} else {
				say('restart cancelled');
			}

			return;
		}

		if (overlay.kind === 'filter') return;
		if (overlay.kind !== 'none') return;
		if (input === 'q') {
			onQuit();
		} else if (key.tab && !key.shift || key.rightArrow) {
			dispatch({type: 'move-environment', delta: 1, count: environments.length});
		} else if (key.tab && key.shift || key.leftArrow) {
			dispatch({type: 'move-environment', delta: -1, count: environments.length});
		} else if (/^[1-9]$/.test(input)) {
			dispatch({type: 'select-environment', index: Number(input) - 1, count: environments.length});
		} else if (key.downArrow || input === 'j') {
			dispatch({type: 'move-container', delta: 1, countAt});
		} else if (key.upArrow || input === 'k') {
			dispatch({type: 'move-container', delta: -1, countAt});
		} else if (key.pageDown || key.pageUp) {
			dispatch({type: 'move-container', delta: (key.pageDown ? 1 : -1) * page, countAt});
		} else if (input === 'e') {
			dispatch({type: 'toggle-expanded'});
		} else if (input === '?') {
			dispatch({type: 'open', overlay: {kind: 'help'}});
		} else if (input === '/') {
			dispatch({type: 'open', overlay: {kind: 'filter'}});
		} else if (input === 'p' && selected) {
			const to = environments.find(environment => environment.upstream === selected.name)?.name;
			const refusal = to ? actions.readOnlyReason(to) : `${selected.name} is the last stage: it promotes nowhere`;
			if (refusal) say(`promotion refused: ${refusal}`, 'bad');
			else dispatch({type: 'open', overlay: {kind: 'promote', from: selected.name, to}});
		} else if (input === 'r' && selected) {
			const refusal = actions.readOnlyReason(selected.name);
			if (refusal) say(`rollback refused: ${refusal}`, 'bad');
			else dispatch({type: 'open', overlay: {kind: 'rollback', env: selected.name}});
		} else if (input === 'c' && selected) {
			const environment = selected.name;
			if (actions.checklistSource(environment).items.length === 0) say(`${environment} has no checks: add a checks: list to environments/${environment}.yaml`, 'bad');
			else dispatch({type: 'open', overlay: {kind: 'checks', env: environment}});
		} else if (input === 'g') {
			say('refreshing git…');
			void live.refreshGit().then(() => say('git state refreshed', 'good'));
		} else if ((input === 'l' || input === 'i' || input === 'R') && !container) {
			say('select a container first (↑/↓)', 'bad');
		} else if (input === 'l' && selected && container) {
			dispatch({type: 'open', overlay: {kind: 'logs', env: selected.name, containerId: container.id, name: container.name}});
		} else if (input === 'i' && selected && container) {
			dispatch({type: 'open', overlay: {kind: 'inspect', env: selected.name, containerId: container.id, name: container.name}});
		} else if (input === 'R' && selected && container) {
			const refusal = actions.readOnlyReason(selected.name);
			if (refusal) say(`restart refused: ${refusal}`, 'bad');
			else dispatch({type: 'open', overlay: {kind: 'confirm-restart', env: selected.name, containerId: container.id, name: container.name}});
		} else if (input === 'h' && selected) {
			dispatch({type: 'open', overlay: {kind: 'history', env: selected.name}});
		}
	}

	const closeOverlay = () => dispatch({type: 'close-overlay'});

	if (overlay.kind === 'logs') {
		return <LogsScreen actions={actions} env={overlay.env} containerId={overlay.containerId} name={overlay.name} width={columns} height={body} onClose={closeOverlay}/>;
	}

	if (overlay.kind === 'promote') {
		return (
			<PromotionWizard
				source={actions.promotionSource()}
				initialFrom={overlay.from}
				initialTo={overlay.to}
				width={columns}
				height={body}
				onDone={finished => {
					closeOverlay();
					if (finished) {
						say(`promotion ${overlay.from} → ${overlay.to ?? ''}: ${finished.outcome}${finished.error ? ` — ${finished.error}` : ''}`, finished.outcome === 'succeeded' ? 'good' : 'bad');
						void live.refreshGit();
					}
				}}
			/>
		);
	}

	if (overlay.kind === 'rollback') {
		return (
			<RollbackPicker
				env={overlay.env}
				initialFilter={overlay.filter}
				source={actions.rollbackSource(overlay.env)}
				width={columns}
				height={body}
				onDone={finished => {
					closeOverlay();
					if (finished) {
						say(`rollback of ${overlay.env}: ${finished.outcome}${finished.error ? ` — ${finished.error}` : ''}`, finished.outcome === 'succeeded' ? 'good' : 'bad');
						void live.refreshGit();
					}
				}}
			/>
		);
	}

	if (overlay.kind === 'history') {
		return (
			<HistoryScreen
				env={overlay.env}
				source={actions.historySource(overlay.env)}
				width={columns}
				height={body}
				onClose={closeOverlay}
				onRollback={record => {
					const refusal = actions.readOnlyReason(overlay.env);
					const running = live.getSnapshot().environments.find(environment => environment.name === overlay.env)?.release;
					if (refusal || running === record.id) {
						closeOverlay();
						say(refusal ? `rollback refused: ${refusal}` : `${record.id} is what ${overlay.env} runs now: choose an earlier release to roll back to`, 'bad');
					} else {
						dispatch({type: 'open', overlay: {kind: 'rollback', env: overlay.env, filter: record.commit}});
					}
				}}
			/>
		);
	}

	if (overlay.kind === 'checks') {
		return <ChecklistScreen source={actions.checklistSource(overlay.env)} width={columns} height={body} onDone={closeOverlay}/>;
	}

	if (overlay.kind === 'inspect') {
		return <InspectScreen actions={actions} env={overlay.env} containerId={overlay.containerId} width={columns} height={body} onClose={closeOverlay}/>;
	}

	return (
		<Box flexDirection="column" width={columns}>
			<Header project={project} operator={operator} engines={snapshot.engines} readOnly={readOnly} width={columns}/>
			<EnvironmentStrip environments={environments} engines={snapshot.engines} selected={state.environment} width={columns} now={now}/>
			{overlay.kind === 'help' ? <HelpOverlay readOnly={readOnly} width={columns}/> : selected && plan ? (
				<EnvironmentDetail
					status={selected}
					plan={plan}
					selectedContainer={selectedContainer}
					width={columns}
					filter={state.filter}
					readOnly={actions.readOnlyReason(selected.name) !== undefined}
					now={now}
				/>
			) : null}
			{overlay.kind === 'filter' ? (
				<Text>
					/ filter: <TextField value={state.filter} onChange={filter => dispatch({type: 'filter-changed', filter})} onSubmit={closeOverlay} onCancel={() => {
						dispatch({type: 'filter-changed', filter: ''});
						closeOverlay();
					}}/>
				</Text>
			) : overlay.kind === 'confirm-restart' ? (
				<Text {...toneProps('warn', style)} wrap="truncate">Restart {overlay.name} in {overlay.env}? [y/N]</Text>
			) : state.message ? (
				<Text {...toneProps(state.message.tone === 'plain' ? 'plain' : state.message.tone, style)} wrap="truncate">{state.message.text}</Text>
			) : (
				<Text dimColor wrap="truncate">{state.filter ? `filter: ${state.filter} (/ to change, Esc in the filter clears)` : ' '}</Text>
			)}
			<Footer readOnly={readOnly} width={columns}/>
		</Box>
	);
}
