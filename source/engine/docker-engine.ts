import {createInterface} from 'node:readline';
import {PassThrough} from 'node:stream';
import type Docker from 'dockerode';
import type {DockerTarget, Engine, Engines, SwarmEngine} from '../core/adapters.js';
import {compareContainers, type ContainerDetails, type ContainerEvent, type ContainerHealth, type ContainerSnapshot, type ContainerState} from '../core/container.js';
import type {ServiceConfig} from '../core/environment-schema.js';
import {createRedactor, isSecretName, maskAssignment} from '../core/secrets.js';
import {homedir} from 'node:os';
import {printableLine} from '../core/terminal-text.js';
import {EngineUnavailableError} from '../core/errors.js';
import {compareOrdinal} from '../core/text-order.js';
import {resolveEndpoint} from './docker-endpoint.js';
import {createTransport, unresolvedTransport, type Transport} from './engine-transport.js';
import {composeProjectLabel, composeServiceLabel, ensureImage, imageExists, replaceServiceContainer, type EnsuredImage, type ReleaseLabels} from './service-deployment.js';

const containerStates = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
const healthStates = new Set<ContainerHealth>(['healthy', 'unhealthy', 'starting']);

function toState(value: string | undefined): ContainerState {
	return containerStates.has(value as ContainerState) ? (value as ContainerState) : 'dead';
}

function toHealth(value: string | undefined): ContainerHealth {
	return healthStates.has(value as ContainerHealth) ? (value as ContainerHealth) : 'none';
}

/** The HEALTHCHECK status as the container list's Status text shows it ("Up 5 minutes (healthy)"). */
function healthFromStatus(status: string): ContainerHealth {
	if (status.includes('(healthy)')) return 'healthy';
	if (status.includes('(unhealthy)')) return 'unhealthy';
	if (status.includes('(health: starting)')) return 'starting';
	return 'none';
}

const neverStarted = '0001-01-01T00:00:00Z';

/** A label's value, shown on one line whatever it holds. */
function label(labels: Record<string, string>, name: string): string | undefined {
	const value = labels[name];
	return value === undefined ? undefined : printableLine(value);
}

/** Longest cause kept: a health check's output can be a whole page. */
const causeLength = 160;

/**
 * Why a container is not well, in the engine's own words: the failing health check's last output,
 * or the exit code. Secrets in it are masked; only an unwell container pays for that.
 */
function causeOf(info: Docker.ContainerInspectInfo): string | undefined {
	const {State: state} = info;
	const crashed = (state.Status === 'exited' || state.Status === 'dead' || state.Status === 'restarting' || info.RestartCount > 0) && state.ExitCode !== 0;
	let cause: string | undefined;
	// A stopped container keeps the health status "unhealthy" with no failing check in its log: the
	// exit code is then the cause. A running one that is unhealthy now is failing its check now.
	if (state.Health?.Status === 'unhealthy' && (state.Status === 'running' || !crashed)) {
		const last = (state.Health.Log ?? []).findLast(entry => entry.ExitCode !== 0);
		cause = last ? `health check exit ${last.ExitCode}${last.Output.trim() ? `: ${last.Output.trim()}` : ''}` : undefined;
	} else if (crashed) {
		cause = `exit code ${state.ExitCode}${state.OOMKilled ? ', out of memory' : ''}${state.Error ? `: ${state.Error}` : ''}`;
	}

	if (cause === undefined) return undefined;
	const line = printableLine(createRedactor({...process.env, ...containerSecrets(info)})(cause));
	return line.length > causeLength ? `${line.slice(0, causeLength - 1)}…` : line;
}

/**
 * The status code of an error answer that did not come from a Docker engine (a web server at a
 * mistyped address): Docker answers every error with a JSON `message`. Streamed requests carry no
 * body here (null), so only whole answers are judged.
 */
function foreignAnswer(error: unknown): number | undefined {
	const {statusCode, json} = error as {statusCode?: number; json?: unknown};
	if (statusCode === undefined || statusCode < 400 || json === null || json === undefined) return undefined;
	return typeof (json as {message?: unknown}).message === 'string' ? undefined : statusCode;
}

