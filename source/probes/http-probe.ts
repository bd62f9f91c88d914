import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';
import type {Probes} from '../core/adapters.js';
import type {ProbeConfig} from '../core/environment-schema.js';
import type {ProbeResult} from '../core/health.js';
import {describeNetworkError} from './network-error.js';

/**
 * The status of a GET, its body discarded, within `timeoutMs` all told. Node's own http rather than
 * fetch: fetch loads undici, a fifth of `status`'s start-up, for one status code.
 */
async function statusOf(address: string, timeoutMs: number): Promise<number> {
	const url = new URL(address);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${url.protocol} is not http: or https:`);
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise<number>((resolve, reject) => {
		const request = send(url, {method: 'GET', headers: {connection: 'close'}}, response => {
			clearTimeout(deadline);
			// The status is all a probe wants: an endless or huge body must not keep a socket (or `status`) alive.
			response.destroy();
			resolve(response.statusCode ?? 0);
		});
		const deadline = setTimeout(() => request.destroy(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
		request.on('error', error => {
			clearTimeout(deadline);
			reject(error);
		});
		request.end();
	});
}

/** One HTTP check: ok when the answer's status is the expected one, within the probe's timeout. */
export async function runProbe(probe: Pick<ProbeConfig, 'name' | 'url' | 'expectStatus' | 'timeoutMs'>): Promise<ProbeResult> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	try {
		const status = await statusOf(probe.url, probe.timeoutMs);
		const ok = status === probe.expectStatus;
		return {name: probe.name, url: probe.url, ok, status, ms: elapsed(), ...(ok ? {} : {error: `HTTP ${status}, expected ${probe.expectStatus}`})};
	} catch (error) {
		return {name: probe.name, url: probe.url, ok: false, status: null, ms: elapsed(), error: describeNetworkError(error, probe.timeoutMs)};
	}
}

/** The probe runner app/ is given: an HTTP GET with a deadline. */
export const httpProbes: Probes = {run: runProbe};
