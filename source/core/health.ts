import {activeContainers, type ContainerSnapshot} from './container.js';

/** The rolled-up health of an environment (DESIGN.md §3). */
export type EnvironmentHealth = 'healthy' | 'degraded' | 'down' | 'unknown';

export type ProbeResult = {
	readonly name: string;
	readonly url: string;
	readonly ok: boolean;
	/** HTTP status, or null when no response came (refused, timed out). */
	readonly status: number | null;
	readonly ms: number;
	readonly error?: string;
};

export type HealthInput = {
	/** Undefined when the engine answered; otherwise why it could not be reached. */
	readonly engineError: string | undefined;
	readonly containers: readonly ContainerSnapshot[];
	readonly probes: readonly ProbeResult[];
};

export type HealthRollup = {
	readonly health: EnvironmentHealth;
	/** Why the environment is not healthy, one short phrase each; empty when healthy. */
	readonly reasons: readonly string[];
};

function containerLabel(container: ContainerSnapshot): string {
	return container.service ?? container.name;
}

/** Why one container keeps its environment from being healthy, or undefined when it does not. */
export function containerProblem(container: ContainerSnapshot): string | undefined {
	// The engine's own words (a health check's output, an exit code) are what an operator acts on.
	const cause = container.cause ? `: ${container.cause}` : '';
	if (container.state !== 'running') return `${containerLabel(container)} is ${container.state}${cause}`;
	if (container.health === 'unhealthy') return `${containerLabel(container)} is unhealthy${cause}`;
	if (container.health === 'starting') return `${containerLabel(container)} health check is still starting`;
	return undefined;
}

export function probeProblem(probe: ProbeResult): string | undefined {
	if (probe.ok) return undefined;
	return `probe ${probe.name} failed: ${probe.error ?? (probe.status === null ? 'no response' : `HTTP ${probe.status}`)}`;
}

/**
 * unknown: the engine cannot be reached · down: nothing running · degraded: something running but a
 * container is not running/healthy or a probe fails · healthy: all running and healthy, probes pass.
 */
export function rollupHealth(input: HealthInput): HealthRollup {
	if (input.engineError !== undefined) return {health: 'unknown', reasons: [input.engineError]};
	const containers = activeContainers(input.containers);
	const running = containers.filter(container => container.state === 'running');
	const probeReasons = input.probes.map(probe => probeProblem(probe)).filter(reason => reason !== undefined);
	if (running.length === 0) {
		const reasons = containers.length === 0 ? ['no containers'] : containers.map(container => containerProblem(container)!);
		return {health: 'down', reasons: [...reasons, ...probeReasons]};
	}

	const reasons = [...containers.map(container => containerProblem(container)).filter(reason => reason !== undefined), ...probeReasons];
	return {health: reasons.length > 0 ? 'degraded' : 'healthy', reasons};
}
