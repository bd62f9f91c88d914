/**
 * Docker Swarm in domain verbs: a stack's services with their tasks, the swarm's nodes, service
 * updates followed to the end, and a service put back on an earlier release. Loaded only when an
 * environment runs on a swarm, so single-host users never pay for it.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type Docker from 'dockerode';
import type {ServiceConfig, SwarmUpdateConfig} from '../core/environment-schema.js';
import {compareServices, stackNamespaceLabel, type NodeAvailability, type NodeSnapshot, type SwarmEvent, type ServiceSnapshot, type SwarmRole, type SwarmSnapshot, type TaskSnapshot, type UpdateState} from '../core/swarm.js';
import {printableLine} from '../core/terminal-text.js';
import type {ContainerHealth} from '../core/container.js';
import type {ReleaseLabels} from './service-deployment.js';
import {compareOrdinal} from '../core/text-order.js';

type Labels = Record<string, string>;
type Spec = {
	Name?: string;
	Labels?: Labels;
	TaskTemplate?: {ContainerSpec?: {Image?: string; Labels?: Labels; Healthcheck?: {Test?: string[]}; [key: string]: unknown}; [key: string]: unknown};
	Mode?: {Replicated?: {Replicas?: number}; Global?: object};
	[key: string]: unknown;
};
type ServiceInfo = {ID: string; Version: {Index: number}; UpdatedAt: string; Spec: Spec; PreviousSpec?: Spec; UpdateStatus?: {State?: string; Message?: string; StartedAt?: string}};
type TaskInfo = {ID: string; Slot?: number; NodeID?: string; ServiceID: string; CreatedAt: string; DesiredState: string; Spec: {ContainerSpec?: {Image?: string; Labels?: Labels}}; Status: {State: string; Err?: string; Message?: string}};
type NodeInfo = {ID: string; Version: {Index: number}; Spec: {Availability: string; Role: string; Labels?: Labels; Name?: string}; Description?: {Hostname?: string}; Status?: {State?: string}};

const updateStates = new Set<string>(['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed']);
const milliseconds = 1_000_000;

/**
 * What the swarm's events stream asks the engine for: services' and nodes' changes (create,
 * update, remove) and containers' actions that can change a task's state; the one list serves
 * every type, so containers' create and update come too, and cost a read of their stack. The
 * engine filters (as prefixes, the list holding a bare `health_status`), so the three exec events
 * of every container's every health check never reach us.
 */
export const swarmEventFilters = {
	type: ['service', 'node', 'container'],
	event: ['create', 'update', 'remove', 'start', 'die', 'health_status', 'destroy', 'kill', 'oom'],
};

/** A line of the events stream as a swarm event, or undefined for lines that cannot change a stack's view. */
export function parseSwarmEvent(line: string): SwarmEvent | undefined {
	let raw: {Type?: string; Action?: string; Actor?: {ID?: string; Attributes?: Record<string, string>}};
	try {
		raw = JSON.parse(line) as typeof raw;
	} catch {
		return undefined;
	}

	const id = raw.Actor?.ID;
	const action = raw.Action ?? '';
	if (!id) return undefined;
	if (raw.Type === 'service' || raw.Type === 'node') return {type: raw.Type, id, action, stack: undefined};
	const stack = raw.Actor?.Attributes?.[stackNamespaceLabel];
	if (raw.Type === 'container' && stack !== undefined) return {type: 'container', id, action, stack};
	return undefined;
}

/** Where this engine stands in a swarm. */
export async function swarmRole(docker: Docker): Promise<SwarmRole> {
	const info = await docker.info() as {Swarm?: {LocalNodeState?: string; ControlAvailable?: boolean}};
	if (info.Swarm?.LocalNodeState !== 'active') return 'inactive';
	return info.Swarm.ControlAvailable ? 'manager' : 'worker';
}

function label(labels: Labels | undefined, name: string): string | undefined {
	const value = labels?.[name];
	return value === undefined ? undefined : printableLine(value);
}