export function snapshotFromInspect(info: Docker.ContainerInspectInfo): ContainerSnapshot {
	const labels = info.Config.Labels ?? {};
	const startedAt = info.State.StartedAt && info.State.StartedAt !== neverStarted ? info.State.StartedAt : undefined;
	const cause = causeOf(info);
	return {
		id: info.Id,
		name: printableLine(info.Name.replace(/^\//, '')),
		service: label(labels, composeServiceLabel) ?? label(labels, 'opsconsole.service'),
		image: printableLine(info.Config.Image),
		state: toState(info.State.Status),
		health: toHealth(info.State.Health?.Status),
		restarts: info.RestartCount,
		startedAt,
		createdAt: info.Created,
		commit: label(labels, 'opsconsole.commit'),
		release: label(labels, 'opsconsole.release'),
		...(cause ? {cause} : {}),
	};
}

/** What the container list says of a container: enough to show it before the (slower) inspect. */
function snapshotFromSummary(summary: Docker.ContainerInfo): ContainerSnapshot {
	const labels = summary.Labels ?? {};
	return {
		id: summary.Id,
		name: printableLine((summary.Names[0] ?? summary.Id.slice(0, 12)).replace(/^\//, '')),
		service: label(labels, composeServiceLabel) ?? label(labels, 'opsconsole.service'),
		image: printableLine(summary.Image),
		state: toState(summary.State),
		health: healthFromStatus(summary.Status),
		restarts: 0,
		startedAt: undefined,
		createdAt: new Date(summary.Created * 1000).toISOString(),
		commit: label(labels, 'opsconsole.commit'),
		release: label(labels, 'opsconsole.release'),
		partial: true,
	};
}

/** The text of a non-TTY container's log: frames of an 8-byte header (stream, 0, 0, 0, length) then the payload. */
function demultiplexed(bytes: Buffer): string {
	const parts: Buffer[] = [];
	for (let offset = 0; offset + 8 <= bytes.length;) {
		const length = bytes.readUInt32BE(offset + 4);
		parts.push(bytes.subarray(offset + 8, offset + 8 + length));
		offset += 8 + length;
	}

	return Buffer.concat(parts).toString('utf8');
}

/** The container's own secret-looking variables, whose values its log and command line may well print. */
function containerSecrets(info: Docker.ContainerInspectInfo): Record<string, string> {
	return Object.fromEntries((info.Config.Env ?? []).flatMap(assignment => {
		const separator = assignment.indexOf('=');
		const name = assignment.slice(0, Math.max(0, separator));
		return separator > 0 && isSecretName(name) ? [[name, assignment.slice(separator + 1)]] : [];
	}));
}

/** What `i` shows: the inspect data with every secret-looking value masked, in the environment and wherever it recurs. */
export function detailsFromInspect(info: Docker.ContainerInspectInfo, environment: NodeJS.ProcessEnv = process.env): ContainerDetails {
	const masked = createRedactor({...environment, ...containerSecrets(info)});
	const redact = (text: string) => printableLine(masked(text));
	const ports = Object.entries(info.NetworkSettings.Ports ?? {}).flatMap(([port, bindings]) =>
		(bindings ?? []).map(binding => `${binding.HostIp || '0.0.0.0'}:${binding.HostPort} → ${port}`));
	return {
		id: info.Id,
		name: printableLine(info.Name.replace(/^\//, '')),
		image: printableLine(info.Config.Image),
		state: info.State.Status,
		health: info.State.Health?.Status ?? 'none',
		restarts: info.RestartCount,
		createdAt: info.Created,
		startedAt: info.State.StartedAt && info.State.StartedAt !== neverStarted ? info.State.StartedAt : null,
		command: redact([...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])].join(' ')),
		environment: (info.Config.Env ?? []).map(assignment => redact(maskAssignment(assignment))),
		labels: Object.entries(info.Config.Labels ?? {}).sort(([a], [b]) => compareOrdinal(a.toLowerCase(), b.toLowerCase()) || compareOrdinal(a, b)).map(([name, value]) => [printableLine(name), isSecretName(name) ? maskAssignment(`${name}=${value}`).slice(name.length + 1) : redact(value)] as const),
		ports,
		networks: Object.keys(info.NetworkSettings.Networks ?? {}).map(name => printableLine(name)),
		healthLog: (info.State.Health?.Log ?? []).slice(-3).map(entry => redact(`${entry.ExitCode === 0 ? 'ok' : `exit ${entry.ExitCode}`} ${entry.Output.trim()}`)),
	};
}

/**
 * The event actions that can change what the live view shows, which the engine filters by: each
 * health check is an exec, whose exec_create, exec_start and exec_die would otherwise all be
 * streamed to us and parsed, ninety a second for thirty containers checked every second. Because
 * the list holds a bare `health_status`, the engine matches every name in it as a prefix (moby's
 * events filter), so `health_status` covers `health_status: healthy`; none of the names here
 * begins an action we do not want.
 */
const watchedActions = ['create', 'start', 'restart', 'die', 'stop', 'kill', 'oom', 'pause', 'unpause', 'destroy', 'rename', 'health_status'];

export type DockerEngineOptions = {
	/** Longest wait for any one request; the engine counts as unreachable past it. */
	readonly timeoutMs?: number;
};

/**
 * One Docker engine, spoken to in domain verbs; the dockerode client never leaves this class.
 * Every request is bounded by a timeout (after the connection itself, which has its own), and
 * every connection failure becomes an EngineUnavailableError that names the engine and the
 * likely remedy. The client is made on first use, so a broken address or certificate is an
 * error of that use, never of start-up.
 */
/**
 * Inspects under way at once per listing: a few hundred at a time would open as many connections
 * (ssh channels, which sshd caps per connection, or a proxy's backlog) for no gain in speed.
 */
const inspectsAtOnce = 16;

async function mapWithLimit<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};

	await Promise.all(Array.from({length: Math.min(width, items.length)}, worker));
	return results;
}

let dockerode: typeof Docker | undefined;

/** dockerode loads with the first request, so a screen can be on the terminal before its import is paid for. */
async function loadDockerode(): Promise<typeof Docker> {
	dockerode ??= (await import('dockerode')).default;
	return dockerode;
}

export class DockerEngine implements Engine {
	readonly host: string;
	readonly caution: string | undefined;
	readonly timeoutMs: number;
	readonly #transport: Transport;
	#client: Docker | undefined;

	constructor(transport: Transport, options: DockerEngineOptions = {}) {
		this.#transport = transport;
		this.host = transport.address;
		this.caution = transport.caution;
		this.timeoutMs = options.timeoutMs ?? 5000;
	}

	/** Ends this engine's connections (an ssh master and its channels); a later use connects again. */
	close(): void {
		this.#transport.close();
	}

	get #docker(): Docker {
		this.#client ??= this.#newClient('requests');
		return this.#client;
	}

	/** Only after #connect(), which loads dockerode. */
	#newClient(purpose: 'requests' | 'events'): Docker {
		try {
			return new dockerode!(this.#transport.clientOptions(purpose));
		} catch (error) {
			throw new EngineUnavailableError(this.host, this.#transport.describe(error, this.timeoutMs));
		}
	}

	async #connect(): Promise<void> {
		await loadDockerode();
		try {
			await this.#transport.connect();
		} catch (error) {
			throw new EngineUnavailableError(this.host, this.#transport.describe(error, this.timeoutMs));
		}
	}

	async listEnvironmentContainers(project: string, known?: ReadonlyMap<string, ContainerSnapshot>, onListed?: (partial: ContainerSnapshot[]) => void | Promise<void>): Promise<ContainerSnapshot[]> {
		const summaries = await this.#request(signal =>
			this.#docker.listContainers({all: true, filters: {label: [`${composeProjectLabel}=${project}`]}, abortSignal: signal}),
		);
		await onListed?.(summaries.map(summary => snapshotFromSummary(summary)).sort(compareContainers));
		const snapshots = await mapWithLimit(summaries, inspectsAtOnce, async summary => {
			const previous = known?.get(summary.Id);
			if (previous && !previous.partial && previous.state === toState(summary.State) && previous.health === healthFromStatus(summary.Status)) return previous;
			return this.containerSnapshot(summary.Id);
		});
		return snapshots.filter(snapshot => snapshot !== undefined).sort(compareContainers);
	}

	async containerSnapshot(id: string): Promise<ContainerSnapshot | undefined> {
		const info = await this.#inspect(id);
		return info ? snapshotFromInspect(info) : undefined;
	}

	async containerDetails(id: string): Promise<ContainerDetails | undefined> {
		const info = await this.#inspect(id);
		return info ? detailsFromInspect(info) : undefined;
	}

	async restartContainer(id: string): Promise<void> {
		await this.#request(signal => this.#docker.getContainer(id).restart({t: 10, abortSignal: signal}), 20_000);
	}

	async streamLogs(id: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
		const info = await this.#inspect(id);
		if (!info) throw new Error('the container is gone');
		const redact = createRedactor({...process.env, ...containerSecrets(info)});
		const stream = await this.#request(() => this.#docker.getContainer(id).logs({follow: true, stdout: true, stderr: true, tail: 500, abortSignal: signal}) as unknown as Promise<NodeJS.ReadableStream>);
		const lines = new PassThrough();
		if (info.Config.Tty) stream.pipe(lines);
		else this.#docker.modem.demuxStream(stream, lines, lines);
		const reader = createInterface({input: lines, crlfDelay: Number.POSITIVE_INFINITY});
		reader.on('line', line => onLine(printableLine(redact(line))));
		try {
			await new Promise<void>((resolve, reject) => {
				stream.on('end', resolve);
				// A broken connection is not the log's end: the screen must not take it for a stopped container.
				stream.on('error', error => {
					if (signal.aborted) resolve();
					else reject(new EngineUnavailableError(this.host, `the log stream broke: ${this.#transport.describe(error, this.timeoutMs)}`));
				});
				signal.addEventListener('abort', () => {
					(stream as unknown as {destroy?: () => void}).destroy?.();
					resolve();
				}, {once: true});
			});
		} finally {
			reader.close();
		}
	}

	async logLinesSince(id: string, since: string): Promise<string[]> {
		const info = await this.#inspect(id);
		if (!info) throw new Error('the container is gone');
		const redact = createRedactor({...process.env, ...containerSecrets(info)});
		const sinceSeconds = Math.floor(Date.parse(since) / 1000);
		const raw = await this.#request(signal => this.#docker.getContainer(id).logs({follow: false, stdout: true, stderr: true, since: sinceSeconds, tail: 20_000, abortSignal: signal}) as unknown as Promise<Buffer | string>);
		const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
		const text = info.Config.Tty ? bytes.toString('utf8') : demultiplexed(bytes);
		return text.split(/\r?\n/).filter(line => line.length > 0).map(line => printableLine(redact(line)));
	}

	async secretsToMask(project: string): Promise<string[]> {
		const summaries = await this.#request(signal => this.#docker.listContainers({all: true, filters: {label: [`${composeProjectLabel}=${project}`]}, abortSignal: signal}));
		const infos = await Promise.all(summaries.map(async summary => this.#inspect(summary.Id)));
		return infos.flatMap(info => (info ? Object.values(containerSecrets(info)) : []));
	}

	async imagePresent(tag: string): Promise<boolean> {
		return this.#request(async signal => imageExists(this.#docker, tag, signal));
	}

	/**
	 * Streams container events of compose-labelled containers until the stream ends (resolves) or
	 * fails (rejects). Uses a client without the request timeout: an events stream is meant to stay
	 * quiet for hours.
	 */
	async watchEvents(onEvent: (event: ContainerEvent) => void, signal: AbortSignal, onListening?: () => void): Promise<void> {
		await this.#followEvents({type: ['container'], label: [composeProjectLabel], event: watchedActions}, line => this.#onEventLine(line, onEvent), signal, onListening);
	}

	/** Streams the engine's events matching `filters`, one JSON line at a time, until the stream ends or `signal` aborts. */
	async #followEvents(filters: Record<string, string[]>, onLine: (line: string) => void, signal: AbortSignal, onListening?: () => void): Promise<void> {
		await this.#connect();
		const docker = this.#newClient('events');
		let stream: NodeJS.ReadableStream;
		try {
			stream = await docker.getEvents({filters, abortSignal: signal}) as unknown as NodeJS.ReadableStream;
		} catch (error) {
			throw new EngineUnavailableError(this.host, this.#transport.describe(error, this.timeoutMs));
		}

		// The engine answers once it has subscribed this stream.
		onListening?.();
		await new Promise<void>((resolve, reject) => {
			let buffer = '';
			stream.on('data', (chunk: Buffer) => {
				buffer += chunk.toString();
				let newline = buffer.indexOf('\n');
				while (newline !== -1) {
					const line = buffer.slice(0, newline).trim();
					buffer = buffer.slice(newline + 1);
					newline = buffer.indexOf('\n');
					if (line) onLine(line);
				}
			});
			stream.on('end', resolve);
			stream.on('close', resolve);
			stream.on('error', error => {
				reject(signal.aborted ? error : new EngineUnavailableError(this.host, `events stream broke: ${this.#transport.describe(error, this.timeoutMs)}`));
			});
			signal.addEventListener('abort', () => {
				(stream as unknown as {destroy?: () => void}).destroy?.();
				resolve();
			}, {once: true});
		});
	}

	#swarm: SwarmEngine | undefined;

	/** Swarm verbs; the code behind them loads on first use, so engines that never meet a swarm never load it. */
	get swarm(): SwarmEngine {
		const swarmModule = async () => import('./swarm-engine.js');
		const images = new Map<string, Promise<boolean>>();
		this.#swarm ??= {
			role: async () => {
				const {swarmRole} = await swarmModule();
				return this.#request(async () => swarmRole(this.#docker));
			},
			readStack: async stack => {
				const {readStack} = await swarmModule();
				return this.#request(async signal => readStack(this.#docker, stack, signal, images));
			},
			watchEvents: async (onEvent, signal, onListening) => {
				const {parseSwarmEvent, swarmEventFilters} = await swarmModule();
				await this.#followEvents(swarmEventFilters, line => {
					const event = parseSwarmEvent(line);
					if (event) onEvent(event);
				}, signal, onListening);
			},
			initialise: async () => {
				const {initialiseSwarm} = await swarmModule();
				await this.#request(async () => initialiseSwarm(this.#docker), 60_000);
			},
			leave: async () => {
				const {leaveSwarm} = await swarmModule();
				await this.#request(async () => leaveSwarm(this.#docker), 60_000);
			},
			removeStack: async stack => {
				const {removeStack} = await swarmModule();
				return this.#request(async () => removeStack(this.#docker, stack), 60_000);
			},
			serviceCount: async () => {
				const {serviceCount} = await swarmModule();
				return this.#request(async () => serviceCount(this.#docker));
			},
		};
		return this.#swarm;
	}

	/** The swarm module with this engine's client, for the recipe kit's deploy and rollback verbs. */
	async swarmDeployment(): Promise<{docker: Docker; verbs: typeof import('./swarm-engine.js')}> {
		await this.#connect();
		return {docker: this.#docker, verbs: await import('./swarm-engine.js')};
	}

	#onEventLine(line: string, onEvent: (event: ContainerEvent) => void): void {
		let raw: {id?: string; Action?: string; status?: string; Actor?: {ID?: string; Attributes?: Record<string, string>}};
		try {
			raw = JSON.parse(line) as typeof raw;
		} catch {
			// A partial or foreign line: the periodic re-sync heals anything it carried.
			return;
		}

		const action = raw.Action ?? raw.status ?? '';
		const id = raw.Actor?.ID ?? raw.id;
		if (id) onEvent({id, action, project: raw.Actor?.Attributes?.[composeProjectLabel]});
	}

	async removeEnvironment(project: string): Promise<{containers: number; networks: number}> {
		const filter = {label: [`${composeProjectLabel}=${project}`]};
		return this.#request(async () => {
			const containers = await this.#docker.listContainers({all: true, filters: filter});
			await Promise.all(containers.map(async container => this.#docker.getContainer(container.Id).remove({force: true, v: true})));
			const networks = await this.#docker.listNetworks({filters: filter});
			await Promise.all(networks.map(async network => this.#docker.getNetwork(network.Id).remove()));
			return {containers: containers.length, networks: networks.length};
		}, 60_000);
	}

	async removeImagesLabelled(label: string, value: string): Promise<number> {
		return this.#request(async () => {
			const images = await this.#docker.listImages({filters: {label: [`${label}=${value}`]}});
			let removed = 0;
			for (const image of images) {
				try {
					await this.#docker.getImage(image.Id).remove({force: true});
					removed++;
				} catch (error) {
					if ((error as {statusCode?: number}).statusCode !== 404) throw error;
				}
			}

			return removed;
		}, 60_000);
	}

	/** Never forced: Docker itself refuses (409) to remove a container that runs or an image in use. */
	async removeStoppedContainer(id: string): Promise<'removed' | 'absent' | 'live'> {
		return this.#removal(async signal => this.#docker.getContainer(id).remove({abortSignal: signal}), 'live');
	}

	async removeImageTag(tag: string): Promise<'removed' | 'absent' | 'in-use'> {
		return this.#removal(async signal => this.#docker.getImage(tag).remove({abortSignal: signal}), 'in-use');
	}

	/** A removal Docker may decline: 404 means it is gone already, 409 that something still uses it. */
	async #removal<Conflict extends string>(remove: (signal: AbortSignal) => Promise<unknown>, conflict: Conflict): Promise<'removed' | 'absent' | Conflict> {
		return this.#request(async signal => {
			try {
				await remove(signal);
				return 'removed' as const;
			} catch (error) {
				const statusCode = (error as {statusCode?: number}).statusCode;
				if (statusCode === 404) return 'absent' as const;
				if (statusCode === 409) return conflict;
				throw error;
			}
		}, 60_000);
	}

	/** The service's image for a commit, built from git at that commit unless it exists (the recipe kit's verb). */
	async ensureServiceImage(options: {repositoryRoot: string; commit: string; service: ServiceConfig; labels: Record<string, string>; onLine?: (line: string) => void}): Promise<EnsuredImage> {
		await this.#connect();
		return ensureImage(this.#docker, options);
	}

	/** Replaces a service's container with one from `image`, keeping the previous one stopped (the recipe kit's verb). */
	async replaceServiceContainer(options: {serviceName: string; service: ServiceConfig; image: string; labels: ReleaseLabels; environment: Record<string, string>}): Promise<{id: string; retained: string | null}> {
		await this.#connect();
		return replaceServiceContainer(this.#docker, options);
	}

	async #inspect(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
		try {
			return await this.#request(signal => this.#docker.getContainer(id).inspect({abortSignal: signal}));
		} catch (error) {
			if ((error as {statusCode?: number}).statusCode === 404) return undefined;
			throw error;
		}
	}

	/**
	 * Runs one engine request with a deadline (settling at it even if the request ignores the
	 * signal), turning connection failures into EngineUnavailableError.
	 */
	async #request<T>(send: (signal: AbortSignal) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
		await this.#connect();
		const signal = AbortSignal.timeout(timeoutMs);
		try {
			return await new Promise<T>((resolve, reject) => {
				signal.addEventListener('abort', () => reject(signal.reason), {once: true});
				send(signal).then(resolve, reject);
			});
		} catch (error) {
			if (error instanceof EngineUnavailableError) throw error;
			const foreign = foreignAnswer(error);
			if (foreign !== undefined) throw new EngineUnavailableError(this.host, `it answers HTTP ${foreign}, but not as a Docker engine does — check docker.host`);
			const statusCode = (error as {statusCode?: number}).statusCode;
			if (statusCode !== undefined && statusCode < 500) throw error;
			throw new EngineUnavailableError(this.host, this.#transport.describe(signal.aborted ? signal.reason : error, timeoutMs));
		}
	}
}

