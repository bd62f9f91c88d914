import {activeContainers} from './container.js';
import type {ProbeResult} from './health.js';
import type {ContainerSnapshot} from './container.js';
import {shortSha} from './words.js';

export type VerificationVerdict = {
	/** passed: done · failing: no point waiting (unhealthy, crashed) · waiting: not there yet. */
	readonly state: 'passed' | 'failing' | 'waiting';
	readonly reasons: readonly string[];
};

export type VerificationInput = {
	readonly engineError: string | null;
	readonly containers: readonly ContainerSnapshot[];
	readonly probes: readonly ProbeResult[];
	readonly expectedCommit: string;
	/** Services the environment declares; each must run the expected commit. */
	readonly services: readonly string[];
};


/**
 * Whether a deployment of `expectedCommit` is verified: every declared service runs that commit,
 * every container is running and healthy, every probe passes. Unhealthy or crashing containers of
 * the new commit fail at once rather than waiting out the timeout.
 */
export function judgeVerification(input: VerificationInput): VerificationVerdict {
	if (input.engineError) return {state: 'waiting', reasons: [input.engineError]};
	const containers = activeContainers(input.containers);
	const failing: string[] = [];
	const waiting: string[] = [];

	for (const service of input.services) {
		if (!containers.some(container => container.service === service && container.commit === input.expectedCommit)) {
			waiting.push(`${service} does not run ${shortSha(input.expectedCommit)} yet`);
		}
	}

	if (containers.length === 0) waiting.push('no containers');
	for (const container of containers) {
		const label = container.service ?? container.name;
		if (container.commit !== undefined && container.commit !== input.expectedCommit) {
			waiting.push(`${label} runs ${shortSha(container.commit)}, not ${shortSha(input.expectedCommit)}`);
			continue;
		}

		const cause = container.cause ? `: ${container.cause}` : '';
		if (container.state === 'exited' || container.state === 'dead') failing.push(`${label} ${container.state}${cause}`);
		else if (container.state === 'restarting' || container.restarts > 0) failing.push(`${label} is crash-looping (${container.restarts} restarts)${cause}`);
		else if (container.state !== 'running') waiting.push(`${label} is ${container.state}`);
		else if (container.health === 'unhealthy') failing.push(`${label} is unhealthy${cause}`);
		else if (container.health === 'starting') waiting.push(`${label} health check is starting`);
	}

	for (const probe of input.probes) {
		if (!probe.ok) waiting.push(`probe ${probe.name}: ${probe.error ?? 'failed'}`);
	}

	if (failing.length > 0) return {state: 'failing', reasons: failing};
	if (waiting.length > 0) return {state: 'waiting', reasons: waiting};
	return {state: 'passed', reasons: []};
}
