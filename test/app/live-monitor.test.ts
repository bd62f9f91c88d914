import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LiveMonitor} from '../../source/app/live-monitor.js';
import {shopWorld} from '../helpers/fakes.js';

const settle = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

test('re-syncs, probes and git refreshes that find nothing new publish nothing; a real change publishes once', async () => {
	const world = shopWorld();
	let probes = 0;
	const services = {...world.services, probes: {run: async (probe: {name: string; url: string}) => {
		probes++;
		// Timings differ on every probe: they must not count as a change.
		return {name: probe.name, url: probe.url, ok: true, status: 200, ms: probes % 7};
	}}};
	const environments = world.services.project.environments.map(environment => ({...environment, probes: [{name: 'web', url: 'http://web/health', expectStatus: 200, timeoutMs: 1000}]}));
	const monitor = new LiveMonitor(services, environments, {resyncMs: 15, probeMs: 10, gitMs: 20});
	monitor.start();
	try {
		await monitor.ready;
		await settle(100);
		let published = 0;
		monitor.subscribe(() => published++);
		const before = monitor.getSnapshot();
		const probesBefore = probes;
		await settle(300);
		assert.ok(probes - probesBefore >= 10, `the probes kept running (${probes - probesBefore} runs)`);
		assert.equal(published, 0, 'nothing shown changed, so nothing was published');
		assert.equal(monitor.getSnapshot(), before, 'the very same snapshot object: no redraw');

		const staging = [...world.engine.containers.values()].find(container => container.project === 'shop-staging')!;
		world.engine.containers.set(staging.id, {...staging, health: 'unhealthy'});
		await settle(100);
		assert.equal(published, 1, 'the re-sync found the change and published it once');
		assert.equal(monitor.getSnapshot().environments.find(environment => environment.name === 'staging')?.health, 'degraded');
	} finally {
		monitor.stop();
	}
});
