import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ContainerEvent} from '../../source/core/container.js';
import {EngineUnavailableError} from '../../source/core/errors.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {sshProcessesOf, startSilentListener, startSshd, type TestSshd} from '../helpers/remote-engines.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();

async function failure(promise: Promise<unknown>): Promise<EngineUnavailableError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof EngineUnavailableError, `expected an EngineUnavailableError, got ${String(error)}`);
		return error;
	}

	throw new Error('expected the engine to be unavailable');
}

describe('ssh:// engines through OpenSSH (an sshd of the test\'s own in front of the real engine)', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const project = `oct-${runId}-ssh`;
	let sshd: TestSshd;
	let pool: EnginePool;
	let containerId: string;

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const web = await startContainer(docker, {image, project, service: 'web', runId, healthcheck: 'none'});
		containerId = web.id;
		await waitForContainer(web, info => info.State.Running);
		sshd = await startSshd(resources);
		pool = new EnginePool({environment: {...process.env, OPSCONSOLE_SSH_CONFIG: sshd.clientConfig}, connectTimeoutMs: 2000});
		resources.defer(() => pool.close());
	});

	test('lists, inspects and follows events over one ssh connection, reused', async () => {
		const remote = pool.engineFor({host: sshd.address, project});
		const started = performance.now();
		const [listed] = await remote.listEnvironmentContainers(project);
		const firstRead = performance.now() - started;
		assert.equal(listed?.id, containerId);
		assert.equal(listed?.service, 'web');
		assert.equal((await remote.containerDetails(containerId))?.name, listed?.name);

		const events: ContainerEvent[] = [];
		const controller = new AbortController();
		const watching = remote.watchEvents(event => events.push(event), controller.signal);
		// The events channel is open once a request after it gets through the same master.
		await remote.listEnvironmentContainers(project);
		await engine.docker!.getContainer(containerId).restart({t: 0});
		const deadline = Date.now() + 5000;
		while (!events.some(event => event.id === containerId && event.action === 'start') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.ok(events.some(event => event.id === containerId && event.action === 'start'), `events seen: ${JSON.stringify(events)}`);

		await Promise.all(Array.from({length: 12}, async () => remote.containerSnapshot(containerId)));
		const masters = sshProcessesOf(process.pid).filter(pid => readCommandLine(pid).includes('ControlMaster=yes'));
		assert.equal(masters.length, 1, 'one ssh connection per engine, however many requests');
		const channels = sshProcessesOf(process.pid).length - masters.length;
		assert.ok(channels <= 7, `${channels} channels: a keep-alive handful for requests plus the events stream`);
		controller.abort();
		await watching;
		console.log(`# first read over ssh (connect, channel, list, inspect): ${Math.round(firstRead)} ms`);
	});

	test('a container\'s log streams over its own channel, and stops when asked', async () => {
		const image = `opsconsole-test-web:${runId}`;
		const talker = await startContainer(engine.docker!, {image, project, service: 'talker', runId, healthcheck: 'none', cmd: ['/bin/busybox', 'sh', '-c', 'echo hello over ssh; echo second line; exec /bin/busybox sleep 3600']});
		await waitForContainer(talker, info => info.State.Running);
		const remote = pool.engineFor({host: sshd.address, project});
		const lines: string[] = [];
		const controller = new AbortController();
		const streaming = remote.streamLogs(talker.id, line => {
			lines.push(line);
			if (lines.length === 2) controller.abort();
		}, controller.signal);
		const timer = setTimeout(() => controller.abort(), 10_000);
		await streaming;
		clearTimeout(timer);
		assert.deepEqual(lines, ['hello over ssh', 'second line']);
	});

	test('a host that refuses is an error value naming ssh\'s reason and the remedy', async () => {
		const refused = pool.engineFor({host: 'ssh://nobody@127.0.0.1:1', project});
		const error = await failure(refused.listEnvironmentContainers(project));
		assert.match(error.message, /^engine at ssh:\/\/nobody@127\.0\.0\.1:1 unreachable: ssh: connect to host 127\.0\.0\.1 port 1: Connection refused — is sshd running there/);
	});

	test('a host that accepts and never answers is given up on at the connect deadline', async () => {
		const port = await startSilentListener(resources);
		const silent = pool.engineFor({host: `ssh://nobody@127.0.0.1:${port}`, project});
		const started = performance.now();
		const error = await failure(silent.listEnvironmentContainers(project));
		assert.match(error.reason, /timed out during banner exchange|no answer/);
		assert.ok(performance.now() - started < 5000, `took ${Math.round(performance.now() - started)} ms`);
	});

	test('a key the server does not know, and an unknown host key, say what to do', async () => {
		const strangerConfig = path.join(sshd.folder, 'stranger_config');
		writeFileSync(strangerConfig, `Host *\n  IdentityFile ${path.join(sshd.folder, 'host_key')}\n  IdentitiesOnly yes\n  StrictHostKeyChecking accept-new\n  UserKnownHostsFile ${path.join(sshd.folder, 'stranger_known_hosts')}\n  GlobalKnownHostsFile /dev/null\n`);
		const stranger = new EnginePool({environment: {...process.env, OPSCONSOLE_SSH_CONFIG: strangerConfig}, connectTimeoutMs: 2000});
		resources.defer(() => stranger.close());
		const denied = await failure(stranger.engineFor({host: sshd.address, project}).listEnvironmentContainers(project));
		assert.match(denied.reason, /Permission denied \(publickey\) — authentication failed; opsconsole cannot ask for a password or passphrase: load your key into ssh-agent/);

		const strictConfig = path.join(sshd.folder, 'strict_config');
		writeFileSync(strictConfig, `Host *\n  IdentityFile ${path.join(sshd.folder, 'client_key')}\n  StrictHostKeyChecking yes\n  UserKnownHostsFile ${path.join(sshd.folder, 'empty_known_hosts')}\n  GlobalKnownHostsFile /dev/null\n`);
		const strict = new EnginePool({environment: {...process.env, OPSCONSOLE_SSH_CONFIG: strictConfig}, connectTimeoutMs: 2000});
		resources.defer(() => strict.close());
		const unknownKey = await failure(strict.engineFor({host: sshd.address, project}).listEnvironmentContainers(project));
		assert.match(unknownKey.reason, /host key is not in known_hosts yet — connect once with `ssh .*127\.0\.0\.1:\d+` to check and accept it/);
	});

	test('closing the pool ends every ssh process it started', async () => {
		const remote = pool.engineFor({host: sshd.address, project});
		await remote.listEnvironmentContainers(project);
		assert.ok(sshProcessesOf(process.pid).length > 0);
		pool.close();
		const deadline = Date.now() + 3000;
		while (sshProcessesOf(process.pid).length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.deepEqual(sshProcessesOf(process.pid), []);
	});
});

function readCommandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}
