import type {EnvironmentConfig} from '../core/environment-schema.js';
import {judgeVerification, type VerificationVerdict} from '../core/verification.js';
import {pause} from './pause.js';
import {collectEnvironmentStatus, type EnvironmentStatus, type StatusSources} from './collect-status.js';

export type VerificationResult = VerificationVerdict & {readonly status: EnvironmentStatus; readonly ms: number};

const pollMs = 400;

/**
 * Watches an environment until it runs `commit` healthily, fails visibly, or `timeoutMs` passes.
 * Reports each distinct verdict so a face can show what it is waiting for.
 */
export async function verifyEnvironment(
	sources: StatusSources,
	environments: readonly EnvironmentConfig[],
	environment: EnvironmentConfig,
	commit: string,
	options: {timeoutMs: number; signal?: AbortSignal; onVerdict?: (verdict: VerificationVerdict) => void},
): Promise<VerificationResult> {
	const started = performance.now();
	let lastReported = '';
	for (;;) {
		const status = await collectEnvironmentStatus(sources, environments, environment);
		const verdict = judgeVerification({
			engineError: status.engine.error,
			containers: status.containers,
			probes: status.probes,
			expectedCommit: commit,
			services: Object.keys(environment.services),
			health: status.health,
		});
		const summary = `${verdict.state}:${verdict.reasons.join('|')}`;
		if (summary !== lastReported) {
			lastReported = summary;
			options.onVerdict?.(verdict);
		}

		const ms = Math.round(performance.now() - started);
		if (verdict.state !== 'waiting') return {...verdict, status, ms};
		if (options.signal?.aborted) return {state: 'failing', reasons: ['cancelled', ...verdict.reasons], status, ms};
		if (ms >= options.timeoutMs) return {state: 'failing', reasons: [`not healthy within ${Math.round(options.timeoutMs / 1000)} s`, ...verdict.reasons], status, ms};
		await pause(Math.min(pollMs, options.timeoutMs - ms), options.signal);
	}
}