export type EnginePoolOptions = DockerEngineOptions & {
	/** The process environment: DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY, OPSCONSOLE_SSH_CONFIG. */
	readonly environment?: NodeJS.ProcessEnv;
	/** Where relative paths in environment files start (TLS files). */
	readonly projectRoot?: string;
	/** How long an ssh connection may take to connect and authenticate. */
	readonly connectTimeoutMs?: number;
};

/** One client per distinct engine (address and how to reach it), shared by every environment that uses it. */
export class EnginePool implements Engines {
	readonly #engines = new Map<string, DockerEngine>();
	readonly #options: EnginePoolOptions;

	constructor(options: EnginePoolOptions = {}) {
		this.#options = options;
	}

	engineFor(docker: DockerTarget): DockerEngine {
		const environment = this.#options.environment ?? process.env;
		let transport: Transport;
		let key: string;
		try {
			const endpoint = resolveEndpoint(docker, {environment, projectRoot: this.#options.projectRoot ?? process.cwd(), home: environment['HOME'] || homedir()});
			key = JSON.stringify(endpoint);
			const existing = this.#engines.get(key);
			if (existing) return existing;
			transport = createTransport(endpoint, {sshConfigFile: environment['OPSCONSOLE_SSH_CONFIG'] || undefined, connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000});
		} catch (error) {
			const address = docker.context ? `context ${docker.context}` : docker.host ?? 'the default engine';
			key = `unresolved ${address}`;
			const existing = this.#engines.get(key);
			if (existing) return existing;
			transport = unresolvedTransport(address, (error as Error).message);
		}

		const engine = new DockerEngine(transport, this.#options);
		this.#engines.set(key, engine);
		return engine;
	}

	/** Starts loading the Engine API client, so that its load overlaps whatever the caller waits for next. */
	prepare(): void {
		// A failed load is reported by the first request, which loads again.
		loadDockerode().catch(() => undefined);
	}

	/** Ends every engine's connections: no ssh process outlives the pool's owner. */
	close(): void {
		for (const engine of this.#engines.values()) engine.close();
	}
}
