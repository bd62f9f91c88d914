import type {EnvironmentStatus} from '../../source/app/collect-status.js';
import type {ActionResult, ContainerDetails, DashboardActions} from '../../source/app/dashboard-actions.js';
import type {LiveSnapshot} from '../../source/app/live-monitor.js';
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

	readOnlyReason = (env: string) => this.readOnly.get(env);

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