/** Whether tasks of this spec have a HEALTHCHECK: the spec's own, else the image's (asked once per image). */
async function hasHealthcheck(docker: Docker, spec: Spec, images: Map<string, Promise<boolean>>): Promise<boolean> {
	const own = spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test;
	if (own) return own[0] !== 'NONE';
	const image = spec.TaskTemplate?.ContainerSpec?.Image ?? '';
	if (!images.has(image)) {
		images.set(image, docker.getImage(image).inspect().then(info => Boolean(info.Config?.Healthcheck?.Test && info.Config.Healthcheck.Test[0] !== 'NONE'), () => false));
	}

	return images.get(image)!;
}

function taskHealth(task: TaskInfo, checked: boolean): ContainerHealth {
	if (task.Status.State === 'starting') return 'starting';
	if (task.Status.State === 'running') return checked ? 'healthy' : 'none';
	if (/unhealthy/.test(task.Status.Err ?? '')) return 'unhealthy';
	return 'none';
}

const endedTasksShown = 3;

function taskSnapshot(task: TaskInfo, nodes: ReadonlyMap<string, string>, checked: boolean): TaskSnapshot {
	const labels = task.Spec.ContainerSpec?.Labels;
	return {
		id: task.ID,
		slot: task.Slot,
		node: printableLine(nodes.get(task.NodeID ?? '') ?? task.NodeID ?? 'unassigned'),
		state: task.Status.State,
		desiredState: task.DesiredState,
		health: taskHealth(task, checked),
		error: task.Status.Err ? printableLine(task.Status.Err) : undefined,
		image: printableLine((task.Spec.ContainerSpec?.Image ?? '').replace(/@sha256:.*$/, '')),
		createdAt: task.CreatedAt,
		commit: label(labels, 'opsconsole.commit'),
	};
}

function nodeSnapshot(node: NodeInfo): NodeSnapshot {
	return {
		id: node.ID,
		hostname: printableLine(node.Description?.Hostname ?? node.Spec.Name ?? node.ID),
		role: node.Spec.Role === 'manager' ? 'manager' : 'worker',
		availability: (['active', 'pause', 'drain'].includes(node.Spec.Availability) ? node.Spec.Availability : 'active') as NodeAvailability,
		state: node.Status?.State ?? 'unknown',
	};
}

async function stackServices(docker: Docker, stack: string, signal?: AbortSignal): Promise<ServiceInfo[]> {
	try {
		return await docker.listServices({filters: {label: [`${stackNamespaceLabel}=${stack}`]}, abortSignal: signal} as object) as unknown as ServiceInfo[];
	} catch (error) {
		// The engine answers 503 when it is not a manager: that is a fact about the engine, not a lost connection.
		const {statusCode, json} = error as {statusCode?: number; json?: {message?: string}};
		if (statusCode !== 503) throw error;
		throw Object.assign(new Error(`the engine is not a swarm manager (${printableLine(json?.message ?? 'it says it is not')}) — point docker.host at a manager, or run \`docker swarm init\` there`), {statusCode: 409});
	}
}

/** A stack's services with their tasks, and the swarm's nodes: three requests, whatever the size. */
export async function readStack(docker: Docker, stack: string, signal?: AbortSignal, images = new Map<string, Promise<boolean>>()): Promise<SwarmSnapshot> {
	const services = await stackServices(docker, stack, signal);
	const [tasks, nodes] = await Promise.all([
		services.length === 0 ? [] : docker.listTasks({filters: {service: services.map(service => service.ID)}, abortSignal: signal} as object) as Promise<TaskInfo[]>,
		docker.listNodes({abortSignal: signal} as object) as Promise<NodeInfo[]>,
	]);
	const hostnames = new Map(nodes.map(node => [node.ID, node.Description?.Hostname ?? node.ID]));
	const snapshots = await Promise.all(services.map(async service => {
		const checked = await hasHealthcheck(docker, service.Spec, images);
		const own = tasks.filter(task => task.ServiceID === service.ID).sort((a, b) => compareOrdinal(b.CreatedAt, a.CreatedAt));
		const current = own.filter(task => task.DesiredState === 'running' || task.DesiredState === 'ready');
		const ended = own.filter(task => !current.includes(task)).slice(0, endedTasksShown);
		const name = service.Spec.Name ?? service.ID;
		const state = service.UpdateStatus?.State;
		const snapshot: ServiceSnapshot = {
			id: service.ID,
			name: printableLine(name),
			service: printableLine(label(service.Spec.Labels, 'opsconsole.service') ?? name.replace(`${stack}_`, '')),
			image: printableLine((service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '').replace(/@sha256:.*$/, '')),
			mode: service.Spec.Mode?.Global ? 'global' : 'replicated',
			desired: service.Spec.Mode?.Global ? nodes.filter(node => node.Spec.Availability === 'active' && node.Status?.State === 'ready').length : service.Spec.Mode?.Replicated?.Replicas ?? 1,
			running: current.filter(task => task.Status.State === 'running').length,
			updateState: state && updateStates.has(state) ? state as UpdateState : undefined,
			updateMessage: service.UpdateStatus?.Message ? printableLine(service.UpdateStatus.Message) : undefined,
			commit: label(service.Spec.Labels, 'opsconsole.commit'),
			release: label(service.Spec.Labels, 'opsconsole.release'),
			updatedAt: service.UpdatedAt,
			tasks: [...current, ...ended].map(task => taskSnapshot(task, hostnames, checked)),
		};
		return snapshot;
	}));
	return {stack, services: snapshots.sort(compareServices), nodes: nodes.map(node => nodeSnapshot(node)).sort((a, b) => compareOrdinal(a.hostname, b.hostname))};
}

