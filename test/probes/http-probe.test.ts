import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, test} from 'node:test';
import {runProbe} from '../../source/probes/http-probe.js';
import {freePort, startSilentListener} from '../helpers/remote-engines.js';
import {Resources} from '../helpers/temp.js';

const resources = new Resources();
after(async () => resources.release());

async function serve(status: number): Promise<string> {
	const server = createServer((request, response) => {
		response.writeHead(status, {'content-type': 'text/plain'});
		response.end('x'.repeat(100_000));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	resources.defer(async () => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	}));
	return `http://127.0.0.1:${(server.address() as {port: number}).port}/health`;
}

const probe = (url: string, timeoutMs = 2000) => runProbe({name: 'web', url, expectStatus: 200, timeoutMs});

test('a probe passes on the expected status and names the status it got otherwise', async () => {
	const passing = await probe(await serve(200));
	assert.deepEqual([passing.ok, passing.status, passing.error], [true, 200, undefined]);
	const failing = await probe(await serve(503));
	assert.deepEqual([failing.ok, failing.status, failing.error], [false, 503, 'HTTP 503, expected 200']);
});

test('a probe that cannot connect, is never answered or has no usable URL fails with the reason, in time', async () => {
	const refused = await probe(`http://127.0.0.1:${await freePort()}/`);
	assert.deepEqual([refused.ok, refused.error], [false, 'connection refused']);
	const silent = await startSilentListener(resources);
	const started = Date.now();
	const hanging = await probe(`http://127.0.0.1:${silent}/`, 300);
	assert.deepEqual([hanging.ok, hanging.error], [false, 'no answer within 300 ms']);
	assert.ok(Date.now() - started < 2000, 'the deadline holds for a server that accepts and never answers');
	assert.match((await probe('not a url')).error ?? '', /Invalid URL/);
	assert.equal((await probe('ftp://127.0.0.1/')).error, 'ftp: is not http: or https:');
});

test('a probe reads the status and lets go: an endless body keeps neither the probe nor the socket', async () => {
	let closed = false;
	const server = createServer((request, response) => {
		response.writeHead(200);
		const timer = setInterval(() => response.write('x'.repeat(1024)), 10);
		response.on('close', () => {
			clearInterval(timer);
			closed = true;
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	resources.defer(async () => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	}));
	const result = await probe(`http://127.0.0.1:${(server.address() as {port: number}).port}/stream`);
	assert.deepEqual([result.ok, result.status], [true, 200]);
	for (let waited = 0; !closed && waited < 2000; waited += 50) await new Promise(resolve => setTimeout(resolve, 50));
	assert.ok(closed, 'the server saw the connection close');
});
