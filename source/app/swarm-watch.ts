/**
 * The live view of swarm environments, beside the container watch of live-monitor.ts: per engine,
 * one events stream (service, node and stack task-container events) re-reads the stacks it
 * concerns, one read at a time per stack with events meanwhile folded into one more; a slow
 * re-sync heals anything missed; a broken stream reads as the stack's error and reconnects with
 * backoff. Loaded only when a project has a swarm environment.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {Engines} from '../core/adapters.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {EngineUnavailableError} from '../core/errors.js';
import type {SwarmEvent, SwarmSnapshot} from '../core/swarm.js';
import type {SwarmStatusPart} from './collect-status.js';
import {readEnvironmentStack, swarmStatusPart} from './swarm-status.js';

export type SwarmWatchOptions = {
	readonly engines: Engines;
	/** The swarm environments only. */
	readonly environments: readonly EnvironmentConfig[];
	readonly signal: AbortSignal;
	readonly resyncMs: number;
	readonly reconnectInitialMs: number;
	readonly reconnectMaxMs: number;
	/** A stack's new view (or why it could not be read). */
	readonly onPart: (environment: EnvironmentConfig, part: SwarmStatusPart) => void;
};

const settleMs = 1000;

/** Something in the stack is changing: a task on its way to running or away from it, or an update under way (a task pending for want of a node waits for a node event instead). */
function isSettling(snapshot: SwarmSnapshot): boolean {
	return snapshot.services.some(service => service.updateState === 'updating' || service.updateState === 'rollback_started'
		|| service.tasks.some(task => (task.desiredState === 'running' && task.state !== 'running' && task.state !== 'pending') || (task.desiredState !== 'running' && task.state === 'running')));
}

function concerns(environment: EnvironmentConfig, event: SwarmEvent): boolean {
	return event.type !== 'container' || event.stack === environment.docker.stack;
}

export function watchSwarms(options: SwarmWatchOptions): void {
	const hosts = new Map<string, EnvironmentConfig[]>();
	for (const environment of options.environments) {
		const {host} = options.engines.engineFor(environment.docker);
		hosts.set(host, [...(hosts.get(host) ?? []), environment]);
	}

	const reading = new Map<string, {dirty: boolean}>();
	const read = async (environment: EnvironmentConfig): Promise<void> => {
		const running = reading.get(environment.name);
		if (running) {
			running.dirty = true;
			return;
		}

		const state = {dirty: true};
		reading.set(environment.name, state);
		try {
			while (state.dirty && !options.signal.aborted) {
				state.dirty = false;
				const result = await readEnvironmentStack(options.engines, environment).catch((error: unknown) => ({snapshot: undefined, error: (error as Error).message}));
				if (options.signal.aborted) return;
				options.onPart(environment, swarmStatusPart(environment.docker.stack!, result));
				// Swarm reports a task's new state a moment after the container event that caused it, and sends no
				// event of its own: while anything is on its way, look again shortly. A settled stack costs nothing.
				if (result.snapshot && isSettling(result.snapshot)) {
					await sleep(settleMs, undefined, {signal: options.signal}).catch(() => undefined);
					state.dirty = true;
				}
			}
		} finally {
			reading.delete(environment.name);
		}
	};

	const resync = setInterval(() => {
		for (const environment of options.environments) void read(environment);
	}, options.resyncMs);
	options.signal.addEventListener('abort', () => clearInterval(resync), {once: true});
	for (const environments of hosts.values()) void watchHost(environments, read, options);
}

async function watchHost(environments: readonly EnvironmentConfig[], read: (environment: EnvironmentConfig) => Promise<void>, options: SwarmWatchOptions): Promise<void> {
	const engine = options.engines.engineFor(environments[0]!.docker);
	const {signal} = options;
	let delay = options.reconnectInitialMs;
	while (!signal.aborted) {
		const attempt = new AbortController();
		const stopAttempt = () => attempt.abort();
		signal.addEventListener('abort', stopAttempt, {once: true});
		try {
			if (!engine.swarm) throw new Error(`the engine at ${engine.host} cannot speak to a swarm`);
			let listening: () => void = () => undefined;
			const established = new Promise<void>(resolve => {
				listening = resolve;
			});
			const events = engine.swarm.watchEvents(event => {
				for (const environment of environments) if (concerns(environment, event)) void read(environment);
			}, attempt.signal, listening);
			events.catch(() => undefined);
			await Promise.all(environments.map(async environment => read(environment)));
			await Promise.race([established, events]);
			// A change between the first read and the stream's start would otherwise wait for the re-sync.
			await Promise.all(environments.map(async environment => read(environment)));
			delay = options.reconnectInitialMs;
			await events;
			if (signal.aborted) return;
			throw new EngineUnavailableError(engine.host, 'swarm events stream ended');
		} catch (error) {
			if (signal.aborted) return;
			const reason = `${error instanceof EngineUnavailableError ? error.message : `engine at ${engine.host}: ${(error as Error).message}`} — retrying with backoff`;
			for (const environment of environments) options.onPart(environment, swarmStatusPart(environment.docker.stack!, {snapshot: undefined, error: reason}));
			await sleep(delay, undefined, {signal}).catch(() => undefined);
			delay = Math.min(delay * 2, options.reconnectMaxMs);
		} finally {
			attempt.abort();
			signal.removeEventListener('abort', stopAttempt);
		}
	}
}
