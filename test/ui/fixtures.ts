import type {EnvironmentStatus} from '../../source/app/collect-status.js';
import type {ActionResult, ContainerDetails, DashboardActions} from '../../source/app/dashboard-actions.js';
import type {LiveSnapshot} from '../../source/app/live-monitor.js';
import type {PromotionChoice, PromotionSource, RollbackSource, StartOperation} from '../../source/app/operation-face.js';
import {initialFlowState, reduceFlow, type FlowEvent, type FlowState} from '../../source/core/operation-flow.js';
import type {ReleaseRecord} from '../../source/core/release.js';
import type {RollbackCandidate} from '../../source/core/rollback-candidates.js';
import type {ContainerSnapshot} from '../../source/core/container.js';

export function container(overrides: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
	return {
		id: 'c-web', name: 'shop-staging-web', service: 'web', image: 'shop-web:1a2b3c4d5e6f', state: 'running', health: 'healthy',
		restarts: 0, startedAt: new Date(Date.now() - 5 * 60_000).toISOString(), createdAt: '2026-11-23T00:00:00Z', commit: '1a2b3c4d5e6f', release: 'staging-r1',
		...overrides,
	};
}

export function environment(overrides: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
	return {
		name: 'staging', title: 'Staging', health: 'healthy', reasons: [], branch: 'staging', commit: '1a2b3c4d5e6f7a8b', upstream: 'dev', pending: 2,
		pendingCommits: [], vcsError: null, engine: {host: 'unix:///var/run/docker.sock', reachable: true, error: null}, release: 'staging-r1',
		containers: [container(), container({id: 'c-api', name: 'shop-staging-api', service: 'api'})], probes: [{name: 'web', url: 'http://x/health', ok: true, status: 200, ms: 3}],
		...overrides,
	};
}

/** A store fed by fixtures: tests publish snapshots and count what listeners hear. */
export class FixtureLive {
	snapshot: LiveSnapshot;
	gitRefreshes = 0;
	readonly #listeners = new Set<() => void>();

	constructor(environments: EnvironmentStatus[]) {
		this.snapshot = {environments, engines: [{host: 'unix:///var/run/docker.sock', state: 'live', error: null}]};
	}

	subscribe = (listener: () => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	getSnapshot = () => this.snapshot;

	refreshGit = async () => {
		this.gitRefreshes++;
	};

	/** Tells listeners again without a new snapshot, as a monitor does when nothing shown changed. */
	notifyUnchanged(): void {
		for (const listener of this.#listeners) listener();
	}

	publish(snapshot: Partial<LiveSnapshot>): void {
		this.snapshot = {...this.snapshot, ...snapshot};
		for (const listener of this.#listeners) listener();
	}
}

/** Actions that record what the dashboard asked for, for pure-UI tests. */
export class RecordingActions implements DashboardActions {
	restarts: Array<[string, string]> = [];
	readOnly = new Map<string, string>();
	logLines: string[] = ['first line', 'DB_PASSWORD is ••••••', 'last line'];

	rollback = new ScriptedRollback();

	readOnlyReason = (env: string) => this.readOnly.get(env);

	rollbackSource = (_env: string): RollbackSource => this.rollback;

	promotion = new ScriptedPromotion();

	promotionSource = (): PromotionSource => this.promotion;

	restartContainer = async (env: string, id: string): Promise<ActionResult> => {
		this.restarts.push([env, id]);
		return {ok: true, message: `restarted ${id}`};
	};

	inspectContainer = async (_env: string, id: string): Promise<ContainerDetails> => ({
		id, name: 'shop-staging-web', image: 'shop-web:1', state: 'running', health: 'healthy', restarts: 0, createdAt: 'then', startedAt: 'then',
		command: 'httpd', environment: ['PORT=8080', 'API_TOKEN=••••••'], labels: [['opsconsole.env', 'staging']], ports: [], networks: ['shop'], healthLog: [],
	});

	streamLogs = async (_env: string, _id: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> => {
		for (const line of this.logLines) onLine(line);
		await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), {once: true}));
	};
}

export function candidate(overrides: Partial<RollbackCandidate> = {}): RollbackCandidate {
	return {commit: 'bbbbbbb222', release: 'staging-r2', subject: 'Second', at: new Date(Date.now() - 3_600_000).toISOString(), operator: 'ana@example.test', outcome: 'succeeded', imagePresent: true, running: false, sources: ['history', 'tag'], ...overrides};
}

/**
 * A rollback that plays the real flow reducer through a script of events, pausing where the
 * real flow would ask for confirmation, and recording what the picker chose.
 */
export class ScriptedRollback implements RollbackSource {
	candidates: RollbackCandidate[] = [
		candidate({commit: 'ccccccc333', release: 'staging-r3', subject: 'Third', running: true, at: new Date().toISOString()}),
		candidate(),
		candidate({commit: 'aaaaaaa111', release: 'staging-r1', subject: 'First', outcome: 'failed', imagePresent: false, at: new Date(Date.now() - 7_200_000).toISOString()}),
	];

