import assert from 'node:assert/strict';
import {copyFileSync, mkdirSync} from 'node:fs';
import {createServer} from 'node:http';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {createDockerContext, dockerConfigFolder, makeCertificates, startSilentListener, startSshd, startTlsProxy} from '../helpers/remote-engines.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

type JsonEnvironment = {name: string; health: string; engine: {host: string; reachable: boolean; error: string | null; caution: string | null}; containers: Array<{service: string; health: string}>};

const engine = await engineForTests();
const runId = newRunId();

describe('status against ssh://, tcp+TLS and context engines at once, one dead and one hanging', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const project = `oct-${runId}-remote`;
	let root: string;
	let env: NodeJS.ProcessEnv;
	let sshAddress: string;
	let silentPort: number;
	let webServerPort: number;

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const web = await startContainer(docker, {image, project, service: 'web', runId});
		await waitForContainer(web, info => info.State.Health?.Status === 'healthy');
		const [sshd, certificates] = await Promise.all([startSshd(resources), makeCertificates(resources)]);
		sshAddress = sshd.address;
		const tlsAddress = `tcp://127.0.0.1:${await startTlsProxy(resources, certificates)}`;
		silentPort = await startSilentListener(resources);
		// A web server at a mistyped address: it answers, but not as a Docker engine.
		const webServer = createServer((_request, response) => response.writeHead(404, {'content-type': 'text/html'}).end('<!DOCTYPE HTML><title>Not Found</title>'));
		await new Promise<void>(resolve => webServer.listen(0, '127.0.0.1', resolve));
		resources.defer(async () => new Promise(resolve => webServer.close(() => resolve(undefined))));
		webServerPort = (webServer.address() as {port: number}).port;
		const dockerConfig = dockerConfigFolder(resources);
		createDockerContext(dockerConfig, `stg-${runId}`, `host=${tlsAddress},ca=${certificates.ca},cert=${certificates.clientCert},key=${certificates.clientKey}`);

		root = temporaryFolder(resources);
		mkdirSync(path.join(root, 'certs'));
		for (const file of [certificates.ca, certificates.clientCert, certificates.clientKey]) copyFileSync(file, path.join(root, 'certs', path.basename(file)));
		const file = (name: string, docker: string) => `name: ${name}\nbranch: main\ndocker:\n${docker}  project: ${project}\n`;
		writeFiles(root, {
			'environments/over-ssh.yaml': file('over-ssh', `  host: ${sshd.address}\n`),
			'environments/over-tls.yaml': file('over-tls', `  host: ${tlsAddress}\n  tls: {ca: certs/ca.pem, cert: certs/client.pem, key: certs/client-key.pem}\n`),
			'environments/over-context.yaml': file('over-context', `  context: stg-${runId}\n`),
			'environments/unverified.yaml': file('unverified', `  host: ${tlsAddress}\n  tls: {ca: ${certificates.strangerCa}, cert: certs/client.pem, key: certs/client-key.pem, verify: false}\n`),
			'environments/refused.yaml': file('refused', '  host: ssh://nobody@127.0.0.1:1\n'),
			'environments/hanging.yaml': file('hanging', `  host: ssh://nobody@127.0.0.1:${silentPort}\n`),
			'environments/hanging-tls.yaml': file('hanging-tls', `  host: tcp://127.0.0.1:${silentPort}\n  tls: {ca: certs/ca.pem, cert: certs/client.pem, key: certs/client-key.pem}\n`),
			'environments/not-docker.yaml': file('not-docker', `  host: tcp://127.0.0.1:${webServerPort}\n`),
			'environments/stranger.yaml': file('stranger', `  host: ${tlsAddress}\n  tls: {ca: certs/ca.pem, cert: ${certificates.strangerCert}, key: ${certificates.strangerKey}}\n`),
		});
		initRepository(root);
		env = {OPSCONSOLE_SSH_CONFIG: sshd.clientConfig, DOCKER_CONFIG: dockerConfig};
	});

	test('every reachable engine reads healthy; the dead, hanging and refused ones are unknown with their reasons, within the deadlines', async () => {
		const result = await runCli(['status', '--json', '--project', root], {env});
		assert.equal(result.code, 1, result.stderr);
		const environments = new Map((JSON.parse(result.stdout) as {environments: JsonEnvironment[]}).environments.map(environment => [environment.name, environment]));
		for (const name of ['over-ssh', 'over-tls', 'over-context', 'unverified']) {
			const environment = environments.get(name)!;
			assert.equal(environment.health, 'healthy', `${name}: ${environment.engine.error}`);
			assert.deepEqual(environment.containers.map(container => [container.service, container.health]), [['web', 'healthy']]);
		}

		assert.equal(environments.get('over-ssh')!.engine.host, sshAddress);
		assert.match(environments.get('unverified')!.engine.caution ?? '', /^TLS verification is OFF \(docker\.tls\)/);
		assert.equal(environments.get('over-tls')!.engine.caution, null);
		assert.match(environments.get('refused')!.engine.error ?? '', /Connection refused — is sshd running there, and on that port\?$/);
		assert.match(environments.get('hanging')!.engine.error ?? '', /Connection timed out during banner exchange — the host does not answer/);
		assert.match(environments.get('stranger')!.engine.error ?? '', /the engine refused the client certificate .*stranger\.pem \(docker\.tls\)/);
		assert.match(environments.get('hanging-tls')!.engine.error ?? '', /no answer within 5 s/);
		assert.equal(environments.get('not-docker')!.engine.error, `engine at tcp://127.0.0.1:${webServerPort} unreachable: it answers HTTP 404, but not as a Docker engine does — check docker.host`);
		for (const name of ['refused', 'hanging', 'hanging-tls', 'stranger', 'not-docker']) assert.equal(environments.get(name)!.health, 'unknown');
		// ssh's ConnectTimeout (10 s) bounds the hanging host; everything else is read meanwhile.
		assert.ok(result.ms < 14_000, `took ${Math.round(result.ms)} ms`);
		assert.doesNotMatch(result.stderr, /\n\s+at /);
	});

	test('text status says loudly that verification is off, and never prints a stack trace', async () => {
		const result = await runCli(['status', 'unverified', '--project', root], {env});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^ {3}⚠ TLS verification is OFF \(docker\.tls\): the engine's identity is not checked$/m);
		const refused = await runCli(['status', 'refused', '--project', root], {env});
		assert.match(refused.stdout, /why: engine at ssh:\/\/nobody@127\.0\.0\.1:1 unreachable: ssh: connect to host 127\.0\.0\.1 port 1: Connection refused/);
		assert.ok(refused.ms < 3000, `a refusing host answers at once (${Math.round(refused.ms)} ms)`);
	});
});
