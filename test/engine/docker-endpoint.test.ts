import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {resolveEndpoint} from '../../source/engine/docker-endpoint.js';
import {temporaryFolder} from '../helpers/temp.js';

/** A Docker CLI store laid out as `docker context create` lays it out. */
function storeWith(contexts: Record<string, {host: string; skipTlsVerify?: boolean; tlsFiles?: string[]}>, currentContext?: string): string {
	const config = temporaryFolder();
	for (const [name, context] of Object.entries(contexts)) {
		const id = createHash('sha256').update(name).digest('hex');
		mkdirSync(path.join(config, 'contexts', 'meta', id), {recursive: true});
		writeFileSync(path.join(config, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: context.host, SkipTLSVerify: context.skipTlsVerify ?? false}}}));
		for (const file of context.tlsFiles ?? []) {
			mkdirSync(path.join(config, 'contexts', 'tls', id, 'docker'), {recursive: true});
			writeFileSync(path.join(config, 'contexts', 'tls', id, 'docker', file), '-----BEGIN CERTIFICATE-----\n');
		}
	}

	if (currentContext) writeFileSync(path.join(config, 'config.json'), JSON.stringify({currentContext}));
	return config;
}

const base = {projectRoot: '/srv/deploy', home: '/home/ana'};
const resolve = (docker: Record<string, unknown>, environment: NodeJS.ProcessEnv = {}) => resolveEndpoint({project: 'p', ...docker} as never, {...base, environment});

test('the Docker CLI\'s order: the file\'s host or context, DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket', () => {
	const config = storeWith({stg: {host: 'ssh://deploy@stg-1'}, current: {host: 'tcp://current:2375'}}, 'current');
	assert.equal(resolve({host: 'tcp://file:2375'}, {DOCKER_HOST: 'tcp://env:2375', DOCKER_CONFIG: config}).address, 'tcp://file:2375');
	assert.equal(resolve({context: 'stg'}, {DOCKER_HOST: 'tcp://env:2375', DOCKER_CONFIG: config}).address, 'ssh://deploy@stg-1');
	assert.equal(resolve({}, {DOCKER_HOST: 'env:2375', DOCKER_CONTEXT: 'stg', DOCKER_CONFIG: config}).address, 'tcp://env:2375');
	assert.equal(resolve({}, {DOCKER_CONTEXT: 'stg', DOCKER_CONFIG: config}).address, 'ssh://deploy@stg-1');
	assert.equal(resolve({}, {DOCKER_CONFIG: config}).address, 'tcp://current:2375');
	assert.equal(resolve({}, {DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default'}).address, 'unix:///var/run/docker.sock');
	assert.equal(resolve({}, {}).address, 'unix:///var/run/docker.sock');
});

test('TLS: the file\'s paths from the project root and ~; the CLI\'s variables; port 2376 alone means TLS against the system\'s CAs', () => {
	const fromFile = resolve({host: 'tcp://stg-1:2376', tls: {ca: 'certs/ca.pem', cert: '~/.docker/cert.pem', key: '/etc/key.pem', verify: true}});
	assert.deepEqual(fromFile.kind === 'tcp' && fromFile.tls, {ca: '/srv/deploy/certs/ca.pem', cert: '/home/ana/.docker/cert.pem', key: '/etc/key.pem', verify: true, origin: 'docker.tls'});
	const certPath = temporaryFolder();
	writeFileSync(path.join(certPath, 'ca.pem'), '');
	const fromEnvironment = resolve({}, {DOCKER_HOST: 'tcp://stg-1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath});
	assert.deepEqual(fromEnvironment.kind === 'tcp' && fromEnvironment.tls, {ca: path.join(certPath, 'ca.pem'), cert: undefined, key: undefined, verify: true, origin: `DOCKER_CERT_PATH ${certPath}`});
	const byPort = resolve({host: 'tcp://stg-1:2376'});
	assert.deepEqual(byPort.kind === 'tcp' && byPort.tls, {ca: undefined, cert: undefined, key: undefined, verify: true, origin: 'port 2376'});
	const plain = resolve({host: 'tcp://stg-1'});
	assert.deepEqual(plain.kind === 'tcp' && [plain.port, plain.tls], [2375, undefined]);
});

test('a context\'s TLS is what its store holds: files, SkipTLSVerify, or plain TCP', () => {
	const config = storeWith({
		secure: {host: 'tcp://stg-1:2376', tlsFiles: ['ca.pem', 'cert.pem', 'key.pem']},
		loose: {host: 'tcp://stg-1:2376', skipTlsVerify: true},
		plain: {host: 'tcp://stg-1:2376'},
	});
	const secure = resolve({context: 'secure'}, {DOCKER_CONFIG: config});
	assert.ok(secure.kind === 'tcp' && secure.tls?.verify && secure.tls.ca?.endsWith('/docker/ca.pem') && secure.tls.origin === 'context "secure"');
	const loose = resolve({context: 'loose'}, {DOCKER_CONFIG: config});
	assert.ok(loose.kind === 'tcp' && loose.tls?.verify === false);
	const plain = resolve({context: 'plain'}, {DOCKER_CONFIG: config});
	assert.ok(plain.kind === 'tcp' && plain.tls === undefined);
});

test('an unknown context names the ones that exist and the remedy', () => {
	const config = storeWith({stg: {host: 'ssh://deploy@stg-1'}, prod: {host: 'ssh://deploy@prod-1'}});
	assert.throws(() => resolve({context: 'stagign'}, {DOCKER_CONFIG: config}), {message: `no Docker context "stagign" in ${config}/contexts (known: default, prod, stg) — create it with \`docker context create stagign --docker host=…\`, or fix docker.context / DOCKER_CONTEXT`});
});
