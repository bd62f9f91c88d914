import {readFileSync} from 'node:fs';
import {isIP, Socket} from 'node:net';
import path from 'node:path';
import {checkServerIdentity, connect as connectTls, rootCertificates, type PeerCertificate} from 'node:tls';
import type {NetworkChecks} from '../core/adapters.js';
import {failed, headersVerdict, httpVerdict, latencyVerdict, passed, tlsVerdict, type CheckVerdict} from '../core/checks.js';
import type {CheckConfig} from '../core/environment-schema.js';
import {printable, printableLine} from '../core/terminal-text.js';
import {describeNetworkError} from './network-error.js';

type CheckOf<T extends CheckConfig['type']> = Extract<CheckConfig, {type: T}>;

/** A response body is evidence, not a download: this much is kept. */
const bodyLimit = 64 * 1024;

async function readBody(response: Response): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	while (size < bodyLimit) {
		const {done, value} = await reader.read();
		if (done) break;
		chunks.push(value);
		size += value.length;
	}

	await reader.cancel().catch(() => undefined);
	return Buffer.concat(chunks).subarray(0, bodyLimit).toString('utf8');
}

type Answer = {status: number; body: string; ms: number; headers: Map<string, string>};

async function request(url: string, options: {method?: string; body?: string; signal: AbortSignal; readBody: boolean}): Promise<Answer> {
	const started = performance.now();
	const response = await fetch(url, {method: options.method ?? 'GET', body: options.body, signal: options.signal, redirect: 'manual'});
	const body = options.readBody ? await readBody(response) : '';
	if (!options.readBody) await response.body?.cancel();
	return {status: response.status, body, ms: Math.round(performance.now() - started), headers: new Map([...response.headers].map(([name, value]) => [name.toLowerCase(), printableLine(value)]))};
}

/**
 * Runs `work` with a signal that aborts with the caller's or after `timeoutMs`. Not
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: Node may collect a timeout signal held only
 * by a composite before it fires (nodejs/node#57736), and a hanging URL then waited for the outer bound.
 */
