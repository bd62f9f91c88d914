import assert from 'node:assert/strict';
import {test} from 'node:test';
import {confirmationFor, confirmingFlag, flagsConfirm, typedConfirmationMatches} from '../../source/core/confirmation.js';
import type {ContainerSnapshot} from '../../source/core/container.js';
import {initialFlowState, reduceFlow, type FlowEvent} from '../../source/core/operation-flow.js';
import {evaluatePreflight, preflightPassed, type PreflightFacts} from '../../source/core/preflight.js';
import {newReleaseId, type ReleaseRecord} from '../../source/core/release.js';
import {judgeVerification} from '../../source/core/verification.js';

const protection = (confirm: 'none' | 'yes' | 'typed') => ({name: 'production', protection: {confirm, requireCleanTree: false, approvers: [], freeze: null}});

const confirmations: Array<[level: 'none' | 'yes' | 'typed', flags: {yes?: boolean; confirm?: string}, confirmed: boolean]> = [
	['none', {}, true],
	['yes', {}, false],
	['yes', {yes: true}, true],
	['yes', {confirm: 'production'}, true],
	['typed', {yes: true}, false],
	['typed', {confirm: 'staging'}, false],
	['typed', {confirm: 'production'}, true],
	['typed', {yes: true, confirm: 'production'}, true],
];
for (const [level, flags, confirmed] of confirmations) {
	test(`confirmation ${level} with ${JSON.stringify(flags)} is ${confirmed ? 'given' : 'missing'}`, () => {
		assert.equal(flagsConfirm(confirmationFor(protection(level)), flags), confirmed);
	});
}

test('typed confirmation needs the exact name and names its flag', () => {
	const need = confirmationFor(protection('typed'));
	assert.equal(typedConfirmationMatches(need, 'production'), true);
	assert.equal(typedConfirmationMatches(need, 'Production'), false);
	assert.equal(typedConfirmationMatches(need, ''), false);
	assert.equal(confirmingFlag(need), '--confirm production');
	assert.equal(confirmingFlag(confirmationFor(protection('yes'))), '--yes');
});

const passing: PreflightFacts = {
	kind: 'promotion', target: 'staging', from: 'dev', readOnly: {global: false, environment: false}, engineErrors: [],
	fromHealth: {health: 'healthy', reasons: []}, fromRunningCommit: 'b'.repeat(40), commit: 'b'.repeat(40), targetRunningCommit: 'a'.repeat(40),
	fastForward: true, requireCleanTree: true, cleanTree: true, freeze: null, approvers: [], operator: 'ana@example.test',
};

const refusals: Array<[title: string, change: Partial<PreflightFacts>, failing: string, reason: RegExp]> = [
	['read-only', {readOnly: {global: true, environment: false}}, 'read-only', /read-only/],
	['engine unreachable', {engineErrors: ['staging: engine at unix:///x unreachable']}, 'engine', /unreachable/],
	['FROM runs no release', {fromRunningCommit: undefined, commit: undefined}, 'release-running', /runs no release/],
	['FROM unhealthy', {fromHealth: {health: 'degraded', reasons: ['web is unhealthy']}}, 'from-healthy', /dev is degraded: web is unhealthy/],
	['not a fast-forward', {fastForward: false}, 'fast-forward', /has commits that bbbbbbb does not contain/],
	['already running', {targetRunningCommit: 'b'.repeat(40)}, 'something-to-do', /already runs bbbbbbb/],
	['dirty tree', {cleanTree: false}, 'clean-tree', /uncommitted changes/],
	['freeze', {freeze: 'release freeze until Monday'}, 'freeze', /frozen: release freeze until Monday/],
	['not an approver', {approvers: ['lead@example.test']}, 'approver', /ana@example\.test is not an approver/],
	['lock held', {lockHolder: 'bob on bastion since …'}, 'lock', /locked by bob/],
];

test('preflight passes when every rule holds', () => {
	assert.ok(preflightPassed(evaluatePreflight(passing)));
});

for (const [title, change, failing, reason] of refusals) {
	test(`preflight refuses: ${title}`, () => {
		const checks = evaluatePreflight({...passing, ...change});
		const failed = checks.filter(check => !check.ok);
		assert.deepEqual(failed.map(check => check.id), [failing]);
		assert.match(failed[0]!.reason!, reason);
		assert.ok(failed[0]!.remedy, 'every refusal names a remedy');
	});
}

test('a freeze does not block a rollback', () => {
	assert.ok(preflightPassed(evaluatePreflight({...passing, kind: 'rollback', from: undefined, fromHealth: undefined, fromRunningCommit: undefined, freeze: 'incident'})));
});

