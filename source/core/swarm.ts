import type {ContainerHealth} from './container.js';
import type {DockerConfig, SwarmUpdateConfig} from './environment-schema.js';
import {shortSha} from './words.js';
import {compareNaturally} from './text-order.js';

/**
 * The update_config a swarm environment's services get: the file's (the schema fills what it
 * leaves out), or these defaults when it has none. Free of zod, since recipes load it.
 */
export function swarmUpdateConfig(docker: DockerConfig): SwarmUpdateConfig {
	return docker.update ?? {parallelism: 1, delayMs: 0, monitorMs: 5000, order: 'start-first', failureAction: 'rollback'};
}

/** The label Docker puts on every service (and task container) of a stack. */
export const stackNamespaceLabel = 'com.docker.stack.namespace';

/** A swarm task's state as the Engine API reports it (new … running, complete, failed, rejected, shutdown, orphaned). */
export type TaskState = string;

/** One task of a service: a slot's container on a node. */
export type TaskSnapshot = {
	readonly id: string;
	/** Replicated services number their tasks; global ones have none. */
	readonly slot: number | undefined;
	/** The node's hostname (or id when the node is gone). */
	readonly node: string;
	readonly state: TaskState;
	readonly desiredState: TaskState;
	/** `starting` while swarm waits for its HEALTHCHECK; `healthy` once a checked task runs; `none` without a check. */
	readonly health: ContainerHealth;
	/** Why the task failed or was rejected, as the engine says it. */
	readonly error: string | undefined;
	readonly image: string;
	readonly createdAt: string;
	readonly commit: string | undefined;
};

/** Swarm's update states (UpdateStatus.State), or undefined when the service was never updated. */
export type UpdateState = 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';

/** One service of a stack, with its tasks. */
export type ServiceSnapshot = {
	readonly id: string;
	/** The swarm service name, e.g. `demo_web`. */
	readonly name: string;
	/** The name within the stack, e.g. `web`. */
	readonly service: string;
	readonly image: string;
	readonly mode: 'replicated' | 'global';
	readonly desired: number;
	readonly running: number;
	readonly updateState: UpdateState | undefined;
	readonly updateMessage: string | undefined;
	readonly commit: string | undefined;
	readonly release: string | undefined;
	readonly updatedAt: string;
	/** Tasks that are or should be running, newest first, then the latest few that ended (they say why). */
	readonly tasks: readonly TaskSnapshot[];
};

export type NodeAvailability = 'active' | 'pause' | 'drain';

export type NodeSnapshot = {
	readonly id: string;
	readonly hostname: string;
	readonly role: 'manager' | 'worker';
	readonly availability: NodeAvailability;
	/** ready, down, unknown, disconnected. */
	readonly state: string;
};

/** What a swarm environment runs: its stack's services and the swarm's nodes. */
export type SwarmSnapshot = {
	readonly stack: string;
	readonly services: readonly ServiceSnapshot[];
	readonly nodes: readonly NodeSnapshot[];
};

/** Where the engine stands in a swarm: only a manager can list and update services. */
export type SwarmRole = 'manager' | 'worker' | 'inactive';

/** A service, node or task-container event of a swarm engine. */
export type SwarmEvent = {
	readonly type: 'service' | 'node' | 'container';
	readonly id: string;
	readonly action: string;
	/** The stack the event belongs to, when it says (services and task containers). */
	readonly stack: string | undefined;
};

export function compareServices(a: ServiceSnapshot, b: ServiceSnapshot): number {
	return compareNaturally(a.service, b.service);
}

const rollingBack = new Set<UpdateState | undefined>(['rollback_started', 'rollback_paused', 'rollback_completed']);

/** Why one service keeps its environment from being healthy, or undefined when it does not. */
export function serviceProblem(service: ServiceSnapshot): string | undefined {
	if (service.desired === 0) return undefined;
	if (service.running === 0) return `${service.service}: none of ${service.desired} running${taskErrorSuffix(service)}`;
	if (service.running < service.desired) return `${service.service}: ${service.running}/${service.desired} running${taskErrorSuffix(service)}`;
	if (service.updateState === 'paused' || service.updateState === 'rollback_paused') return `${service.service}: update ${service.updateState.replace('_', ' ')}${service.updateMessage ? ` (${service.updateMessage})` : ''}`;
	if (service.tasks.some(task => task.desiredState === 'running' && task.health === 'starting')) return `${service.service} health check is still starting`;
	return undefined;
}

function taskErrorSuffix(service: ServiceSnapshot): string {
	const error = service.tasks.find(task => task.error)?.error;
	return error ? ` (${error})` : '';
}

/**
 * DESIGN §3 for services: unknown when the engine cannot be reached; down when no service runs a
 * task (none at all counts as down); degraded when a service runs below its desired replicas, an
 * update is paused, or a health check is still starting.
 */
