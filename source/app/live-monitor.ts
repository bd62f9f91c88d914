import {setTimeout as sleep} from 'node:timers/promises';
import type {Engine} from '../core/adapters.js';
import {compareContainers, stateAfterEvent, type ContainerEvent, type ContainerSnapshot} from '../core/container.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {EngineUnavailableError} from '../core/errors.js';
import type {ProbeResult} from '../core/health.js';
import type {LockState} from '../core/lock.js';
import type {ReleaseRecord} from '../core/release.js';
import {composeEnvironmentStatus, latestRelease, readEnvironmentGit, runEnvironmentProbes, type EnvironmentStatus, type GitState, type StatusSources, type SwarmStatusPart} from './collect-status.js';

export type EngineConnection = {
	readonly host: string;
	/** `unreachable`: a single read (`--once`) found it down, with nothing retrying. */
	readonly state: 'connecting' | 'live' | 'reconnecting' | 'unreachable';
	readonly error: string | null;
	/** What the operator must know about the connection whatever its state (TLS verification off). */
	readonly caution?: string | null;
};

/** What the live view shows, replaced (never mutated) whenever what it shows changes. */
export type LiveSnapshot = {
	readonly environments: readonly EnvironmentStatus[];
	readonly engines: readonly EngineConnection[];
};

export type LiveMonitorOptions = {
	/** Full re-read of every engine, healing anything the events stream missed. */
	readonly resyncMs?: number;
	readonly probeMs?: number;
	readonly gitMs?: number;
	readonly reconnectInitialMs?: number;
	readonly reconnectMaxMs?: number;
	/**
	 * The first read inspects containers only once what this returns settles: the screen's modules,
	 * whose load needs the CPU more than details the list already lets it draw without.
	 */
	readonly detailsAfter?: () => Promise<unknown>;
};

type EnvironmentParts = {
	containers: Map<string, ContainerSnapshot>;
	engineError: string | undefined;
	git: GitState;
	probes: readonly ProbeResult[];
	latest: ReleaseRecord | undefined;
	lock: LockState | undefined;
	/** A swarm environment's stack, once read. */
	swarm?: SwarmStatusPart;
};

const unknownGit: GitState = {commit: null, pending: null, pendingCommits: [], vcsError: null};

/** A comparison key for a status that ignores probe timings, which change on every probe. */
function displayKey(status: EnvironmentStatus): string {
	return JSON.stringify(status, (key, value: unknown) => (key === 'ms' ? undefined : value));
}

/**
 * The live model behind the dashboard: per engine, the events stream updates containers within
 * milliseconds (one inspect per event, coalesced per container); a slow full re-sync heals what
 * was missed; a lost engine reads `unknown` with its reason and reconnects with backoff. Probes and
 * git refresh on timers. Listeners hear only of changes to what is shown.
 */
export class LiveMonitor {
	readonly #sources: StatusSources;
	readonly #environments: readonly EnvironmentConfig[];
	readonly #options: Required<LiveMonitorOptions>;
	readonly #parts = new Map<string, EnvironmentParts>();
	readonly #keys = new Map<string, string>();
	readonly #listeners = new Set<() => void>();
	readonly #controller = new AbortController();
	readonly #timers: NodeJS.Timeout[] = [];
	readonly #inspecting = new Map<string, {dirty: boolean}>();
	readonly #probeSoon = new Map<string, NodeJS.Timeout>();
	#snapshot: LiveSnapshot;
	#firstReads = new Set<string>();
	#gitReading: {dirty: boolean; done: Promise<void>} | undefined;
	#resolveReady: () => void = () => undefined;
	/** Settles once every environment's containers and git state have been read once. */
	readonly ready: Promise<void>;

