import assert from 'node:assert/strict';
import {copyFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {EngineUnavailableError} from '../../source/core/errors.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {createDockerContext, dockerConfigFolder, makeCertificates, startSshd, startTlsProxy, type TestCertificates} from '../helpers/remote-engines.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();

async function reason(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof EngineUnavailableError, `expected an EngineUnavailableError, got ${String(error)}`);
		return error.reason;
	}

	throw new Error('expected the engine to be unavailable');
}

describe('tcp:// with TLS (a TLS listener of the test\'s own in front of the real engine) and Docker contexts', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const project = `oct-${runId}-tls`;
	let certificates: TestCertificates;
	let address: string;
	let containerId: string;

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const web = await startContainer(docker, {image, project, service: 'web', runId, healthcheck: 'none'});
		containerId = web.id;
		await waitForContainer(web, info => info.State.Running);
		certificates = makeCertificates(resources);
		address = `tcp://127.0.0.1:${await startTlsProxy(resources, certificates)}`;
	});

	const poolFor = (environment: NodeJS.ProcessEnv = {}, projectRoot = '/') => {
		const pool = new EnginePool({environment: {PATH: process.env['PATH'], HOME: temporaryFolder(resources), ...environment}, projectRoot});
		resources.defer(() => pool.close());
		return pool;
	};

	test('the right client certificate gets the containers, with paths relative to the project root', async () => {
		const tls = {ca: path.basename(certificates.ca), cert: path.basename(certificates.clientCert), key: path.basename(certificates.clientKey), verify: true};
		const remote = poolFor({}, certificates.folder).engineFor({host: address, tls, project});
		const [listed] = await remote.listEnvironmentContainers(project);
		assert.equal(listed?.id, containerId);
		assert.equal(remote.caution, undefined);
		// New connections side by side, after the first: no TLS session resumption for a front end to trip on.
		const snapshots = await Promise.all(Array.from({length: 6}, async () => remote.containerSnapshot(containerId)));
		assert.deepEqual(snapshots.map(snapshot => snapshot?.id), Array.from({length: 6}, () => containerId));
	});

	test('a client certificate the engine does not trust is refused, naming the file', async () => {
		const remote = poolFor().engineFor({host: address, tls: {ca: certificates.ca, cert: certificates.strangerCert, key: certificates.strangerKey, verify: true}, project});
		const why = await reason(remote.listEnvironmentContainers(project));
		assert.equal(why, `the engine refused the client certificate ${certificates.strangerCert} (docker.tls) — is it signed by the CA the engine trusts (dockerd --tlscacert), and still valid?`);
		const without = poolFor().engineFor({host: address, tls: {ca: certificates.ca, verify: true}, project});
		assert.match(await reason(without.listEnvironmentContainers(project)), /^the engine asks for a client certificate — set docker\.tls cert and key/);
	});

	test('a missing key file is named, with the remedy, and nothing is tried', async () => {
		const remote = poolFor({}, certificates.folder).engineFor({host: address, tls: {ca: 'ca.pem', cert: 'client.pem', key: 'no-such-key.pem', verify: true}, project});
		const why = await reason(remote.listEnvironmentContainers(project));
		assert.equal(why, `cannot read the TLS client key ${path.join(certificates.folder, 'no-such-key.pem')} (docker.tls): no such file — fix the path (relative paths start at the project root) or the file's permissions`);
	});

	test('an engine certificate from a CA the client does not trust names the CA file', async () => {
		const remote = poolFor().engineFor({host: address, tls: {ca: certificates.strangerCa, cert: certificates.clientCert, key: certificates.clientKey, verify: true}, project});
		const why = await reason(remote.listEnvironmentContainers(project));
		assert.equal(why, `the engine's certificate is not signed by the CA in ${certificates.strangerCa} (docker.tls) — point ca at the CA that signed the engine's certificate`);
	});

	test('verify: false connects, and says so', async () => {
		const remote = poolFor().engineFor({host: address, tls: {ca: certificates.strangerCa, cert: certificates.clientCert, key: certificates.clientKey, verify: false}, project});
		assert.equal((await remote.listEnvironmentContainers(project))[0]?.id, containerId);
		assert.match(remote.caution ?? '', /TLS verification is OFF \(docker\.tls\)/);
	});

	test('DOCKER_CERT_PATH and DOCKER_TLS_VERIFY, as the Docker CLI takes them', async () => {
		const certPath = temporaryFolder(resources);
		copyFileSync(certificates.ca, path.join(certPath, 'ca.pem'));
		copyFileSync(certificates.clientCert, path.join(certPath, 'cert.pem'));
		copyFileSync(certificates.clientKey, path.join(certPath, 'key.pem'));
		const pool = poolFor({DOCKER_HOST: address, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath});
		assert.equal((await pool.engineFor({project}).listEnvironmentContainers(project))[0]?.id, containerId);
	});

	test('docker contexts: a tls context and an ssh context from the CLI\'s store; an unknown one names those that exist', async () => {
		const config = dockerConfigFolder(resources);
		createDockerContext(config, `tls-${runId}`, `host=${address},ca=${certificates.ca},cert=${certificates.clientCert},key=${certificates.clientKey}`);
		const sshd = await startSshd(resources);
		createDockerContext(config, `ssh-${runId}`, `host=${sshd.address}`);
		const pool = poolFor({DOCKER_CONFIG: config, OPSCONSOLE_SSH_CONFIG: sshd.clientConfig});

		const viaTls = pool.engineFor({context: `tls-${runId}`, project});
		assert.equal(viaTls.host, address);
		assert.equal((await viaTls.listEnvironmentContainers(project))[0]?.id, containerId);
		const viaSsh = pool.engineFor({context: `ssh-${runId}`, project});
		assert.equal(viaSsh.host, sshd.address);
		assert.equal((await viaSsh.listEnvironmentContainers(project))[0]?.id, containerId);

		const fromVariable = poolFor({DOCKER_CONFIG: config, DOCKER_CONTEXT: `tls-${runId}`}).engineFor({project});
		assert.equal(fromVariable.host, address, 'DOCKER_CONTEXT applies when the file names neither host nor context');

		const why = await reason(pool.engineFor({context: 'nope', project}).listEnvironmentContainers(project));
		assert.match(why, new RegExp(`^no Docker context "nope" in ${escape(config)}/contexts \\(known: default, ssh-${runId}, tls-${runId}\\) — create it with \`docker context create nope`));
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