/** What a service of a stack is given by a deploy. */
export type ServiceDeployment = {
	readonly stack: string;
	readonly serviceName: string;
	readonly service: ServiceConfig;
	readonly image: string;
	readonly labels: ReleaseLabels;
	readonly environment: Record<string, string>;
	readonly update: SwarmUpdateConfig;
	/** Progress for people: update states and task changes as they happen. */
	readonly onLine?: (line: string) => void;
	/** How long to follow the update before calling it failed. */
	readonly timeoutMs?: number;
};

export type ServiceOutcome = {readonly ok: boolean; readonly detail: string};

function releaseLabels(deployment: Pick<ServiceDeployment, 'stack' | 'serviceName' | 'labels'>): Labels {
	const {labels} = deployment;
	return {
		[stackNamespaceLabel]: deployment.stack,
		'opsconsole.project': labels.project,
		'opsconsole.env': labels.env,
		'opsconsole.service': deployment.serviceName,
		'opsconsole.commit': labels.commit,
		'opsconsole.release': labels.release,
	};
}

async function ensureStackNetwork(docker: Docker, stack: string): Promise<string> {
	const name = `${stack}_default`;
	const existing = await docker.listNetworks({filters: {name: [name]}});
	if (!existing.some(network => network.Name === name)) {
		await docker.createNetwork({Name: name, Driver: 'overlay', Attachable: true, Labels: {[stackNamespaceLabel]: stack}, CheckDuplicate: true});
	}

	return name;
}

function specFor(deployment: ServiceDeployment, network: string, replicas: number): Spec {
	const {service, update} = deployment;
	const labels = releaseLabels(deployment);
	const containerPort = service.containerPort ?? 8080;
	return {
		Name: `${deployment.stack}_${deployment.serviceName}`,
		Labels: labels,
		TaskTemplate: {
			ContainerSpec: {
				Image: deployment.image,
				Labels: labels,
				Env: Object.entries({...deployment.environment, ...service.environment}).map(([key, value]) => `${key}=${value}`),
				Init: true,
			},
			RestartPolicy: {Condition: 'any', Delay: 1000 * milliseconds},
			Networks: [{Target: network, Aliases: [deployment.serviceName]}],
		},
		Mode: {Replicated: {Replicas: replicas}},
		UpdateConfig: {Parallelism: update.parallelism, Delay: update.delayMs * milliseconds, FailureAction: update.failureAction, Monitor: update.monitorMs * milliseconds, MaxFailureRatio: 0, Order: update.order},
		// Swarm's own rollback of one service must not loop: it pauses when the rollback itself fails.
		RollbackConfig: {Parallelism: update.parallelism, Delay: 0, FailureAction: 'pause', Monitor: update.monitorMs * milliseconds, MaxFailureRatio: 0, Order: update.order},
		...(service.port ? {EndpointSpec: {Ports: [{Protocol: 'tcp', TargetPort: containerPort, PublishedPort: service.port, PublishMode: 'ingress'}]}} : {}),
	};
}

async function findService(docker: Docker, name: string): Promise<ServiceInfo | undefined> {
	const found = await docker.listServices({filters: {name: [name]}}) as unknown as ServiceInfo[];
	return found.find(service => service.Spec.Name === name);
}