	chosen: RollbackCandidate[] = [];
	confirmLevel: 'none' | 'yes' | 'typed' = 'yes';
	/** Resolves the running step when the test says so (or when cancelled). */
	release: () => void = () => undefined;

	loadCandidates = async () => this.candidates;

	commitsUndone = async () => [{sha: 'ccccccc333', subject: 'Third', author: 'Ana', email: 'ana@example.test', date: '2026-11-23T00:00:00Z'}];

	startRollback = (chosen: RollbackCandidate): StartOperation => async hooks => {
		this.chosen.push(chosen);
		let state: FlowState = initialFlowState('rollback', 'staging', null);
		const dispatch = (event: FlowEvent) => {
			state = reduceFlow(state, event);
			hooks.onState(state);
		};

		dispatch({type: 'planned', plan: {kind: 'rollback', env: 'staging', from: null, commit: chosen.commit, commitSummary: null, verifiedInFrom: null, fromHealth: null, current: {commit: 'ccccccc333', release: 'staging-r3', deployedAt: null, branchHead: 'ccccccc333'}, commits: [], files: []}});
		dispatch({type: 'preflight-checked', checks: []});
		if (this.confirmLevel !== 'none') {
			const need = this.confirmLevel === 'yes' ? {level: 'yes' as const, env: 'staging'} : {level: 'typed' as const, env: 'staging'};
			dispatch({type: 'confirmation-requested', need});
			if (!(await hooks.confirm(need))) {
				dispatch({type: 'refused', reason: 'not confirmed for staging'});
				return state;
			}
		}

		dispatch({type: 'run-started', steps: [{id: 'deploy', label: 'rollback recipe (rollback.mjs)'}, {id: 'verify', label: 'verify staging'}], logFile: '/state/logs/r.log'});
		dispatch({type: 'step-started', id: 'deploy', at: Date.now()});
		dispatch({type: 'recipe-step', name: 'reset staging', at: Date.now()});
		dispatch({type: 'output', line: 'staging: ccccccc → bbbbbbb'});
		await new Promise<void>(resolve => {
			this.release = resolve;
			hooks.signal.addEventListener('abort', () => resolve(), {once: true});
		});
		const aborted = hooks.signal.aborted;
		dispatch({type: 'step-finished', id: 'deploy', ok: !aborted, at: Date.now(), ...(aborted ? {detail: 'rollback.mjs was cancelled'} : {})});
		const outcome = aborted ? 'aborted' : 'succeeded';
		dispatch({type: 'finished', outcome, release: {id: 'staging-r4', outcome} as ReleaseRecord});
		return state;
	};
}

/** The promotion flow played through the real reducer, with plan review, preflight and confirmation. */
export class ScriptedPromotion implements PromotionSource {
	choices: PromotionChoice[] = [
		{name: 'dev', title: 'Development', promotesTo: 'staging', cannotPromoteFrom: undefined, cannotReceive: 'first stage: nothing promotes into it'},
		{name: 'staging', title: 'Staging', promotesTo: 'production', cannotPromoteFrom: undefined, cannotReceive: undefined},
		{name: 'production', title: 'Production', promotesTo: null, cannotPromoteFrom: 'last stage: promotes nowhere', cannotReceive: undefined},
	];

	confirmLevel: 'yes' | 'typed' = 'yes';
	failingCheck: string | undefined;
	started: Array<[string, string]> = [];
	release: () => void = () => undefined;

	loadChoices = async () => this.choices;

