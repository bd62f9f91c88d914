import assert from 'node:assert/strict';
import {test} from 'node:test';
import {confirmationFor, confirmingFlag, flagsConfirm, typedConfirmationMatches} from '../../source/core/confirmation.js';
import type {ContainerSnapshot} from '../../source/core/container.js';
import {evaluatePreflight, preflightPassed, type PreflightFacts} from '../../source/core/preflight.js';
import {branchMoveFor} from '../../source/core/operation-plan.js';
import {newReleaseId} from '../../source/core/release.js';
import {judgeVerification} from '../../source/core/verification.js';

const protection = (confirm: 'none' | 'yes' | 'typed') => ({name: 'production', protection: {confirm, requireCleanTree: false, approvers: [], freeze: null, requireChecks: false, checksMaxAge: '24h'}});

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
	assert.equal(typedConfirmationMatches(need, 'production\r'), false);
	assert.equal(typedConfirmationMatches(need, ' production'), false);
	assert.equal(confirmingFlag(need), '--confirm production');
	assert.equal(confirmingFlag(confirmationFor(protection('yes'))), '--yes');
});

const passing: PreflightFacts = {
	kind: 'promotion', target: 'staging', from: 'dev', readOnly: undefined, engineErrors: [],
	fromHealth: {health: 'healthy', reasons: []}, fromRunningCommit: 'b'.repeat(40), commit: 'b'.repeat(40), targetRunningCommit: 'a'.repeat(40),
	fastForward: true, requireCleanTree: true, cleanTree: true, freeze: null, approvers: [], operator: 'ana@example.test',
};

const refusals: Array<[title: string, change: Partial<PreflightFacts>, failing: string, reason: RegExp]> = [
	['read-only', {readOnly: 'opsconsole runs read-only (--read-only)'}, 'read-only', /read-only/],
	['engine unreachable', {engineErrors: ['staging: engine at unix:///x unreachable']}, 'engine', /unreachable/],
	['FROM runs no release', {fromRunningCommit: undefined, commit: undefined}, 'release-running', /runs no release/],
	['FROM unhealthy', {fromHealth: {health: 'degraded', reasons: ['web is unhealthy']}}, 'from-healthy', /dev is degraded: web is unhealthy/],
	['not a fast-forward', {fastForward: false}, 'fast-forward', /has commits that bbbbbbb does not contain/],
	['already running', {targetRunningCommit: 'b'.repeat(40)}, 'something-to-do', /already runs bbbbbbb/],
	['dirty tree', {cleanTree: false}, 'clean-tree', /tracked files have uncommitted changes/],
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

test('the same commit promoted into a target that is down brings it back: not "nothing to do"', () => {
	assert.ok(preflightPassed(evaluatePreflight({...passing, targetRunningCommit: 'b'.repeat(40), targetDown: true})));
});

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

test('release ids are sortable and name environment and commit', () => {
	assert.equal(newReleaseId('staging', '1a2b3c4d5e6f', new Date('2026-11-23T01:02:03Z')), 'staging-20261123-010203-1a2b3c4');
});

const moves: Array<[title: string, facts: Partial<Parameters<typeof branchMoveFor>[0]>, to: string | null, note: RegExp]> = [
	['a promotion fast-forwards', {kind: 'promotion'}, 'b'.repeat(40), /staging fast-forwards to bbbbbbb/],
	['a deploy leaves the branch', {kind: 'deploy'}, null, /staging stays at aaaaaaa/],
	['the first stage\'s rollback moves containers only', {firstStage: true, env: 'dev', branch: 'dev'}, null, /dev stays at aaaaaaa: it is where developers work, so only the containers go back \(dev then runs 2 commits behind its branch\)/],
	['a rollback that would strand commits leaves the branch', {headKeptElsewhere: false, commitsLeft: 1}, null, /1 commit on it is on no other branch or release tag, and moving it back would lose it/],
	['a rollback whose commits live on elsewhere moves the branch back', {}, 'b'.repeat(40), /staging moves back to bbbbbbb; the 2 commits it leaves stay on another branch or release tag/],
];
for (const [title, facts, to, note] of moves) {
	test(`branch: ${title}`, () => {
		const move = branchMoveFor({kind: 'rollback', env: 'staging', branch: 'staging', firstStage: false, commit: 'b'.repeat(40), branchHead: 'a'.repeat(40), headKeptElsewhere: true, commitsLeft: 2, ...facts});
		assert.equal(move.to, to);
		assert.match(move.note, note);
	});
}

test('verification names the engine\'s own cause: the failing health check\'s output, the exit code', () => {
	const judge = (overrides: Partial<ContainerSnapshot>) => judgeVerification({engineError: null, containers: [container(overrides)], probes: [], expectedCommit: 'new', services: ['web']}).reasons;
	assert.deepEqual(judge({health: 'unhealthy', cause: 'health check exit 1: wget: server returned error: HTTP/1.1 404 Not Found'}), ['web is unhealthy: health check exit 1: wget: server returned error: HTTP/1.1 404 Not Found']);
	assert.deepEqual(judge({state: 'exited', cause: 'exit code 137, out of memory'}), ['web exited: exit code 137, out of memory']);
	assert.deepEqual(judge({health: 'unhealthy'}), ['web is unhealthy'], 'a list-only snapshot has no cause and says no more than it knows');
});
