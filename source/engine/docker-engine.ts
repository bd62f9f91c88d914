import Docker from 'dockerode';
import {compareContainers, type ContainerHealth, type ContainerSnapshot, type ContainerState} from '../core/container.js';
import {dockerOptionsFor} from './docker-host.js';
import {describeEngineError, EngineUnavailableError} from './engine-errors.js';

export const composeProjectLabel = 'com.docker.compose.project';
export const composeServiceLabel = 'com.docker.compose.service';

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

export function snapshotFromInspect(info: Docker.ContainerInspectInfo): ContainerSnapshot {
	const labels = info.Config.Labels ?? {};
	const startedAt = info.State.StartedAt && info.State.StartedAt !== neverStarted ? info.State.StartedAt : undefined;
	return {
		id: info.Id,
		name: info.Name.replace(/^\//, ''),
		service: labels[composeServiceLabel] ?? labels['opsconsole.service'],
		image: info.Config.Image,
		state: toState(info.State.Status),
		health: toHealth(info.State.Health?.Status),
		restarts: info.RestartCount,
		startedAt,
		createdAt: info.Created,
		commit: labels['opsconsole.commit'],
		release: labels['opsconsole.release'],
	};
}

export type DockerEngineOptions = {
	/** Longest wait for any one request; the engine counts as unreachable past it. */
	readonly timeoutMs?: number;
};

/**
 * One Docker engine, spoken to in domain verbs. Every request is bounded by a timeout, and every
 * connection failure becomes an EngineUnavailableError that names the engine and the likely remedy.
 */
export class DockerEngine {
	readonly timeoutMs: number;
	readonly docker: Docker;

	constructor(readonly host: string, options: DockerEngineOptions = {}) {
		this.timeoutMs = options.timeoutMs ?? 5000;
		this.docker = new Docker(dockerOptionsFor(host, this.timeoutMs));
	}

	/**
	 * The containers (running or not) labelled with the compose project, sorted by service then
	 * name. With `known` snapshots, a container whose listed state and health are unchanged is not
	 * inspected again, so a periodic re-sync of a quiet engine costs one request.
	 */
	async listProjectContainers(project: string, known?: ReadonlyMap<string, ContainerSnapshot>): Promise<ContainerSnapshot[]> {
		const summaries = await this.request(signal =>
			this.docker.listContainers({all: true, filters: {label: [`${composeProjectLabel}=${project}`]}, abortSignal: signal}),
		);
		const snapshots = await Promise.all(summaries.map(async summary => {
			const previous = known?.get(summary.Id);
			if (previous && previous.state === toState(summary.State) && previous.health === healthFromStatus(summary.Status)) return previous;
			const info = await this.inspectIfPresent(summary.Id);
			return info ? snapshotFromInspect(info) : undefined;
		}));
		return snapshots.filter(snapshot => snapshot !== undefined).sort(compareContainers);
	}

	/** Inspect data, or undefined when the container was removed meanwhile. */
	async inspectIfPresent(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
		try {
			return await this.request(signal => this.docker.getContainer(id).inspect({abortSignal: signal}));
		} catch (error) {
			if (error instanceof EngineUnavailableError) throw error;
			if ((error as {statusCode?: number}).statusCode === 404) return undefined;
			throw error;
		}
	}

	/** Runs one engine request with a deadline, turning connection failures into EngineUnavailableError. */
	async request<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
		const signal = AbortSignal.timeout(this.timeoutMs);
		try {
			return await send(signal);
		} catch (error) {
			const statusCode = (error as {statusCode?: number}).statusCode;
			if (statusCode !== undefined && statusCode < 500) throw error;
			throw new EngineUnavailableError(this.host, describeEngineError(signal.aborted ? signal.reason : error, this.host, this.timeoutMs));
		}
	}
}

/** A container lifecycle or health event from the engine's events stream. */
export type ContainerEvent = {
	readonly id: string;
	/** e.g. start, die, stop, kill, oom, restart, destroy, create, "health_status: healthy". */
	readonly action: string;
	readonly project: string | undefined;
};

/** The event actions that can change what the live view shows. */
export const watchedActions = ['create', 'start', 'restart', 'die', 'stop', 'kill', 'oom', 'pause', 'unpause', 'destroy', 'rename', 'health_status'];

/**
 * Streams the engine's container events for compose-labelled containers until the stream ends
 * (resolves) or fails (rejects). Uses a client without the request timeout: an events stream is
 * meant to stay quiet for hours.
 */
export async function watchContainerEvents(engine: DockerEngine, onEvent: (event: ContainerEvent) => void, signal: AbortSignal): Promise<void> {
	const docker = new Docker(dockerOptionsFor(engine.host, undefined));
	let stream: NodeJS.ReadableStream;
	try {
		stream = await docker.getEvents({filters: {type: ['container'], label: [composeProjectLabel]}, abortSignal: signal}) as unknown as NodeJS.ReadableStream;
	} catch (error) {
		throw new EngineUnavailableError(engine.host, describeEngineError(error, engine.host, engine.timeoutMs));
	}

	await new Promise<void>((resolve, reject) => {
		let buffer = '';
		stream.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			let newline = buffer.indexOf('\n');
			while (newline !== -1) {
				const line = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				newline = buffer.indexOf('\n');
				if (!line) continue;
				try {
					const raw = JSON.parse(line) as {id?: string; Action?: string; status?: string; Actor?: {ID?: string; Attributes?: Record<string, string>}};
					const action = raw.Action ?? raw.status ?? '';
					const id = raw.Actor?.ID ?? raw.id;
					if (id && watchedActions.some(watched => action.startsWith(watched))) {
						onEvent({id, action, project: raw.Actor?.Attributes?.[composeProjectLabel]});
					}
				} catch {
					// A partial or foreign line: the periodic re-sync heals anything it carried.
				}
			}
		});
		stream.on('end', resolve);
		stream.on('close', resolve);
		stream.on('error', error => {
			reject(signal.aborted ? error : new EngineUnavailableError(engine.host, `events stream broke: ${describeEngineError(error, engine.host, engine.timeoutMs)}`));
		});
		signal.addEventListener('abort', () => {
			(stream as unknown as {destroy?: () => void}).destroy?.();
			resolve();
		}, {once: true});
	});
}

/** One client per distinct engine address, shared by every environment that uses it. */
export class EnginePool {
	readonly #engines = new Map<string, DockerEngine>();

	constructor(private readonly options: DockerEngineOptions = {}) {}

	engineFor(host: string): DockerEngine {
		let engine = this.#engines.get(host);
		if (!engine) {
			engine = new DockerEngine(host, this.options);
			this.#engines.set(host, engine);
		}

		return engine;
	}
}