	startPromotion = (from: string, to: string): StartOperation => async hooks => {
		this.started.push([from, to]);
		let state: FlowState = initialFlowState('promotion', to, from);
		const dispatch = (event: FlowEvent) => {
			state = reduceFlow(state, event);
			hooks.onState(state);
		};

		dispatch({type: 'planned', plan: {
			kind: 'promotion', env: to, from, commit: 'bbbbbbb2222', commitSummary: {sha: 'bbbbbbb2222', subject: 'Checkout v2', author: 'Ana', email: 'ana@example.test', date: new Date(Date.now() - 3_600_000).toISOString()},
			verifiedInFrom: true, fromHealth: 'healthy', current: {commit: 'aaaaaaa1111', release: `${to}-r1`, deployedAt: new Date(Date.now() - 86_400_000).toISOString(), branchHead: 'aaaaaaa1111'},
			commits: [{sha: 'bbbbbbb2222', subject: 'Checkout v2', author: 'Ana', email: 'ana@example.test', date: '2026-11-23T00:00:00Z'}, {sha: 'ccccccc3333', subject: 'Fix cart totals', author: 'Bo', email: 'bo@example.test', date: '2026-11-22T00:00:00Z'}],
			files: [{path: 'app/cart.js', added: 12, removed: 3}],
		}});
		if (hooks.reviewPlan && !(await hooks.reviewPlan(state))) {
			dispatch({type: 'refused', reason: 'abandoned after reviewing the plan'});
			return state;
		}

		dispatch({type: 'preflight-checked', checks: [
			{id: 'engine', label: 'engine reachable', ok: true},
			this.failingCheck ? {id: 'from-healthy', label: `${from} healthy`, ok: false, reason: this.failingCheck, remedy: `fix ${from} first; only a healthy release is promoted`} : {id: 'from-healthy', label: `${from} healthy`, ok: true},
			{id: 'lock', label: 'lock free', ok: true},
		]});
		if (this.failingCheck) {
			dispatch({type: 'refused', reason: this.failingCheck});
			return state;
		}

		const need = this.confirmLevel === 'yes' ? {level: 'yes' as const, env: to} : {level: 'typed' as const, env: to};
		dispatch({type: 'confirmation-requested', need});
		if (!(await hooks.confirm(need))) {
			dispatch({type: 'refused', reason: `not confirmed for ${to}`});
			return state;
		}

		dispatch({type: 'run-started', steps: [{id: 'promote', label: 'promote recipe (promote.mjs)'}, {id: 'deploy', label: 'deploy recipe (deploy.mjs)'}, {id: 'verify', label: `verify ${to}`}, {id: 'record', label: 'record release'}], logFile: '/state/logs/p.log'});
		dispatch({type: 'step-started', id: 'promote', at: Date.now()});
		dispatch({type: 'step-finished', id: 'promote', ok: true, at: Date.now() + 400});
		dispatch({type: 'step-started', id: 'deploy', at: Date.now()});
		dispatch({type: 'recipe-step', name: 'image web', at: Date.now()});
		dispatch({type: 'output', line: 'reusing shop-web:bbbbbbb2222'});
		await new Promise<void>(resolve => {
			this.release = resolve;
			hooks.signal.addEventListener('abort', () => resolve(), {once: true});
		});
		if (hooks.signal.aborted) {
			dispatch({type: 'step-finished', id: 'deploy', ok: false, detail: 'deploy.mjs was cancelled', at: Date.now()});
			dispatch({type: 'finished', outcome: 'aborted', error: `deploy.mjs was cancelled; rolled back to aaaaaaa`, release: {id: `${to}-r2`, outcome: 'aborted', startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), logFile: '/state/logs/p.log'} as ReleaseRecord});
			return state;
		}

		dispatch({type: 'step-finished', id: 'deploy', ok: true, at: Date.now() + 900});
		dispatch({type: 'step-started', id: 'verify', at: Date.now()});
		dispatch({type: 'step-finished', id: 'verify', ok: true, detail: 'healthy in 1.3 s', at: Date.now() + 1300});
		dispatch({type: 'finished', outcome: 'succeeded', release: {id: `${to}-r2`, outcome: 'succeeded', startedAt: new Date(Date.now() - 3000).toISOString(), finishedAt: new Date().toISOString(), logFile: '/state/logs/p.log'} as ReleaseRecord});
		return state;
	};
}
