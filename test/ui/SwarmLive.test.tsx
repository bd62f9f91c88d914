import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import type Docker from 'dockerode';
import {composeServices} from '../../source/app/compose.js';
import {createDashboardActions} from '../../source/app/dashboard-actions.js';
import {LiveMonitor} from '../../source/app/live-monitor.js';
import type {Services} from '../../source/app/services.js';
import App from '../../source/ui/App.js';
import {buildWebImage, engineForTests, newRunId, testLabel} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {removeStackAfter, useTestSwarm} from '../helpers/swarm.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';
import {waitFor} from './frames.js';
import {renderScreen} from './harness.js';

const engine = await engineForTests();
const hour = 3_600_000;

/**
 * The real dashboard over the real live monitor and a real single-node swarm: with every timer an
 * hour away, only the engine's service, node and task events can move what it shows.
 */
describe('the dashboard follows a swarm stack live', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const docker = engine.docker!;
	const runId = newRunId();
	const stack = `oct-${runId}-live`;
	let serviceId: string;
	let nodeId: string;
	let services: Services;
	let monitor: LiveMonitor;
	let frame: () => string | undefined;

	const scale = async (replicas: number) => {
		const service = docker.getService(serviceId);
		const info = await service.inspect() as {Version: {Index: number}; Spec: Record<string, unknown> & {Mode: object}};
		await service.update({version: info.Version.Index, ...info.Spec, Mode: {Replicated: {Replicas: replicas}}});
	};

	const setAvailability = async (availability: 'active' | 'drain') => {
		const node = docker.getNode(nodeId);
		const info = await node.inspect() as {Version: {Index: number}; Spec: Record<string, unknown>};
		await node.update({version: info.Version.Index, ...info.Spec, Availability: availability});
	};

	before(async () => {
		await useTestSwarm(resources);
		const image = await buildWebImage(docker, runId, resources);
		removeStackAfter(docker, stack, resources);
		const labels = {'com.docker.stack.namespace': stack, [testLabel]: runId};
		const created = await docker.createService({
			Name: `${stack}_web`,
			Labels: labels,
			TaskTemplate: {ContainerSpec: {Image: image, Labels: labels}},
			Mode: {Replicated: {Replicas: 1}},
		} as Docker.CreateServiceOptions) as {id: string};
		serviceId = created.id;
		nodeId = ((await docker.listNodes()) as Array<{ID: string}>)[0]!.ID;
		// Whatever happens in the tests, the node is active again before the swarm is left.
		resources.defer(async () => setAvailability('active').catch(() => undefined));

		const root = temporaryFolder(resources);
		writeFiles(root, {'environments/dev.yaml': `name: dev\nbranch: dev\ndocker:\n  mode: swarm\n  stack: ${stack}\nservices:\n  web: { image: ${stack}-web }\n`});
		initRepository(root, ['dev']);
		services = await composeServices({project: root, color: false, operator: 'live@example.test'});
		monitor = new LiveMonitor(services, services.project.environments, {resyncMs: hour, probeMs: hour, gitMs: hour});
		monitor.start();
		const instance = renderScreen(<App live={monitor} actions={createDashboardActions(services)} project="live" operator="live@example.test" readOnly={false} onQuit={() => undefined}/>);
		frame = instance.lastFrame;
		resources.defer(() => {
			instance.unmount();
			monitor.stop();
			services.engines.close();
		});
	});

	test('a service scaling up shows its replicas and tasks as they start', async () => {
		await waitFor(frame, /web +1\/1 running/, 30_000);
		assert.match(frame()!, /healthy/);
		await scale(3);
		const scaled = await waitFor(frame, text => /web +3\/3 running/.test(text) && /web\.3 +\S+ +running +healthy/.test(text), 30_000);
		assert.match(scaled, /web\.1 +\S+ +running/);
		assert.match(scaled, /web\.2 +\S+ +running/);
		await scale(1);
		await waitFor(frame, /web +1\/1 running/, 30_000);
	});

	test('a drained node shows as drained and its service down; set active, it comes back', async () => {
		await setAvailability('drain');
		const drained = await waitFor(frame, text => /\(manager, drain, ready\)/.test(text) && /web +0\/1 running/.test(text), 30_000);
		assert.match(drained, /down/);
		await setAvailability('active');
		const back = await waitFor(frame, text => /\(manager, active, ready\)/.test(text) && /web +1\/1 running/.test(text) && /healthy/.test(text), 30_000);
		assert.doesNotMatch(back, /drain/);
	});
});