function container(overrides: Partial<ContainerSnapshot>): ContainerSnapshot {
	return {id: 'c', name: 'web-1', service: 'web', image: 'web:1', state: 'running', health: 'healthy', restarts: 0, startedAt: undefined, createdAt: '2026-11-23T00:00:00Z', commit: 'new', release: 'r2', ...overrides};
}

const verdicts: Array<[title: string, containers: ContainerSnapshot[], probeOk: boolean, state: 'passed' | 'failing' | 'waiting']> = [
	['new commit healthy', [container({})], true, 'passed'],
	['old commit still running', [container({commit: 'old'})], true, 'waiting'],
	['health check starting', [container({health: 'starting'})], true, 'waiting'],
	['probe not passing yet', [container({})], false, 'waiting'],
	['unhealthy fails at once', [container({health: 'unhealthy'})], true, 'failing'],
	['exited fails at once', [container({state: 'exited'})], true, 'failing'],
	['crash loop fails at once', [container({restarts: 2})], true, 'failing'],
	['no containers', [], true, 'waiting'],
];
for (const [title, containers, probeOk, state] of verdicts) {
	test(`verification: ${title} → ${state}`, () => {
		const verdict = judgeVerification({engineError: null, containers, probes: [{name: 'web', url: 'http://x', ok: probeOk, status: probeOk ? 200 : 500, ms: 1}], expectedCommit: 'new', services: ['web']});
		assert.equal(verdict.state, state);
	});
}

test('the flow reducer walks a promotion from plan to outcome', () => {
	const record = {id: 'staging-1', outcome: 'rolled-back'} as ReleaseRecord;
	const events: FlowEvent[] = [
		{type: 'planned', plan: {kind: 'promotion', env: 'staging', from: 'dev', commit: 'c', commitSummary: null, verifiedInFrom: true, fromHealth: 'healthy', current: {commit: 'p', release: null, deployedAt: null, branchHead: 'p'}, commits: [], files: []}},
		{type: 'preflight-checked', checks: []},
		{type: 'confirmation-requested', need: {level: 'yes', env: 'staging'}},
		{type: 'run-started', steps: [{id: 'promote', label: 'promote'}, {id: 'deploy', label: 'deploy'}, {id: 'verify', label: 'verify'}], logFile: '/tmp/log'},
		{type: 'step-started', id: 'promote', at: 1000},
		{type: 'recipe-step', name: 'fast-forward', at: 1100},
		{type: 'output', line: 'moved'},
		{type: 'step-finished', id: 'promote', ok: true, at: 1500},
		{type: 'step-started', id: 'deploy', at: 1500},
		{type: 'step-finished', id: 'deploy', ok: true, at: 2500},
		{type: 'step-started', id: 'verify', at: 2500},
		{type: 'step-finished', id: 'verify', ok: false, detail: 'web is unhealthy', at: 4000},
		{type: 'step-started', id: 'rollback', label: 'roll back to p', at: 4000},
		{type: 'step-finished', id: 'rollback', ok: true, at: 5000},
		{type: 'finished', outcome: 'rolled-back', error: 'verification failed', release: record},
	];
	const phases: string[] = [];
	let state = initialFlowState('promotion', 'staging', 'dev');
	for (const event of events) {
		state = reduceFlow(state, event);
		phases.push(state.phase);
	}

	assert.deepEqual([...new Set(phases)], ['preflight', 'confirming', 'running', 'finished']);
	assert.deepEqual(state.steps.map(step => [step.id, step.status, step.ms]), [['promote', 'succeeded', 500], ['deploy', 'succeeded', 1000], ['verify', 'failed', 1500], ['rollback', 'succeeded', 1000]]);
	assert.deepEqual(state.steps[0]?.substeps.map(substep => substep.name), ['fast-forward']);
	assert.equal(state.steps[2]?.detail, 'web is unhealthy');
	assert.deepEqual(state.output, ['moved']);
	assert.equal(state.outcome, 'rolled-back');
});

test('refusal finishes the flow with nothing changed', () => {
	const state = reduceFlow(initialFlowState('deploy', 'dev', null), {type: 'refused', reason: 'dev is locked'});
	assert.equal(state.phase, 'finished');
	assert.equal(state.outcome, 'refused');
});

test('release ids are sortable and name environment and commit', () => {
	assert.equal(newReleaseId('staging', '1a2b3c4d5e6f', new Date('2026-11-23T01:02:03Z')), 'staging-20261123-010203-1a2b3c4');
});
