import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {EnvironmentStatus} from '../../source/app/collect-status.js';
import {LiveMonitor, type LiveSnapshot} from '../../source/app/live-monitor.js';
import {loadProject} from '../../source/config/load-project.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {httpProbes} from '../../source/probes/http-probe.js';
import {LockStore} from '../../source/state/lock-store.js';
import {ReleaseStore} from '../../source/state/release-store.js';
import {GitRepository} from '../../source/vcs/git-repository.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();
const hour = 3_600_000;

/** Resolves with the first snapshot (current or future) that satisfies `predicate`. */
async function nextSnapshot(monitor: LiveMonitor, predicate: (snapshot: LiveSnapshot) => boolean, timeoutMs = 5000): Promise<LiveSnapshot> {
	if (predicate(monitor.getSnapshot())) return monitor.getSnapshot();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`no matching snapshot within ${timeoutMs} ms; last: ${JSON.stringify(monitor.getSnapshot().environments.map(environment => [environment.name, environment.health, environment.containers.map(container => container.state)]))}`));
		}, timeoutMs);
		const unsubscribe = monitor.subscribe(() => {
			if (!predicate(monitor.getSnapshot())) return;
			clearTimeout(timer);
			unsubscribe();
			resolve(monitor.getSnapshot());
		});
	});
}

const environmentNamed = (snapshot: LiveSnapshot, name: string): EnvironmentStatus => snapshot.environments.find(environment => environment.name === name)!;

describe('the live monitor follows the engine by events', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let monitor: LiveMonitor;
	let sources: ConstructorParameters<typeof LiveMonitor>[0];
	let liveOnly: ConstructorParameters<typeof LiveMonitor>[1];
	let image: string;
	let stateFolder: string;
	const project = `oct-${runId}-live`;

	before(async () => {
		const docker = engine.docker!;
		image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const web = await startContainer(docker, {image, project, service: 'web', runId});
		await waitForContainer(web, info => info.State.Health?.Status === 'healthy');
		const root = temporaryFolder(resources);
		writeFiles(root, {
			'environments/live.yaml': `name: live\nbranch: main\ndocker:\n  project: ${project}\n`,
			'environments/gone.yaml': `name: gone\nbranch: main\ndocker:\n  host: unix://${path.join(root, 'no.sock')}\n  project: gone\n`,
		});
		initRepository(root);
		const {environments} = loadProject(root);
		// Re-sync and probes are an hour away: every change below must come from an event.
		// No lock was ever taken: the folder of locks, and the state folder above it, do not exist yet.
		stateFolder = path.join(root, 'state');
		sources = {engines: new EnginePool(), git: new GitRepository(root), probes: httpProbes, state: {releases: new ReleaseStore(stateFolder, 'test-host'), locks: new LockStore(stateFolder, 'test-host')}};
		liveOnly = environments.filter(environment => environment.name === 'live');
		monitor = new LiveMonitor(sources, environments, {resyncMs: hour, probeMs: hour, gitMs: hour, reconnectInitialMs: 200});
		resources.defer(() => monitor.stop());
		monitor.start();
		await monitor.ready;
	});

	test('the first read shows the engine\'s list at once and inspects only once the screen has loaded', async () => {
		let screenLoaded: () => void = () => undefined;
		const loaded = new Promise<void>(resolve => {
			screenLoaded = resolve;
		});
		const gated = new LiveMonitor(sources, liveOnly, {resyncMs: hour, probeMs: hour, gitMs: hour, detailsAfter: async () => loaded});
		resources.defer(() => gated.stop());
		gated.start();
		const listed = await nextSnapshot(gated, current => environmentNamed(current, 'live').containers.length === 1);
		assert.equal(environmentNamed(listed, 'live').health, 'healthy', 'the list says healthy');
		assert.equal(environmentNamed(listed, 'live').containers[0]!.partial, true);
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(environmentNamed(gated.getSnapshot(), 'live').containers[0]!.partial, true, 'no inspect before the screen has loaded');
		screenLoaded();
		const complete = await nextSnapshot(gated, current => environmentNamed(current, 'live').containers[0]?.partial === undefined);
		assert.ok(environmentNamed(complete, 'live').containers[0]!.startedAt, 'the inspect adds the start time');
	});

	test('first read: the running container, healthy, and the unreachable engine as unknown', async () => {
		// Live once the events stream is established and the read after it is done.
		const snapshot = await nextSnapshot(monitor, current => environmentNamed(current, 'live').health === 'healthy' && current.engines.some(connection => connection.host === 'unix:///var/run/docker.sock' && connection.state === 'live'));
		assert.deepEqual(environmentNamed(snapshot, 'live').containers.map(container => [container.service, container.state]), [['web', 'running']]);
		const gone = environmentNamed(snapshot, 'gone');
		assert.equal(gone.health, 'unknown');
		assert.match(gone.engine.error ?? '', /no socket/);
		assert.equal(snapshot.engines.find(connection => connection.host.endsWith('no.sock'))?.state, 'reconnecting');
		assert.equal(snapshot.engines.find(connection => connection.host === 'unix:///var/run/docker.sock')?.state, 'live');
	});

	test('a stopped container shows within a fraction of a second, from the event', async () => {
		const [summary] = await engine.docker!.listContainers({filters: {label: [`com.docker.compose.project=${project}`]}});
		const stopped = engine.docker!.getContainer(summary!.Id).stop({t: 0});
		const started = performance.now();
		await nextSnapshot(monitor, current => environmentNamed(current, 'live').containers[0]?.state === 'exited', 2000);
		const latency = performance.now() - started;
		await stopped;
		assert.equal(environmentNamed(monitor.getSnapshot(), 'live').health, 'down');
		assert.ok(latency < 1500, `took ${latency} ms`);
	});

	test('a new container appears, and its health check turns it healthy', async () => {
		await startContainer(engine.docker!, {image, project, service: 'api', runId});
		const snapshot = await nextSnapshot(monitor, current => environmentNamed(current, 'live').containers.some(container => container.service === 'api' && container.health === 'healthy'), 10_000);
		assert.deepEqual(environmentNamed(snapshot, 'live').containers.map(container => container.service), ['api', 'web']);
	});

	test('a removed container disappears', async () => {
		const [summary] = await engine.docker!.listContainers({all: true, filters: {label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=web']}});
		await engine.docker!.getContainer(summary!.Id).remove({force: true});
		await nextSnapshot(monitor, current => environmentNamed(current, 'live').containers.every(container => container.service !== 'web'));
	});

	test('a lock taken elsewhere shows at once, and so does its release, though git is read only hourly', async () => {
		const elsewhere = new LockStore(stateFolder, 'other-host');
		const started = performance.now();
		elsewhere.acquire({env: 'live', operator: 'someone@example.test', host: 'other-host', pid: null, action: 'lock', message: 'hands off'});
		const locked = await nextSnapshot(monitor, current => environmentNamed(current, 'live').lock?.operator === 'someone@example.test', 3000);
		assert.equal(environmentNamed(locked, 'live').lock?.message, 'hands off');
		assert.ok(performance.now() - started < 1500, `took ${Math.round(performance.now() - started)} ms`);
		elsewhere.release('live', {operator: 'someone@example.test'});
		await nextSnapshot(monitor, current => environmentNamed(current, 'live').lock === null, 3000);
	});

	test('nothing is published while nothing changes', async () => {
		let published = 0;
		const unsubscribe = monitor.subscribe(() => published++);
		await new Promise(resolve => setTimeout(resolve, 1500));
		unsubscribe();
		assert.equal(published, 0);
	});
});