/**
 * Creates or updates one service of the stack with the release's image, labels and update_config,
 * then follows the update until swarm says it completed (ok), or rolled back or paused (not ok).
 */
export async function deployService(docker: Docker, deployment: ServiceDeployment): Promise<ServiceOutcome & {created: boolean}> {
	const network = await ensureStackNetwork(docker, deployment.stack);
	const name = `${deployment.stack}_${deployment.serviceName}`;
	const existing = await findService(docker, name);
	const replicas = deployment.service.replicas ?? existing?.Spec.Mode?.Replicated?.Replicas ?? 1;
	const spec = specFor(deployment, network, replicas);
	const since = Date.now();
	if (existing) {
		await docker.getService(existing.ID).update({version: existing.Version.Index, ...spec});
		return {...await followUpdate(docker, existing.ID, deployment.labels.commit, since, deployment), created: false};
	}

	const created = await docker.createService(spec as Docker.CreateServiceOptions) as unknown as {id?: string; ID?: string};
	return {...await followUpdate(docker, created.id ?? created.ID ?? name, deployment.labels.commit, since, deployment), created: true};
}

/**
 * Watches a service after a change until it settles. An update settles when swarm says
 * `completed` (or, for a new service, when every replica of the commit runs); swarm's own
 * rollback or a paused update is a failure, with the message swarm gives.
 */
async function followUpdate(docker: Docker, id: string, commit: string, since: number, options: Pick<ServiceDeployment, 'onLine' | 'timeoutMs' | 'serviceName'>): Promise<ServiceOutcome> {
	const deadline = since + (options.timeoutMs ?? 600_000);
	const said = new Set<string>();
	const say = (line: string) => {
		if (said.has(line)) return;
		said.add(line);
		options.onLine?.(line);
	};

	for (;;) {
		const service = await docker.getService(id).inspect() as ServiceInfo;
		const tasks = await docker.listTasks({filters: {service: [id]}}) as TaskInfo[];
		const ours = tasks.filter(task => task.Spec.ContainerSpec?.Labels?.['opsconsole.commit'] === commit);
		for (const task of ours) say(`task ${task.Slot ?? task.ID.slice(0, 12)}: ${task.Status.State}${task.Status.Err ? ` — ${printableLine(task.Status.Err)}` : ''}`);
		// Swarm starts an update's status a moment after accepting it: an older status is not this update's.
		const current = service.UpdateStatus?.StartedAt === undefined || Date.parse(service.UpdateStatus.StartedAt) >= since - 1000;
		const state = current ? service.UpdateStatus?.State : undefined;
		const message = service.UpdateStatus?.Message ? printableLine(service.UpdateStatus.Message) : '';
		if (state) say(`update ${state}${message ? `: ${message}` : ''}`);
		const desired = service.Spec.Mode?.Replicated?.Replicas ?? 1;
		const running = ours.filter(task => task.DesiredState === 'running' && task.Status.State === 'running').length;
		if (state === 'completed') return {ok: true, detail: `${options.serviceName}: update completed, ${running}/${desired} running`};
		if (state === 'rollback_started' || state === 'rollback_completed' || state === 'rollback_paused') return {ok: false, detail: `${options.serviceName}: the update failed and swarm rolled the service back${message ? ` (${message})` : ''}`};
		if (state === 'paused') return {ok: false, detail: `${options.serviceName}: the update paused${message ? ` (${message})` : ''}`};
		if (!service.UpdateStatus && service.PreviousSpec === undefined) {
			const failed = ours.find(task => task.Status.State === 'failed' || task.Status.State === 'rejected');
			if (failed) return {ok: false, detail: `${options.serviceName}: a new task ${failed.Status.State}${failed.Status.Err ? ` (${printableLine(failed.Status.Err)})` : ''}`};
			if (running >= desired) return {ok: true, detail: `${options.serviceName}: created, ${running}/${desired} running`};
		}

		if (Date.now() > deadline) return {ok: false, detail: `${options.serviceName}: the update did not finish within ${Math.round((deadline - since) / 1000)} s (state ${state ?? 'none'})`};
		await sleep(300);
	}
}