async function withDeadline<T>(signal: AbortSignal, timeoutMs: number, work: (bounded: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	const forward = () => controller.abort(signal.reason);
	if (signal.aborted) forward();
	else signal.addEventListener('abort', forward, {once: true});
	const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
	try {
		return await work(controller.signal);
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', forward);
	}
}

async function httpCheck(check: CheckOf<'http'>, signal: AbortSignal): Promise<CheckVerdict> {
	try {
		const answer = await withDeadline(signal, check.timeoutMs, async bounded => request(check.url, {method: check.method, body: check.body, signal: bounded, readBody: check.method !== 'HEAD'}));
		return httpVerdict(check, {status: answer.status, ms: answer.ms, body: printable(answer.body), headers: [...answer.headers].map(([name, value]) => `${name}: ${value}`)});
	} catch (error) {
		return failed(`${check.method} ${check.url}: ${describeNetworkError(error, check.timeoutMs)}`);
	}
}

async function latencyCheck(check: CheckOf<'latency'>, signal: AbortSignal): Promise<CheckVerdict> {
	const samples: number[] = [];
	const errors: string[] = [];
	await withDeadline(signal, check.timeoutMs, async bounded => {
		// One after another: concurrent requests would measure the checker's queue, not the service.
		for (let index = 0; index < check.requests && !bounded.aborted; index++) {
			try {
				const answer = await request(check.url, {signal: bounded, readBody: false});
				if (answer.status >= 200 && answer.status < 400) samples.push(answer.ms);
				else errors.push(`HTTP ${answer.status}`);
			} catch (error) {
				errors.push(describeNetworkError(error, check.timeoutMs));
			}
		}
	});
	return latencyVerdict(check.p95Ms, samples, errors);
}

async function tcpCheck(check: CheckOf<'tcp'>, signal: AbortSignal): Promise<CheckVerdict> {
	const started = performance.now();
	return withDeadline(signal, check.timeoutMs, async bounded => new Promise(resolve => {
		const socket = new Socket();
		const finish = (verdict: CheckVerdict) => {
			socket.destroy();
			bounded.removeEventListener('abort', onAbort);
			resolve(verdict);
		};

		const onAbort = () => finish(failed(`${check.host}:${check.port}: no connection within ${check.timeoutMs} ms`));
		bounded.addEventListener('abort', onAbort, {once: true});
		socket.once('connect', () => finish(passed(`${check.host}:${check.port} accepted a connection in ${Math.round(performance.now() - started)} ms`)));
		socket.once('error', error => finish(failed(`${check.host}:${check.port}: ${describeNetworkError(error, check.timeoutMs)}`)));
		socket.connect(check.port, check.host);
	}));
}

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
	if (!name) return '(none)';
	return printableLine(Object.entries(name).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`).join(', '));
}

async function tlsCheck(check: CheckOf<'tls'>, projectRoot: string, signal: AbortSignal): Promise<CheckVerdict> {
	const name = check.serverName ?? check.host;
	let ca: string[] | undefined;
	if (check.ca) {
		const file = path.resolve(projectRoot, check.ca);
		try {
			ca = [...rootCertificates, readFileSync(file, 'utf8')];
		} catch (error) {
			return failed(`cannot read the CA file ${check.ca}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}
	}

	return withDeadline(signal, check.timeoutMs, async bounded => new Promise(resolve => {
		// The handshake completes whatever the certificate, so the check can say exactly what is wrong with it.
		const socket = connectTls({host: check.host, port: check.port, ...(isIP(name) ? {} : {servername: name}), ca, rejectUnauthorized: false});
		const finish = (verdict: CheckVerdict) => {
			socket.destroy();
			bounded.removeEventListener('abort', onAbort);
			resolve(verdict);
		};

		const onAbort = () => finish(failed(`${check.host}:${check.port}: no TLS handshake within ${check.timeoutMs} ms`));
		bounded.addEventListener('abort', onAbort, {once: true});
		socket.once('secureConnect', () => {
			const certificate = socket.getPeerCertificate();
			if (!certificate || !certificate.valid_to) {
				finish(failed(`${check.host}:${check.port} presented no certificate`));
				return;
			}

			const authorizationError = socket.authorizationError as Error | string | null | undefined;
			finish(tlsVerdict(name, check.minDaysValid, {
				subject: distinguishedName(certificate.subject),
				issuer: distinguishedName(certificate.issuer),
				validFrom: new Date(certificate.valid_from),
				validTo: new Date(certificate.valid_to),
				altNames: printableLine(certificate.subjectaltname ?? ''),
				trustProblem: socket.authorized ? undefined : printableLine(String(authorizationError instanceof Error ? authorizationError.message : authorizationError ?? 'unknown')),
				nameProblem: checkServerIdentity(name, certificate)?.message.replace(/^Hostname\/IP does not match certificate's altnames: /, ''),
			}, new Date()));
		});
		socket.once('error', error => finish(failed(`${check.host}:${check.port}: ${describeNetworkError(error, check.timeoutMs)}`)));
	}));
}

async function headersCheck(check: CheckOf<'headers'>, signal: AbortSignal): Promise<CheckVerdict> {
	try {
		const answer = await withDeadline(signal, check.timeoutMs, async bounded => request(check.url, {signal: bounded, readBody: false}));
		const verdict = headersVerdict(check.expect, answer.headers);
		return {...verdict, output: [`HTTP ${answer.status} from ${check.url}`, ...verdict.output]};
	} catch (error) {
		return failed(`${check.url}: ${describeNetworkError(error, check.timeoutMs)}`);
	}
}

/** The network checks app/ is given: fetch, sockets and TLS handshakes, each bounded. */
export const networkChecks: NetworkChecks = {http: httpCheck, latency: latencyCheck, tcp: tcpCheck, tls: tlsCheck, headers: headersCheck};
