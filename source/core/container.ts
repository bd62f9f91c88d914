import {compareNaturally} from './text-order.js';

/** Docker's container states, as the Engine API reports them. */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** A container's HEALTHCHECK status; `none` when its image declares no HEALTHCHECK. */
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** What opsconsole knows of one container of an environment, engine-independent. */
export type ContainerSnapshot = {
	readonly id: string;
	readonly name: string;
	/** Compose service (or `opsconsole.service`), else undefined. */
	readonly service: string | undefined;
	readonly image: string;
	readonly state: ContainerState;
	readonly health: ContainerHealth;
	readonly restarts: number;
	/** ISO time the container last started, undefined if it never did. */
	readonly startedAt: string | undefined;
	/** ISO time the container was created. */
	readonly createdAt: string;
	/** Full commit sha from the `opsconsole.commit` label. */
	readonly commit: string | undefined;
	/** Release id from the `opsconsole.release` label. */
	readonly release: string | undefined;
	/** Why it is unwell, from the engine: the failing health check's output or the exit code (inspected containers only). */
	readonly cause?: string;
	/**
	 * Read from the engine's container list only, before the container was inspected: its start
	 * time and restart count are not known yet (they show as such, never as 0).
	 */
	readonly partial?: true;
};

/**
 * The release an environment runs: that of its newest container carrying a release label.
 * Older releases' containers are kept stopped for rollback and are not part of the running set.
 */
export function currentRelease(containers: readonly ContainerSnapshot[]): string | undefined {
	return newestReleaseContainer(containers)?.release;
}

/** The commit an environment runs, from its current release's `opsconsole.commit` label. */
export function runningCommit(containers: readonly ContainerSnapshot[]): string | undefined {
	return newestReleaseContainer(containers)?.commit;
}

function newestReleaseContainer(containers: readonly ContainerSnapshot[]): ContainerSnapshot | undefined {
	let newest: ContainerSnapshot | undefined;
	for (const container of containers) {
		if (container.release && (!newest || container.createdAt > newest.createdAt)) newest = container;
	}

	return newest;
}

/** True for a stopped container of an earlier release, kept so a rollback needs no rebuild. */
export function isRetained(container: ContainerSnapshot, runningRelease: string | undefined): boolean {
	return container.state !== 'running' && container.state !== 'restarting' && container.release !== undefined && runningRelease !== undefined && container.release !== runningRelease;
}

/** The containers that make up what an environment runs now (retained ones left out). */
export function activeContainers(containers: readonly ContainerSnapshot[]): ContainerSnapshot[] {
	const release = currentRelease(containers);
	return containers.filter(container => !isRetained(container, release));
}

/** Service (or name) order, numbers counted as numbers (svc2 before svc10): the order every face lists containers in. */
export function compareContainers(a: ContainerSnapshot, b: ContainerSnapshot): number {
	return compareNaturally(a.service ?? a.name, b.service ?? b.name) || compareNaturally(a.name, b.name);
}

/** Everything `i` shows of a container, with secret-looking values already masked by the engine adapter. */
export type ContainerDetails = {
	readonly id: string;
	readonly name: string;
	readonly image: string;
	readonly state: string;
	readonly health: string;
	readonly restarts: number;
	readonly createdAt: string;
	readonly startedAt: string | null;
	readonly command: string;
	readonly environment: readonly string[];
	readonly labels: ReadonlyArray<readonly [string, string]>;
	readonly ports: readonly string[];
	readonly networks: readonly string[];
	readonly healthLog: readonly string[];
};

/** A container lifecycle or health event from an engine's events stream. */
/**
 * What an event says of a known container by itself, before an inspect completes the picture:
 * the engine has just told us it died, paused or changed health, and the screen can say so at
 * once. Undefined where the event alone does not say (a start: healthy yet or not?).
 */
export function stateAfterEvent(container: ContainerSnapshot, action: string): ContainerSnapshot | undefined {
	if (action === 'die' || action === 'stop' || action === 'oom') return container.state === 'exited' ? undefined : {...container, state: 'exited'};
	if (action === 'pause') return {...container, state: 'paused'};
	if (action === 'unpause') return {...container, state: 'running'};
	const health = /^health_status: (healthy|unhealthy|starting)$/.exec(action)?.[1] as ContainerHealth | undefined;
	if (health && container.state === 'running') return {...container, health};
	return undefined;
}

export type ContainerEvent = {
	readonly id: string;
	/** e.g. start, die, stop, kill, oom, restart, destroy, create, "health_status: healthy". */
	readonly action: string;
	/** The compose project label of the container. */
	readonly project: string | undefined;
};
