import type {Probes} from '../core/adapters.js';
import type {ProbeConfig} from '../core/environment-schema.js';
import type {ProbeResult} from '../core/health.js';
import {printableLine} from '../core/terminal-text.js';

function describeFetchError(error: unknown, timeoutMs: number): string {
	const problem = error as Error & {cause?: {code?: string; message?: string}};
	if (problem.name === 'TimeoutError' || problem.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
	const code = problem.cause?.code;
	if (code === 'ECONNREFUSED') return 'connection refused';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name does not resolve';
	return problem.cause?.message ?? problem.message;
}

/** One HTTP check: ok when the answer's status is the expected one, within the probe's timeout. */
export async function runProbe(probe: Pick<ProbeConfig, 'name' | 'url' | 'expectStatus' | 'timeoutMs'>): Promise<ProbeResult> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	try {
		const response = await fetch(probe.url, {signal: AbortSignal.timeout(probe.timeoutMs), redirect: 'manual'});
		await response.body?.cancel();
		const ok = response.status === probe.expectStatus;
		return {name: probe.name, url: probe.url, ok, status: response.status, ms: elapsed(), ...(ok ? {} : {error: `HTTP ${response.status}, expected ${probe.expectStatus}`})};
	} catch (error) {
		return {name: probe.name, url: probe.url, ok: false, status: null, ms: elapsed(), error: printableLine(describeFetchError(error, probe.timeoutMs))};
	}
}

/** The probe runner app/ is given: fetch with a deadline. */
export const httpProbes: Probes = {run: runProbe};