/**
 * Puts one service back on an earlier release (the whole-stack rollback applies it to every
 * service). A service already on that commit is left alone (swarm may have rolled it back itself);
 * one whose previous spec is that release's gets exactly that spec back, relabelled with this
 * rollback's release; any other gets a spec made from the environment file with that commit's image.
 */
export async function rollbackService(docker: Docker, deployment: ServiceDeployment): Promise<ServiceOutcome & {how: 'unchanged' | 'previous-spec' | 'redeployed'}> {
	const name = `${deployment.stack}_${deployment.serviceName}`;
	const existing = await findService(docker, name);
	const target = deployment.labels.commit;
	if (existing && existing.Spec.Labels?.['opsconsole.commit'] === target) {
		return {ok: true, detail: `${deployment.serviceName} already runs ${target.slice(0, 7)}`, how: 'unchanged'};
	}

	const previous = existing?.PreviousSpec;
	if (existing && previous?.Labels?.['opsconsole.commit'] === target) {
		const relabel = (labels: Labels | undefined) => ({...labels, 'opsconsole.release': deployment.labels.release});
		const spec: Spec = {
			...previous,
			Labels: relabel(previous.Labels),
			TaskTemplate: {...previous.TaskTemplate, ContainerSpec: {...previous.TaskTemplate?.ContainerSpec, Labels: relabel(previous.TaskTemplate?.ContainerSpec?.Labels)}},
		};
		const since = Date.now();
		await docker.getService(existing.ID).update({version: existing.Version.Index, ...spec});
		return {...await followUpdate(docker, existing.ID, target, since, deployment), how: 'previous-spec'};
	}

	return {...await deployService(docker, deployment), how: 'redeployed'};
}

/**
 * Locally built images exist only on the node that built them: a swarm of several nodes needs a
 * registry they can all pull from, which opsconsole does not run. Says so instead of leaving
 * tasks pending on the other nodes.
 */
export async function localImagesProblem(docker: Docker): Promise<string | undefined> {
	const nodes = await docker.listNodes() as NodeInfo[];
	if (nodes.length <= 1) return undefined;
	return `this swarm has ${nodes.length} nodes, and images built here exist only on this one: a multi-node swarm needs a registry every node can pull from (push the images there and name it in services.*.image); opsconsole does not push images`;
}

/** Sets a node's availability (active, pause, drain). */
export async function setNodeAvailability(docker: Docker, nodeId: string, availability: NodeAvailability): Promise<void> {
	const node = docker.getNode(nodeId);
	const info = await node.inspect() as NodeInfo;
	await node.update({version: info.Version.Index, ...info.Spec, Availability: availability});
}

/** Makes this engine a single-node swarm's manager, advertised on loopback (nothing outside this host joins it). */
export async function initialiseSwarm(docker: Docker): Promise<void> {
	await docker.swarmInit({ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1'});
}

/**
 * Takes this engine out of its swarm (every service of it goes). Docker keeps the swarm's gateway
 * bridge after leaving; it serves only swarm tasks and the next init makes it again, so an unused
 * one goes too and the engine is left as a swarm-less engine is.
 */
export async function leaveSwarm(docker: Docker): Promise<void> {
	await docker.swarmLeave({force: true});
	const gateway = docker.getNetwork('docker_gwbridge');
	const attached = await gateway.inspect().then((info: {Containers?: Record<string, unknown>}) => Object.keys(info.Containers ?? {}).length, () => undefined);
	if (attached === 0) await gateway.remove().catch(() => undefined);
}

/** Removes a stack's services, then (once their task containers are gone) its networks. */
export async function removeStack(docker: Docker, stack: string): Promise<{services: number; networks: number}> {
	const filter = {label: [`${stackNamespaceLabel}=${stack}`]};
	const services = await stackServices(docker, stack);
	await Promise.all(services.map(async service => docker.getService(service.ID).remove()));
	for (let attempt = 0; attempt < 100; attempt++) {
		if ((await docker.listContainers({all: true, filters: filter})).length === 0) break;
		await sleep(200);
	}

	const networks = await docker.listNetworks({filters: filter});
	await Promise.all(networks.map(async network => docker.getNetwork(network.Id).remove()));
	return {services: services.length, networks: networks.length};
}

/** How many services the whole swarm runs, whatever their stack. */
export async function serviceCount(docker: Docker): Promise<number> {
	return (await docker.listServices()).length;
}
