import path from 'node:path';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {LiveMonitor, type LiveSnapshot} from '../../source/app/live-monitor.js';
import {loadProject} from '../../source/config/load-project.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {httpProbes} from '../../source/probes/http-probe.js';
import {LockStore} from '../../source/state/lock-store.js';
import {ReleaseStore} from '../../source/state/release-store.js';
import {GitRepository} from '../../source/vcs/git-repository.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {sshProcessesOf, startSilentListener, startSshd, type TestSshd} from '../helpers/remote-engines.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();
const hour = 3_600_000;

async function nextSnapshot(monitor: LiveMonitor, predicate: (snapshot: LiveSnapshot) => boolean, timeoutMs = 5000): Promise<LiveSnapshot> {
	if (predicate(monitor.getSnapshot())) return monitor.getSnapshot();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`no matching snapshot within ${timeoutMs} ms; last: ${JSON.stringify(monitor.getSnapshot().engines)} ${JSON.stringify(monitor.getSnapshot().environments.map(environment => [environment.name, environment.health, environment.containers.map(container => container.state)]))}`));
		}, timeoutMs);
		const unsubscribe = monitor.subscribe(() => {
			if (!predicate(monitor.getSnapshot())) return;
			clearTimeout(timer);
			unsubscribe();
			resolve(monitor.getSnapshot());
		});
	});
}

const engineState = (snapshot: LiveSnapshot, hostPart: string) => snapshot.engines.find(connection => connection.host.includes(hostPart));
const environment = (snapshot: LiveSnapshot, name: string) => snapshot.environments.find(candidate => candidate.name === name)!;

describe('the live monitor over ssh, with a dead and a hanging host beside it', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const project = `oct-${runId}-remote-live`;
	let monitor: LiveMonitor;
	let pool: EnginePool;
	let silentPort: number;
	let goodAddress: string;
	let sshd: TestSshd;

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const web = await startContainer(docker, {image, project, service: 'web', runId});
		await waitForContainer(web, info => info.State.Health?.Status === 'healthy');
		sshd = await startSshd(resources);
		goodAddress = sshd.address;
		silentPort = await startSilentListener(resources);
		const root = temporaryFolder(resources);
		writeFiles(root, {
			'environments/remote.yaml': `name: remote\nbranch: main\ndocker:\n  host: ${sshd.address}\n  project: ${project}\n`,
			'environments/refused.yaml': `name: refused\nbranch: main\ndocker:\n  host: ssh://nobody@127.0.0.1:1\n  project: refused\n`,
			'environments/hanging.yaml': `name: hanging\nbranch: main\ndocker:\n  host: ssh://nobody@127.0.0.1:${silentPort}\n  project: hanging\n`,
		});
		initRepository(root);
		pool = new EnginePool({environment: {...process.env, OPSCONSOLE_SSH_CONFIG: sshd.clientConfig}, connectTimeoutMs: 3000});
		resources.defer(() => pool.close());
		monitor = new LiveMonitor({engines: pool, git: new GitRepository(root), probes: httpProbes, state: {releases: new ReleaseStore(path.join(root, 'state'), 'test-host'), locks: new LockStore(path.join(root, 'state'), 'test-host')}}, loadProject(root).environments, {resyncMs: hour, probeMs: hour, gitMs: hour, reconnectInitialMs: 300});
		resources.defer(() => monitor.stop());
		monitor.start();
	});

	test('each engine has its own state: the good one live while the dead one reconnects and the hanging one is still connecting', async () => {
		const snapshot = await nextSnapshot(monitor, current => engineState(current, 'nobody@127.0.0.1:1')?.state === 'reconnecting' && engineState(current, goodAddress)?.state === 'live');
		assert.equal(environment(snapshot, 'remote').health, 'healthy');
		assert.equal(engineState(snapshot, '127.0.0.1:1')?.state, 'reconnecting');
		assert.match(engineState(snapshot, '127.0.0.1:1')?.error ?? '', /Connection refused — is sshd running there/);
		assert.equal(engineState(snapshot, `:${silentPort}`)?.state, 'connecting', 'the hanging host is still within its connect deadline');
		assert.equal(engineState(snapshot, goodAddress)?.state, 'live');
	});

	test('the good engine keeps updating by events while the hanging one times out and retries', async () => {
		const [summary] = await engine.docker!.listContainers({filters: {label: [`com.docker.compose.project=${project}`]}});
		await engine.docker!.getContainer(summary!.Id).stop({t: 0});
		await nextSnapshot(monitor, current => environment(current, 'remote').containers[0]?.state === 'exited', 3000);
		const snapshot = await nextSnapshot(monitor, current => engineState(current, `:${silentPort}`)?.state === 'reconnecting', 8000);
		assert.match(engineState(snapshot, `:${silentPort}`)?.error ?? '', /timed out during banner exchange|no answer/);
		assert.equal(environment(snapshot, 'hanging').health, 'unknown');
		assert.equal(environment(snapshot, 'remote').health, 'down');
	});

	test('a dropped connection reads reconnecting with ssh\'s reason, then live again on a new connection', async () => {
		sshd.dropConnections();
		const lost = await nextSnapshot(monitor, current => engineState(current, goodAddress)?.state === 'reconnecting', 5000);
		assert.match(engineState(lost, goodAddress)?.error ?? '', /unreachable: .*(connection lost|closed|events stream broke)/i);
		assert.equal(environment(lost, 'remote').health, 'unknown');
		await nextSnapshot(monitor, current => engineState(current, goodAddress)?.state === 'live', 8000);
		const masters = sshProcessesOf(process.pid).filter(pid => {
			const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			return commandLine.includes('ControlMaster=yes') && commandLine.includes(String(sshd.port));
		});
		assert.equal(masters.length, 1, 'the lost master was replaced, not added to');
	});

	test('stopping the monitor and closing the engines leaves no ssh process behind', async () => {
		monitor.stop();
		pool.close();
		const deadline = Date.now() + 3000;
		while (sshProcessesOf(process.pid).length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.deepEqual(sshProcessesOf(process.pid), []);
	});
});
