import {Box, Text, useInput, type Key} from 'ink';
import {useEffect, useReducer, useRef, useSyncExternalStore} from 'react';
import type {DashboardActions} from '../app/dashboard-actions.js';
import type {LiveSnapshot} from '../app/live-monitor.js';
import EnvironmentPanel from './components/EnvironmentPanel.js';
import TextField from './components/TextField.js';
import Footer from './components/Footer.js';
import Header from './components/Header.js';
import HelpOverlay from './components/HelpOverlay.js';
import TabBar from './components/TabBar.js';
import {initialDashboardState, reduceDashboard} from './dashboard-state.js';
import {visibleContainers} from './dashboard-model.js';
import {dashboardKeys} from './keys.js';
import {keystrokes} from './keystrokes.js';
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

/** Panels side by side need this many columns each; below that, environments become tabs. */
const panelMinimumWidth = 40;

export default function App({live, actions, project, operator, readOnly, initialEnvironment, onEnvironmentSelected, onQuit}: Props) {
	const style = useStyle();
	const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot);
	const environments = snapshot.environments;
	const startAt = Math.max(0, environments.findIndex(environment => environment.name === initialEnvironment));
	const [state, dispatchAction] = useReducer(reduceDashboard, startAt, initialDashboardState);
	const {columns, rows} = useTerminalSize();
	const now = useMinuteClock();

	const selected = environments[state.environment];
	const containers = selected ? visibleContainers(selected, state.filter) : [];
	const container = containers[Math.min(state.container, containers.length - 1)];
	const overlay = state.overlay;

	useEffect(() => {
		if (selected) onEnvironmentSelected?.(selected.name);
	}, [selected?.name]);

	const countAt = (environment: number, filter: string) => {
		const status = live.getSnapshot().environments[environment];
		return status ? visibleContainers(status, filter).length : 0;
	};

	const say = (text: string, tone: 'good' | 'bad' | 'plain' = 'plain') => dispatch({type: 'show-message', message: {text, tone}});

	const latest = useLatest({selected, container, containers, environments});
	// The overlay as the keys already typed left it: two keys in one burst must not meet the same one.
	const overlayNow = useRef(overlay);
	overlayNow.current = overlay;
	const dispatch = (action: Parameters<typeof dispatchAction>[0]) => {
		if (action.type === 'open') overlayNow.current = action.overlay;
		else if (action.type === 'close-overlay') overlayNow.current = {kind: 'none'};
		dispatchAction(action);
	};

	useInput((burst, burstKey) => {
		for (const [input, key] of keystrokes(burst, burstKey)) handleKey(input, key);
	});

	function handleKey(input: string, key: Key) {
		const {selected, container, containers, environments} = latest.current;
		const overlay = overlayNow.current;
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
		} else if (key.downArrow) {
			dispatch({type: 'move-container', delta: 1, countAt});
		} else if (key.upArrow) {
			dispatch({type: 'move-container', delta: -1, countAt});
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
		} else {
			const later = dashboardKeys.find(help => help.notYet && help.keys === input);
			if (later) say(`${input}: ${later.does} is not available yet in this version`, 'bad');
		}
	}

	const closeOverlay = () => dispatch({type: 'close-overlay'});
	// One row short of the terminal: a frame that fills it makes Ink clear and repaint everything.
	const body = rows - 1;

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

	if (overlay.kind === 'inspect') {
		return <InspectScreen actions={actions} env={overlay.env} containerId={overlay.containerId} width={columns} height={body} onClose={closeOverlay}/>;
	}

	const wide = columns >= panelMinimumWidth * Math.max(1, environments.length);
	const headerLines = 1 + snapshot.engines.length;
	const bottomLines = 2;
	const panelHeight = Math.max(6, body - headerLines - bottomLines - (wide ? 0 : 1));
	const panelWidth = wide ? Math.floor(columns / Math.max(1, environments.length)) : columns;
	const shownEnvironments = wide ? environments : environments.filter((_, index) => index === state.environment);

	return (
		<Box flexDirection="column" width={columns}>
			<Header project={project} operator={operator} engines={snapshot.engines} readOnly={readOnly} width={columns}/>
			{wide ? null : <TabBar environments={environments} selected={state.environment}/>}
			{overlay.kind === 'help' ? <HelpOverlay readOnly={readOnly} width={columns}/> : (
				<Box>
					{shownEnvironments.map(environment => (
						<EnvironmentPanel
							key={environment.name}
							status={environment}
							focused={environment.name === selected?.name}
							selectedContainer={environment.name === selected?.name ? Math.min(state.container, containers.length - 1) : -1}
							width={panelWidth}
							height={panelHeight}
							filter={state.filter}
							readOnly={actions.readOnlyReason(environment.name) !== undefined}
							now={now}
						/>
					))}
				</Box>
			)}
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
