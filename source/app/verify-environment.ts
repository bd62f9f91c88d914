import {setTimeout as sleep} from 'node:timers/promises';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {judgeVerification, type VerificationVerdict} from '../core/verification.js';
import {readEnvironmentContainers, readSwarmPart, runEnvironmentProbes, type StatusSources} from './collect-status.js';

export type VerificationResult = VerificationVerdict & {readonly ms: number};

const pollMs = 400;

/**
 * Watches an environment until it runs `commit` healthily, fails visibly, or `timeoutMs` passes.
 * Reports each distinct verdict so a face can show what it is waiting for. Each poll reads only
 * containers and probes: git cannot change a verdict.
 */
export async function verifyEnvironment(
	sources: Pick<StatusSources, 'engines' | 'probes'>,
	environment: EnvironmentConfig,
	commit: string,
	options: {timeoutMs: number; signal?: AbortSignal; onVerdict?: (verdict: VerificationVerdict) => void},
): Promise<VerificationResult> {
	const started = performance.now();
	let lastReported = '';
	// A swarm environment is judged by its services and tasks; that code loads only for swarms.
	const judgeSwarm = environment.docker.mode === 'swarm' ? (await import('../core/swarm.js')).judgeSwarmVerification : undefined;
	for (;;) {
		const [{containers, engineError}, probes, stack] = await Promise.all([readEnvironmentContainers(sources, environment), runEnvironmentProbes(sources, environment), readSwarmPart(sources, environment)]);
		const swarm = stack.swarm?.view;
		const verdict = judgeSwarm
			? (engineError ?? stack.engineError ? {state: 'waiting' as const, reasons: [(engineError ?? stack.engineError)!]} : judgeSwarm({stackError: swarm?.error ?? undefined, services: swarm?.services ?? [], probes, expectedCommit: commit, declared: Object.keys(environment.services)}))
			: judgeVerification({engineError: engineError ?? null, containers, probes, expectedCommit: commit, services: Object.keys(environment.services)});
		const summary = `${verdict.state}:${verdict.reasons.join('|')}`;
		if (summary !== lastReported) {
			lastReported = summary;
			options.onVerdict?.(verdict);
		}

		const ms = Math.round(performance.now() - started);
		if (verdict.state !== 'waiting') return {...verdict, ms};
		if (options.signal?.aborted) return {state: 'failing', reasons: ['cancelled', ...verdict.reasons], ms};
		if (ms >= options.timeoutMs) return {state: 'failing', reasons: [`not healthy within ${Math.round(options.timeoutMs / 1000)} s`, ...verdict.reasons], ms};
		await sleep(Math.min(pollMs, options.timeoutMs - ms), undefined, {signal: options.signal}).catch(() => undefined);
	}
}
