import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ContainerSnapshot} from '../../source/core/container.js';
import {rollupHealth, type EnvironmentHealth, type ProbeResult} from '../../source/core/health.js';

function container(overrides: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
	return {
		id: 'c1', name: 'demo-web-1', service: 'web', image: 'demo-web:abc', state: 'running', health: 'healthy',
		restarts: 0, startedAt: '2026-11-23T00:00:00Z', createdAt: '2026-11-23T00:00:00Z', commit: undefined, release: undefined,
		...overrides,
	};
}

const passing: ProbeResult = {name: 'web', url: 'http://web/health', ok: true, status: 200, ms: 3};
const failing: ProbeResult = {name: 'web', url: 'http://web/health', ok: false, status: 500, ms: 3, error: 'HTTP 500, expected 200'};

const cases: Array<{title: string; engineError?: string; containers: ContainerSnapshot[]; probes?: ProbeResult[]; health: EnvironmentHealth; reason?: RegExp}> = [
	{title: 'unreachable engine is unknown, with the reason', engineError: 'engine at unix:///x unreachable: no socket', containers: [], health: 'unknown', reason: /no socket/},
	{title: 'unreachable engine wins over stale containers', engineError: 'gone', containers: [container()], health: 'unknown'},
	{title: 'no containers at all is down', containers: [], health: 'down', reason: /no containers/},
	{title: 'only exited containers is down', containers: [container({state: 'exited'})], health: 'down', reason: /web is exited/},
	{title: 'only a restarting container is down', containers: [container({state: 'restarting'})], health: 'down'},
	{title: 'one healthy running container is healthy', containers: [container()], health: 'healthy'},
	{title: 'running without a HEALTHCHECK counts as healthy', containers: [container({health: 'none'})], health: 'healthy'},
	{title: 'an unhealthy container degrades', containers: [container(), container({id: 'c2', service: 'api', health: 'unhealthy'})], health: 'degraded', reason: /api is unhealthy/},
	{title: 'the engine\'s cause follows the reason', containers: [container(), container({id: 'c2', service: 'api', health: 'unhealthy', cause: 'health check exit 1: HTTP 503'})], health: 'degraded', reason: /^api is unhealthy: health check exit 1: HTTP 503$/},
	{title: 'an exit code follows an exited container', containers: [container({state: 'exited', cause: 'exit code 137, out of memory'})], health: 'down', reason: /^web is exited: exit code 137, out of memory$/},
	{title: 'a still-starting health check degrades', containers: [container({health: 'starting'})], health: 'degraded', reason: /still starting/},
	{title: 'one exited beside a running one degrades', containers: [container(), container({id: 'c2', service: 'worker', state: 'exited'})], health: 'degraded', reason: /worker is exited/},
	{title: 'a paused container degrades', containers: [container(), container({id: 'c2', state: 'paused'})], health: 'degraded'},
	{title: 'a failing probe degrades otherwise healthy containers', containers: [container()], probes: [failing], health: 'degraded', reason: /probe web failed: HTTP 500/},
	{title: 'passing probes keep it healthy', containers: [container()], probes: [passing], health: 'healthy'},
	{title: 'a probe without answer says so', containers: [container()], probes: [{name: 'api', url: 'http://api/health', ok: false, status: null, ms: 2000}], health: 'degraded', reason: /no response/},
	{
		title: 'stopped containers of an earlier release are retained, not counted',
		containers: [
			container({release: 'r2', createdAt: '2026-11-23T02:00:00Z'}),
			container({id: 'old', release: 'r1', state: 'exited', createdAt: '2026-11-23T01:00:00Z'}),
		],
		health: 'healthy',
	},
	{
		title: 'the current release stopped while the old one is retained is down',
		containers: [
			container({release: 'r2', state: 'exited', createdAt: '2026-11-23T02:00:00Z'}),
			container({id: 'old', release: 'r1', state: 'exited', createdAt: '2026-11-23T01:00:00Z'}),
		],
		health: 'down',
	},
];

for (const testCase of cases) {
	test(`health rollup: ${testCase.title}`, () => {
		const rollup = rollupHealth({engineError: testCase.engineError, containers: testCase.containers, probes: testCase.probes ?? []});
		assert.equal(rollup.health, testCase.health);
		if (testCase.health === 'healthy') assert.deepEqual(rollup.reasons, []);
		if (testCase.reason) assert.ok(rollup.reasons.some(reason => testCase.reason!.test(reason)), `reasons ${JSON.stringify(rollup.reasons)} should match ${testCase.reason}`);
	});
}

test('what an event alone says of a known container', async () => {
	const {stateAfterEvent} = await import('../../source/core/container.js');
	const running = {id: 'c1', name: 'web', service: 'web', image: 'web:1', state: 'running', health: 'healthy', restarts: 0, startedAt: '2026-11-23T10:00:00Z', createdAt: '2026-11-23T10:00:00Z', commit: undefined, release: undefined} as const;
	assert.equal(stateAfterEvent(running, 'die')?.state, 'exited');
	assert.equal(stateAfterEvent(running, 'oom')?.state, 'exited');
	assert.equal(stateAfterEvent(running, 'pause')?.state, 'paused');
	assert.equal(stateAfterEvent(running, 'health_status: unhealthy')?.health, 'unhealthy');
	assert.equal(stateAfterEvent(running, 'start'), undefined, 'a start alone does not say whether it is healthy');
	assert.equal(stateAfterEvent(running, 'exec_start: wget'), undefined);
	assert.equal(stateAfterEvent({...running, state: 'exited'}, 'die'), undefined, 'nothing new');
	assert.equal(stateAfterEvent({...running, state: 'exited'}, 'health_status: healthy'), undefined, 'a stopped container has no health to change');
});