export function rollupServices(services: readonly ServiceSnapshot[]): {health: 'healthy' | 'degraded' | 'down'; reasons: string[]} {
	const wanted = services.filter(service => service.desired > 0);
	if (wanted.length === 0) return {health: 'down', reasons: [services.length === 0 ? 'no services' : 'every service is scaled to 0']};
	const reasons = wanted.map(service => serviceProblem(service)).filter(reason => reason !== undefined);
	if (wanted.every(service => service.running === 0)) return {health: 'down', reasons};
	return {health: reasons.length > 0 ? 'degraded' : 'healthy', reasons};
}

/** The release a stack runs: that of its most recently updated service carrying a release label. */
export function stackRelease(services: readonly ServiceSnapshot[]): {release: string | undefined; commit: string | undefined} {
	let newest: ServiceSnapshot | undefined;
	for (const service of services) {
		if (service.release && (!newest || service.updatedAt > newest.updatedAt)) newest = service;
	}

	return {release: newest?.release, commit: newest?.commit};
}

/**
 * Whether a swarm deployment of `expectedCommit` is verified: every declared service runs that
 * commit with its update settled and every desired task running (healthy where checked), every
 * probe passing. An update swarm rolled back or paused fails at once, as does a failed new task.
 */
export function judgeSwarmVerification(input: {
	readonly stackError: string | undefined;
	readonly services: readonly ServiceSnapshot[];
	readonly probes: ReadonlyArray<{readonly ok: boolean; readonly name: string; readonly error?: string}>;
	readonly expectedCommit: string;
	readonly declared: readonly string[];
}): {state: 'passed' | 'failing' | 'waiting'; reasons: string[]} {
	if (input.stackError !== undefined) return {state: 'waiting', reasons: [input.stackError]};
	const failing: string[] = [];
	const waiting: string[] = [];
	const expected = shortSha(input.expectedCommit);
	const message = (service: ServiceSnapshot) => (service.updateMessage ? ` (${service.updateMessage})` : '');
	for (const name of input.declared) {
		const service = input.services.find(candidate => candidate.service === name);
		if (!service) {
			waiting.push(`service ${name} does not exist yet`);
			continue;
		}

		if (service.commit !== input.expectedCommit) {
			// Swarm's own rollback put the service back on what ran before: this commit will not come.
			if (rollingBack.has(service.updateState)) failing.push(`${name}: swarm rolled its update back${message(service)}`);
			else waiting.push(`${name} runs ${shortSha(service.commit, 'no release')}, not ${expected}`);
			continue;
		}

		if (service.updateState === 'paused' || service.updateState === 'rollback_paused') {
			failing.push(`${name}: update ${service.updateState.replace('_', ' ')}${message(service)}`);
			continue;
		}

		const current = service.tasks.filter(task => task.desiredState === 'running');
		const failedTask = service.tasks.find(task => task.commit === input.expectedCommit && task.desiredState === 'shutdown' && (task.state === 'failed' || task.state === 'rejected') && task.createdAt >= service.updatedAt);
		if (failedTask && service.running < service.desired) {
			failing.push(`${name}: a task ${failedTask.state}${failedTask.error ? ` (${failedTask.error})` : ''}`);
			continue;
		}

		if (service.updateState === 'updating' || service.updateState === 'rollback_started') waiting.push(`${name} is updating`);
		else if (service.running < service.desired) waiting.push(`${name}: ${service.running}/${service.desired} running`);
		else if (current.some(task => task.commit !== input.expectedCommit)) waiting.push(`${name} still runs tasks of an earlier release`);
		else if (current.some(task => task.health === 'starting')) waiting.push(`${name} health check is starting`);
	}

	for (const probe of input.probes) {
		if (!probe.ok) waiting.push(`probe ${probe.name}: ${probe.error ?? 'failed'}`);
	}

	if (failing.length > 0) return {state: 'failing', reasons: failing};
	if (waiting.length > 0) return {state: 'waiting', reasons: waiting};
	return {state: 'passed', reasons: []};
}

/**
 * A swarm environment's health (DESIGN §3, for services): its services' rollup, degraded further
 * by a failing probe; unknown when the stack cannot be read (e.g. the engine is not a manager).
 */
export function rollupSwarmHealth(input: {readonly stackError: string | undefined; readonly services: readonly ServiceSnapshot[]; readonly probes: ReadonlyArray<{readonly ok: boolean; readonly name: string; readonly status: number | null; readonly error?: string}>}): {health: 'healthy' | 'degraded' | 'down' | 'unknown'; reasons: string[]} {
	if (input.stackError !== undefined) return {health: 'unknown', reasons: [input.stackError]};
	const services = rollupServices(input.services);
	const probeReasons = input.probes.filter(probe => !probe.ok).map(probe => `probe ${probe.name} failed: ${probe.error ?? (probe.status === null ? 'no response' : `HTTP ${probe.status}`)}`);
	const reasons = [...services.reasons, ...probeReasons];
	if (services.health === 'down') return {health: 'down', reasons};
	return {health: reasons.length > 0 ? 'degraded' : 'healthy', reasons};
}
