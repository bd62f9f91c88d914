import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createTcpServer, type Server} from 'node:net';
import path from 'node:path';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {after, before, test} from 'node:test';
import {environmentSchema, type CheckConfig} from '../../source/core/environment-schema.js';
import {networkChecks} from '../../source/probes/network-checks.js';
import {freePort, makeCertificates, startSilentListener, type TestCertificates} from '../helpers/remote-engines.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

const resources = new Resources();
after(async () => resources.release());

/** A check as the real schema fills it in. */
function check<T extends CheckConfig['type']>(fields: Record<string, unknown> & {type: T}): Extract<CheckConfig, {type: T}> {
	const environment = environmentSchema.parse({name: 'staging', branch: 'staging', docker: {project: 'shop-staging'}, checks: [{name: 'a check', ...fields}]});
	return environment.checks[0] as Extract<CheckConfig, {type: T}>;
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	resources.defer(async () => new Promise(resolve => {
		(server as {closeAllConnections?: () => void}).closeAllConnections?.();
		server.close(resolve);
	}));
	return (server.address() as {port: number}).port;
}

const secureHeaders = {
	'Strict-Transport-Security': 'max-age=63072000',
	'Content-Security-Policy': 'default-src \'self\'; frame-ancestors \'none\'',
	'X-Content-Type-Options': 'nosniff',
};

function shop(request: IncomingMessage, response: ServerResponse): void {
	if (request.url === '/slow') {
		setTimeout(() => response.end('slow'), 60);
	} else if (request.url === '/api/booking' && request.method === 'POST') {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => response.writeHead(201, {'content-type': 'application/json'}).end(JSON.stringify({booking: 'confirmed', id: 42, echo: body})));
	} else if (request.url === '/plain') {
		response.end('no headers here');
	} else if (request.url === '/broken') {
		response.writeHead(500).end('internal error');
	} else {
		response.writeHead(200, secureHeaders).end('<h1>shop</h1>');
	}
}

let shopUrl = '';
let certificates: TestCertificates;
let httpsPort = 0;
let nearExpiryPort = 0;
const signal = new AbortController().signal;

/** A certificate for 127.0.0.1 signed by the test CA, valid for one more day only. */
function nearExpiryCertificate(folder: string, ca: TestCertificates): {cert: string; key: string} {
	const run = (...args: string[]) => execFileSync('openssl', args, {cwd: folder, stdio: ['ignore', 'ignore', 'pipe']});
	writeFileSync(path.join(folder, 'soon.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
	run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'soon-key.pem', '-out', 'soon.csr', '-subj', '/CN=soon');
	run('x509', '-req', '-in', 'soon.csr', '-CA', ca.ca, '-CAkey', path.join(ca.folder, 'ca-key.pem'), '-set_serial', '7', '-days', '1', '-out', 'soon.pem', '-extfile', 'soon.ext');
	return {cert: readFileSync(path.join(folder, 'soon.pem'), 'utf8'), key: readFileSync(path.join(folder, 'soon-key.pem'), 'utf8')};
}

before(async () => {
	shopUrl = `http://127.0.0.1:${await listen(createHttpServer(shop))}`;
	certificates = makeCertificates(resources);
	httpsPort = await listen(createHttpsServer({cert: readFileSync(certificates.serverCert), key: readFileSync(certificates.serverKey)}, shop));
	const soon = nearExpiryCertificate(temporaryFolder(resources), certificates);
	nearExpiryPort = await listen(createHttpsServer(soon, shop));
});

test('http: status, body text and pattern, a POST with a body', async () => {
	const ok = await networkChecks.http(check({type: 'http', url: `${shopUrl}/`, expectText: 'shop'}), signal);
	assert.equal(ok.status, 'pass', ok.detail);
	const booking = await networkChecks.http(check({type: 'http', url: `${shopUrl}/api/booking`, method: 'POST', body: '{"seats":2}', expectStatus: 201, expectPattern: '"booking":"confirmed".*"id":\\d+'}), signal);
	assert.equal(booking.status, 'pass', booking.detail);
	assert.ok(booking.output.some(line => line.includes('{\\"seats\\":2}')), 'the whole response is kept');
	const broken = await networkChecks.http(check({type: 'http', url: `${shopUrl}/broken`}), signal);
	assert.equal(broken.status, 'fail');
	assert.equal(broken.detail, 'HTTP 500, expected 200');
	const missing = await networkChecks.http(check({type: 'http', url: `${shopUrl}/`, expectText: 'checkout'}), signal);
	assert.match(missing.detail, /does not contain "checkout"/);
});

test('http: a refusing port and a URL that hangs fail with the reason, bounded by the timeout', async () => {
	const closed = await freePort();
	const refused = await networkChecks.http(check({type: 'http', url: `http://127.0.0.1:${closed}/`}), signal);
	assert.equal(refused.status, 'fail');
	assert.match(refused.detail, /connection refused/);
	const silent = await startSilentListener(resources);
	const started = Date.now();
	const hung = await networkChecks.http(check({type: 'http', url: `http://127.0.0.1:${silent}/`, timeoutMs: 400}), signal);
	const took = Date.now() - started;
	assert.equal(hung.status, 'fail');
	assert.match(hung.detail, /no answer within 400 ms/);
	assert.ok(took >= 350 && took < 2000, `bounded by its timeout (took ${took} ms)`);
});

test('a deadline still fires while the garbage collector runs (Node can collect a timeout signal held only by AbortSignal.any)', async () => {
	setFlagsFromString('--expose-gc');
	const collectGarbage = runInNewContext('gc') as () => void;
	const pressure = setInterval(collectGarbage, 10);
	const silent = await startSilentListener(resources);
	const within = async <T>(promise: Promise<T>) => Promise.race([promise, new Promise<'still waiting'>(resolve => setTimeout(() => resolve('still waiting'), 3000))]);
	try {
		const http = await within(networkChecks.http(check({type: 'http', url: `http://127.0.0.1:${silent}/`, timeoutMs: 300}), signal));
		assert.notEqual(http, 'still waiting');
		assert.match((http as {detail: string}).detail, /no answer within 300 ms/);
		const tls = await within(networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: silent, timeoutMs: 300}), certificates.folder, signal));
		assert.notEqual(tls, 'still waiting');
		assert.match((tls as {detail: string}).detail, /no TLS handshake within 300 ms/);
	} finally {
		clearInterval(pressure);
	}
});

