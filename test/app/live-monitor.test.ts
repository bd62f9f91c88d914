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

test('an event says what it can at once (a death, a health change), before the inspect that completes it answers', async () => {
	const world = shopWorld();
	const monitor = new LiveMonitor(world.services, world.services.project.environments, {resyncMs: 3_600_000, probeMs: 3_600_000, gitMs: 3_600_000});
	monitor.start();
	try {
		await monitor.ready;
		const staging = [...world.engine.containers.values()].find(container => container.project === 'shop-staging')!;
		let answerInspect: () => void = () => undefined;
		const inspectAnswered = new Promise<void>(resolve => {
			answerInspect = resolve;
		});
		const inspect = world.engine.containerSnapshot.bind(world.engine);
		world.engine.containerSnapshot = async id => {
			// A slow engine: the inspect answers only when the test says so, with what is true by then.
			await inspectAnswered;
			return inspect(id);
		};

		world.engine.change(staging.id, {state: 'exited'});
		await settle(20);
		const shown = monitor.getSnapshot().environments.find(environment => environment.name === 'staging')!;
		assert.equal(shown.containers.find(container => container.id === staging.id)?.state, 'exited', 'the die event alone changed the row');
		assert.equal(shown.health, 'down');

		world.engine.change(staging.id, {state: 'running', health: 'unhealthy'});
		await settle(20);
		answerInspect();
		await settle(20);
		const completed = monitor.getSnapshot().environments.find(environment => environment.name === 'staging')!;
		assert.deepEqual(completed.containers.find(container => container.id === staging.id), await inspect(staging.id), 'the inspect, once it answers, has the last word');
	} finally {
		monitor.stop();
	}
});

test('git refreshes asked for while one is under way share one more read after it, never one each', async () => {
	const world = shopWorld();
	let release: () => void = () => undefined;
	let gate: Promise<void> = Promise.resolve();
	const git = new Proxy(world.services.git, {
		get(target, property, receiver) {
			const value: unknown = Reflect.get(target, property, receiver);
			if (typeof value !== 'function') return value;
			return async (...args: unknown[]) => {
				await gate;
				return (value as (...parameters: unknown[]) => unknown).apply(target, args);
			};
		},
	});
	// Each read of git ends in a read of every environment's lock.
	let lockReads = 0;
	const locks = new Proxy(world.services.state.locks, {
		get(target, property, receiver) {
			if (property === 'read') {
				return (env: string) => {
					lockReads++;
					return target.read(env);
				};
			}

			const value: unknown = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
	const counted = {...world.services.state, locks};
	const hour = 3_600_000;
	const monitor = new LiveMonitor({...world.services, git, state: counted}, world.services.project.environments, {resyncMs: hour, probeMs: hour, gitMs: hour});
	monitor.start();
	try {
		await monitor.ready;
		// Ready as each environment's first read lands: the read as a whole ends a moment later.
		await monitor.refreshGit();
		gate = new Promise(resolve => {
			release = resolve;
		});
		const before = lockReads;
		const asked = [monitor.refreshGit(), monitor.refreshGit(), monitor.refreshGit()];
		release();
		await Promise.all(asked);
		assert.equal(lockReads - before, 2 * world.services.project.environments.length, 'the read under way, and one more');
	} finally {
		monitor.stop();
	}
});
