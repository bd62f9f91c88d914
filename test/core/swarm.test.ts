import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judgeSwarmVerification, rollupSwarmHealth, type ServiceSnapshot, type TaskSnapshot} from '../../source/core/swarm.js';

const commit = 'a'.repeat(40);
const earlier = 'b'.repeat(40);

function task(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
	return {id: 't1', slot: 1, node: 'vm', state: 'running', desiredState: 'running', health: 'healthy', error: undefined, image: 'web:1', createdAt: '2026-01-01T00:00:02Z', commit, ...overrides};
}

function service(overrides: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
	return {id: 's1', name: 'st_web', service: 'web', image: 'web:1', mode: 'replicated', desired: 1, running: 1, updateState: 'completed', updateMessage: undefined, commit, release: 'dev-1', updatedAt: '2026-01-01T00:00:01Z', tasks: [task()], ...overrides};
}

const ok = {ok: true, name: 'web', status: 200};

test('services roll up: below desired is degraded, none running is down, unreadable is unknown', () => {
	const cases: Array<[string, Parameters<typeof rollupSwarmHealth>[0], string, RegExp | undefined]> = [
		['all running', {stackError: undefined, services: [service()], probes: [ok]}, 'healthy', undefined],
		['below desired', {stackError: undefined, services: [service({desired: 3, running: 2})], probes: []}, 'degraded', /web: 2\/3 running/],
		['one of two services down', {stackError: undefined, services: [service(), service({service: 'api', running: 0, tasks: [task({state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (1)'})]})], probes: []}, 'degraded', /api: none of 1 running \(task: non-zero exit \(1\)\)/],
		['none running', {stackError: undefined, services: [service({running: 0, tasks: []})], probes: []}, 'down', /web: none of 1 running/],
		['no services', {stackError: undefined, services: [], probes: []}, 'down', /no services/],
		['a paused update', {stackError: undefined, services: [service({updateState: 'paused', updateMessage: 'update paused due to failure'})], probes: []}, 'degraded', /web: update paused \(update paused due to failure\)/],
		['a failing probe', {stackError: undefined, services: [service()], probes: [{ok: false, name: 'web', status: 503}]}, 'degraded', /probe web failed: HTTP 503/],
		['the stack cannot be read', {stackError: 'the engine is not a swarm manager', services: [], probes: []}, 'unknown', /not a swarm manager/],
	];
	for (const [title, input, health, reason] of cases) {
		const rollup = rollupSwarmHealth(input);
		assert.equal(rollup.health, health, title);
		if (reason) assert.match(rollup.reasons.join('; '), reason, title);
		else assert.deepEqual(rollup.reasons, [], title);
	}
});

test('verification of a swarm deploy: passed, waiting, or failing at once', () => {
	const cases: Array<[string, readonly ServiceSnapshot[], string, RegExp | undefined]> = [
		['every service on the commit, settled', [service(), service({service: 'api'})], 'passed', undefined],
		['a service still on the earlier commit', [service({commit: earlier, tasks: [task({commit: earlier})]})], 'waiting', /web runs bbbbbbb, not aaaaaaa/],
		['swarm rolled the update back', [service({commit: earlier, updateState: 'rollback_completed', updateMessage: 'rollback completed'})], 'failing', /web: swarm rolled its update back/],
		['back on the expected commit after swarm\'s rollback', [service({updateState: 'rollback_completed'})], 'passed', undefined],
		['updating', [service({updateState: 'updating'})], 'waiting', /web is updating/],
		['a new task failed and replicas are short', [service({running: 0, tasks: [task({state: 'failed', desiredState: 'shutdown', error: 'unhealthy container'})]})], 'failing', /web: a task failed \(unhealthy container\)/],
		['health check starting', [service({tasks: [task({health: 'starting', state: 'starting'})], running: 0})], 'waiting', /0\/1 running/],
		['a declared service missing', [service()], 'waiting', /service api does not exist yet/],
	];
	for (const [title, services, state, reason] of cases) {
		const declared = title === 'a declared service missing' ? ['web', 'api'] : services.map(each => each.service);
		const verdict = judgeSwarmVerification({stackError: undefined, services, probes: [], expectedCommit: commit, declared});
		assert.equal(verdict.state, state, `${title}: ${verdict.reasons.join('; ')}`);
		if (reason) assert.match(verdict.reasons.join('; '), reason, title);
	}
});