	constructor(sources: StatusSources, environments: readonly EnvironmentConfig[], options: LiveMonitorOptions = {}) {
		this.#sources = sources;
		this.#environments = environments;
		this.#options = {resyncMs: 30_000, probeMs: 10_000, gitMs: 30_000, reconnectInitialMs: 1000, reconnectMaxMs: 30_000, ...options, detailsAfter: options.detailsAfter ?? (async () => undefined)};
		for (const environment of environments) {
			this.#parts.set(environment.name, {containers: new Map(), engineError: 'connecting…', git: unknownGit, probes: [], latest: undefined, lock: undefined});
			this.#firstReads.add(`containers:${environment.name}`).add(`git:${environment.name}`);
			if (environment.docker.mode === 'swarm') this.#firstReads.add(`swarm:${environment.name}`);
		}

		this.ready = new Promise(resolve => {
			this.#resolveReady = resolve;
		});
		this.#snapshot = {
			environments: environments.map(environment => this.#compose(environment)),
			engines: [...this.#hosts()].map(([host, [first]]) => ({host, state: 'connecting', error: null, caution: this.#engineOf(first!).caution ?? null})),
		};
	}

	getSnapshot = (): LiveSnapshot => this.#snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	/** Starts watching; call it as early as possible, the first reads overlap whatever loads next. */
	start(): void {
		const {signal} = this.#controller;
		for (const [host, environments] of this.#hosts()) void this.#watchHost(host, environments, signal);
		if (this.#environments.some(environment => environment.docker.mode === 'swarm')) void this.#watchSwarms(signal);
		void this.refreshGit();
		void this.#refreshProbes();
		// A lock taken or released, here or by another operator, shows at once; it is usually an
		// operation starting or ending, so branches and releases are read again too.
		this.#sources.state.locks.watch(() => {
			this.#readLocks();
			void this.refreshGit();
		}, signal);
		this.#timers.push(
			setInterval(() => void this.#resyncLiveHosts(), this.#options.resyncMs),
			setInterval(() => void this.#refreshProbes(), this.#options.probeMs),
			setInterval(() => void this.refreshGit(), this.#options.gitMs),
		);
	}

	stop(): void {
		this.#controller.abort();
		for (const timer of this.#timers) clearInterval(timer);
		for (const timer of this.#probeSoon.values()) clearTimeout(timer);
		this.#listeners.clear();
	}

	/**
	 * Re-reads branch heads, pending commits, the release records and locks now (after a promotion,
	 * a lock's change, or on the operator's request), one read at a time as #inspect does: a call
	 * while a read is under way makes one more read after it, shared by every such call, and waits
	 * for it, since the read under way may predate the change. An older read never lands last.
	 */
	async refreshGit(): Promise<void> {
		if (this.#gitReading) {
			this.#gitReading.dirty = true;
			return this.#gitReading.done;
		}

		const state = {dirty: true, done: Promise.resolve()};
		this.#gitReading = state;
		state.done = (async () => {
			try {
				while (state.dirty) {
					state.dirty = false;
					await this.#readGit();
				}
			} finally {
				this.#gitReading = undefined;
			}
		})();
		return state.done;
	}

	#readLocks(): void {
		for (const environment of this.#environments) {
			const lock = this.#sources.state.locks.read(environment.name);
			this.#update(environment, parts => {
				parts.lock = lock;
			});
		}
	}

	async #readGit(): Promise<void> {
		await Promise.all(this.#environments.map(async environment => {
			const git = await readEnvironmentGit(this.#sources.git, this.#environments, environment);
			const latest = latestRelease(this.#sources, environment);
			const lock = this.#sources.state.locks.read(environment.name);
			this.#update(environment, parts => {
				parts.git = git;
				parts.latest = latest;
				parts.lock = lock;
			});
			this.#firstRead(`git:${environment.name}`);
		}));
	}

	/** Swarm environments' services, tasks and nodes, by their own events stream; its code loads only when a project has one. */
	async #watchSwarms(signal: AbortSignal): Promise<void> {
		const {watchSwarms} = await import('./swarm-watch.js');
		if (signal.aborted) return;
		watchSwarms({
			engines: this.#sources.engines,
			environments: this.#environments.filter(environment => environment.docker.mode === 'swarm'),
			signal,
			resyncMs: this.#options.resyncMs,
			reconnectInitialMs: this.#options.reconnectInitialMs,
			reconnectMaxMs: this.#options.reconnectMaxMs,
			onPart: (environment, part) => {
				this.#update(environment, parts => {
					parts.swarm = part;
				});
				this.#probeAfterChange(environment);
				this.#firstRead(`swarm:${environment.name}`);
			},
		});
	}

	#engineOf(environment: EnvironmentConfig): Engine {
		return this.#sources.engines.engineFor(environment.docker);
	}

	/** Environments grouped by the engine they live on: one events stream per engine. */
	#hosts(): Map<string, EnvironmentConfig[]> {
		const hosts = new Map<string, EnvironmentConfig[]>();
		for (const environment of this.#environments) {
			const {host} = this.#engineOf(environment);
			hosts.set(host, [...(hosts.get(host) ?? []), environment]);
		}

		return hosts;
	}

	#firstRead(key: string): void {
		if (this.#firstReads.delete(key) && this.#firstReads.size === 0) this.#resolveReady();
	}

	async #watchHost(host: string, environments: readonly EnvironmentConfig[], signal: AbortSignal): Promise<void> {
		const engine = this.#engineOf(environments[0]!);
		let delay = this.#options.reconnectInitialMs;
		while (!signal.aborted) {
			const attempt = new AbortController();
			const stopAttempt = () => attempt.abort();
			signal.addEventListener('abort', stopAttempt, {once: true});
			try {
				// A retry leaves the reconnecting line as it is: a dead engine must not repaint the screen on every attempt.
				if (this.#snapshot.engines.find(connection => connection.host === host)?.state === 'live') this.#setEngine({host, state: 'reconnecting', error: null});
				let listening: () => void = () => undefined;
				const established = new Promise<void>(resolve => {
					listening = resolve;
				});
				const events = engine.watchEvents(event => this.#onEvent(environments, event), attempt.signal, listening);
				events.catch(() => undefined);
				// The first read shows as soon as it is done; a second once the events stream is established
				// (over ssh that takes a channel of its own) heals any change that fell between the two.
				await Promise.all([this.#syncEnvironments(environments), Promise.race([established, events])]);
				await this.#syncEnvironments(environments);
				this.#setEngine({host, state: 'live', error: null});
				delay = this.#options.reconnectInitialMs;
				await events;
				if (signal.aborted) return;
				throw new EngineUnavailableError(host, 'events stream ended');
			} catch (error) {
				if (signal.aborted) return;
				const reason = error instanceof EngineUnavailableError ? error.message : `engine at ${host}: ${(error as Error).message}`;
				for (const environment of environments) {
					this.#update(environment, parts => {
						parts.engineError = reason;
						parts.containers = new Map();
					});
					this.#firstRead(`containers:${environment.name}`);
				}

				this.#setEngine({host, state: 'reconnecting', error: `${reason} — retrying with backoff`});
				await sleep(delay, undefined, {signal}).catch(() => undefined);
				delay = Math.min(delay * 2, this.#options.reconnectMaxMs);
			} finally {
				attempt.abort();
				signal.removeEventListener('abort', stopAttempt);
			}
		}
	}

	async #syncEnvironments(environments: readonly EnvironmentConfig[]): Promise<void> {
		await Promise.all(environments.map(async environment => {
			const known = this.#parts.get(environment.name)!.containers;
			// Before the first read, the list alone is worth showing: inspecting every container takes far longer while health checks run.
			const showListed = known.size === 0 ? async (listed: ContainerSnapshot[]) => {
				this.#update(environment, parts => {
					parts.engineError = undefined;
					parts.containers = new Map(listed.map(container => [container.id, container]));
				});
				await this.#options.detailsAfter().catch(() => undefined);
			} : undefined;
			const containers = await this.#engineOf(environment).listEnvironmentContainers(environment.docker.project, known, showListed);
			this.#update(environment, parts => {
				parts.engineError = undefined;
				parts.containers = new Map(containers.map(container => [container.id, container]));
			});
			this.#firstRead(`containers:${environment.name}`);
		}));
	}

	/** Every live engine at once: a slow one must not hold up the others' re-sync. */
	async #resyncLiveHosts(): Promise<void> {
		await Promise.all([...this.#hosts()]
			.filter(([host]) => this.#snapshot.engines.find(engine => engine.host === host)?.state === 'live')
			.map(async ([, environments]) => this.#syncEnvironments(environments).catch(() => undefined)));
	}

	async #refreshProbes(environments = this.#environments): Promise<void> {
		await Promise.all(environments.filter(environment => environment.probes.length > 0).map(async environment => {
			const probes = await runEnvironmentProbes(this.#sources, environment);
			if (this.#controller.signal.aborted) return;
			this.#update(environment, parts => {
				parts.probes = probes;
			});
		}));
	}

	/** After a container changed, probe its environment again shortly rather than at the next tick. */
	#probeAfterChange(environment: EnvironmentConfig): void {
		if (environment.probes.length === 0) return;
		clearTimeout(this.#probeSoon.get(environment.name));
		this.#probeSoon.set(environment.name, setTimeout(() => {
			this.#probeSoon.delete(environment.name);
			void this.#refreshProbes([environment]);
		}, 1500));
	}

	#onEvent(environments: readonly EnvironmentConfig[], event: ContainerEvent): void {
		for (const environment of environments.filter(candidate => candidate.docker.project === event.project)) {
			this.#probeAfterChange(environment);
			if (event.action === 'destroy') {
				this.#update(environment, parts => {
					parts.containers.delete(event.id);
				});
				continue;
			}

			const known = this.#parts.get(environment.name)!.containers.get(event.id);
			const told = known && stateAfterEvent(known, event.action);
			if (told) {
				this.#update(environment, parts => {
					parts.containers.set(event.id, told);
				});
			}

			void this.#inspect(environment, event.id);
		}
	}

	/** One inspect per container and environment at a time; events arriving meanwhile cause one more, not one each. */
	async #inspect(environment: EnvironmentConfig, id: string): Promise<void> {
		const key = `${environment.name} ${id}`;
		const running = this.#inspecting.get(key);
		if (running) {
			running.dirty = true;
			return;
		}

		const state = {dirty: true};
		this.#inspecting.set(key, state);
		try {
			while (state.dirty) {
				state.dirty = false;
				const snapshot = await this.#engineOf(environment).containerSnapshot(id).catch(() => undefined);
				// An event arrived meanwhile: this answer may predate it, and the next one will not.
				if (state.dirty) continue;
				this.#update(environment, parts => {
					if (snapshot) parts.containers.set(id, snapshot);
					else parts.containers.delete(id);
				});
			}
		} finally {
			this.#inspecting.delete(key);
		}
	}

	#compose(environment: EnvironmentConfig): EnvironmentStatus {
		const parts = this.#parts.get(environment.name)!;
		return composeEnvironmentStatus(this.#environments, environment, this.#engineOf(environment), {
			containers: [...parts.containers.values()].sort(compareContainers),
			engineError: parts.engineError,
			git: parts.git,
			probes: parts.probes,
			latest: parts.latest,
			lock: parts.lock,
			...(parts.swarm ? {swarm: parts.swarm} : {}),
		});
	}

	#update(environment: EnvironmentConfig, change: (parts: EnvironmentParts) => void): void {
		change(this.#parts.get(environment.name)!);
		const status = this.#compose(environment);
		const key = displayKey(status);
		if (this.#keys.get(environment.name) === key) return;
		this.#keys.set(environment.name, key);
		this.#publish({...this.#snapshot, environments: this.#snapshot.environments.map(current => (current.name === environment.name ? status : current))});
	}

	#setEngine(connection: EngineConnection): void {
		const current = this.#snapshot.engines.find(engine => engine.host === connection.host);
		if (current && current.state === connection.state && current.error === connection.error) return;
		this.#publish({...this.#snapshot, engines: this.#snapshot.engines.map(engine => (engine.host === connection.host ? {...engine, ...connection} : engine))});
	}

	#publish(snapshot: LiveSnapshot): void {
		this.#snapshot = snapshot;
		for (const listener of this.#listeners) listener();
	}
}