test('latency: p95 within the budget passes; a slow endpoint fails with p50/p95/max', async () => {
	const fast = await networkChecks.latency(check({type: 'latency', url: `${shopUrl}/`, requests: 10, p95Ms: 1000}), signal);
	assert.equal(fast.status, 'pass', fast.detail);
	assert.match(fast.detail, /^p50 \d+ ms, p95 \d+ ms, max \d+ ms$/);
	const slow = await networkChecks.latency(check({type: 'latency', url: `${shopUrl}/slow`, requests: 5, p95Ms: 20}), signal);
	assert.equal(slow.status, 'fail');
	assert.match(slow.detail, /p95 \d+ ms.*over the 20 ms budget/);
	const closed = await freePort();
	const down = await networkChecks.latency(check({type: 'latency', url: `http://127.0.0.1:${closed}/`, requests: 3, p95Ms: 100}), signal);
	assert.equal(down.status, 'fail');
	assert.match(down.detail, /3 of 3 requests failed \(connection refused\)/);
});

test('tcp: a listening port passes, a refusing one fails', async () => {
	const open = await listen(createTcpServer(socket => socket.end()));
	assert.equal((await networkChecks.tcp(check({type: 'tcp', host: '127.0.0.1', port: open}), signal)).status, 'pass');
	const closed = await freePort();
	const refused = await networkChecks.tcp(check({type: 'tcp', host: '127.0.0.1', port: closed}), signal);
	assert.equal(refused.status, 'fail');
	assert.match(refused.detail, /connection refused/);
});

test('tls: a trusted certificate for the name passes with its expiry date', async () => {
	const projectRoot = certificates.folder;
	const verdict = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: httpsPort, ca: 'ca.pem', minDaysValid: 1}), projectRoot, signal);
	assert.equal(verdict.status, 'pass', verdict.detail);
	const expiry = execFileSync('openssl', ['x509', '-enddate', '-noout', '-in', certificates.serverCert], {encoding: 'utf8'}).replace('notAfter=', '').trim();
	assert.match(verdict.detail, new RegExp(`^valid for 127\\.0\\.0\\.1, expires ${new Date(expiry).toISOString().slice(0, 10)} \\(\\d+ days?\\)$`));
	const byName = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', serverName: 'localhost', port: httpsPort, ca: 'ca.pem', minDaysValid: 1}), projectRoot, signal);
	assert.equal(byName.status, 'pass', byName.detail);
});

test('tls: near expiry, another name, an unknown CA, a refusing port and a silent one all fail with the reason', async () => {
	const projectRoot = certificates.folder;
	const soon = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: nearExpiryPort, ca: 'ca.pem', minDaysValid: 14}), projectRoot, signal);
	assert.equal(soon.status, 'fail');
	assert.match(soon.detail, /^expires \d{4}-\d{2}-\d{2}, in [01] days? \(less than 14\)$/);
	const otherName = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', serverName: 'shop.example.test', port: httpsPort, ca: 'ca.pem', minDaysValid: 1}), projectRoot, signal);
	assert.equal(otherName.status, 'fail');
	assert.match(otherName.detail, /^not valid for shop\.example\.test/);
	const untrusted = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: httpsPort, minDaysValid: 1}), projectRoot, signal);
	assert.equal(untrusted.status, 'fail');
	assert.match(untrusted.detail, /^not trusted: /);
	const closed = await freePort();
	assert.match((await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: closed}), projectRoot, signal)).detail, /connection refused/);
	const silent = await startSilentListener(resources);
	const hung = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: silent, timeoutMs: 300}), projectRoot, signal);
	assert.match(hung.detail, /no TLS handshake within 300 ms/);
	const noCa = await networkChecks.tls(check({type: 'tls', host: '127.0.0.1', port: httpsPort, ca: 'missing.pem'}), projectRoot, signal);
	assert.match(noCa.detail, /cannot read the CA file missing\.pem: ENOENT/);
});

test('headers: each security header pass/fail, missing ones named', async () => {
	const secure = await networkChecks.headers(check({type: 'headers', url: `${shopUrl}/`}), signal);
	assert.equal(secure.status, 'pass', secure.detail);
	assert.deepEqual(secure.output.slice(1).map(line => line.split(':')[0]), ['PASS strict-transport-security', 'PASS content-security-policy', 'PASS x-content-type-options', 'PASS x-frame-options']);
	const plain = await networkChecks.headers(check({type: 'headers', url: `${shopUrl}/plain`, expect: ['X-Content-Type-Options', 'Referrer-Policy']}), signal);
	assert.equal(plain.status, 'fail');
	assert.equal(plain.detail, 'missing: x-content-type-options, referrer-policy');
	const closed = await freePort();
	assert.match((await networkChecks.headers(check({type: 'headers', url: `http://127.0.0.1:${closed}/`}), signal)).detail, /connection refused/);
});
