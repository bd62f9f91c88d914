import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatDuration, parseDuration} from '../../source/core/duration.js';
import {environmentSchema} from '../../source/core/environment-schema.js';
import {activeFreezeWindow, freezeReason, freezeWindowSchema} from '../../source/core/freeze-windows.js';
import {gateChecks} from '../../source/core/gate-checks.js';
import type {GateRecord} from '../../source/core/gate-records.js';
import {holdsIn} from '../../source/core/holds.js';
import {evaluatePreflight, preflightPassed, type PreflightFacts} from '../../source/core/preflight.js';
import type {ReleaseRecord} from '../../source/core/release.js';

const sha = (character: string) => character.repeat(40);

function release(id: string, fields: Partial<ReleaseRecord>): ReleaseRecord {
	return {
		id, env: 'staging', kind: 'promotion', from: 'dev', commit: sha('a'), previous: null, previousRelease: null, images: [], operator: 'ana', host: 'h',
		startedAt: '2026-11-23T10:00:00.000Z', finishedAt: '2026-11-23T10:01:00.000Z', steps: [], outcome: 'succeeded', error: null, rolledBackTo: null, pid: 1, logFile: null, ...fields,
	};
}

test('holds: what puts a commit on hold in an environment, and what lifts it', () => {
	const failedVerify = release('r1', {commit: sha('b'), outcome: 'failed', steps: [{id: 'verify', name: 'verify', startedAt: '2026-11-23T10:00:30.000Z', ok: false}]});
	const rolledBack = release('r2', {commit: sha('c'), outcome: 'rolled-back', finishedAt: '2026-11-23T11:00:00.000Z'});
	const manualRollback = release('r3', {kind: 'rollback', commit: sha('a'), previous: sha('d'), finishedAt: '2026-11-23T12:00:00.000Z'});
	const recipeFailedEarly = release('r4', {commit: sha('e'), outcome: 'failed', steps: [{id: 'promote', name: 'promote', startedAt: '2026-11-23T10:00:30.000Z', ok: false}]});
	const aborted = release('r5', {commit: sha('f'), outcome: 'aborted', rolledBackTo: 'r0'});
	// The operator cancelled r5 (a good commit, for all anyone knows); the rollback that undid it is automatic.
	const revertAfterCancel = release('r5b', {kind: 'rollback', commit: sha('a'), previous: sha('f'), previousRelease: 'r5', finishedAt: '2026-11-23T10:01:05.000Z'});
	const elsewhere = release('r6', {env: 'production', commit: sha('9'), outcome: 'rolled-back'});
	const automaticRevert = release('r2b', {kind: 'rollback', commit: sha('a'), previous: sha('c'), previousRelease: 'r2', finishedAt: '2026-11-23T11:00:05.000Z'});
	const releases = [failedVerify, rolledBack, automaticRevert, manualRollback, recipeFailedEarly, aborted, revertAfterCancel, elsewhere];

	const held = holdsIn('staging', releases, []);
	assert.deepEqual(held.map(hold => [hold.commit[0], hold.cause]), [
		['d', 'rolled back by release r3'],
		['c', 'release r2 failed and was rolled back'],
		['b', 'release r1 failed verification'],
	]);

	const lifted: GateRecord[] = [
		{type: 'hold-release', env: 'staging', commit: sha('c'), operator: 'bo', at: '2026-11-23T11:30:00.000Z', reason: 'fixed config'},
		{type: 'hold-release', env: 'staging', commit: sha('b'), operator: 'bo', at: '2026-11-23T09:00:00.000Z', reason: 'before it failed: does not count'},
		{type: 'hold-release', env: 'production', commit: sha('d'), operator: 'bo', at: '2026-11-23T13:00:00.000Z', reason: 'another environment'},
	];
	assert.deepEqual(holdsIn('staging', releases, lifted).map(hold => hold.commit[0]), ['d', 'b']);

	const failedAgain = release('r7', {commit: sha('c'), outcome: 'rolled-back', startedAt: '2026-11-23T12:30:00.000Z', finishedAt: '2026-11-23T12:31:00.000Z'});
	assert.ok(holdsIn('staging', [...releases, failedAgain], lifted).some(hold => hold.commit === sha('c') && hold.release === 'r7'), 'failing again after a release holds it again');

	const rolledForward = release('r8', {kind: 'rollback', commit: sha('d'), previous: sha('a'), startedAt: '2026-11-23T13:00:00.000Z', finishedAt: '2026-11-23T13:00:10.000Z'});
	const withForward = holdsIn('staging', [...releases, release('r0', {commit: sha('d'), startedAt: '2026-11-23T11:30:00.000Z'}), rolledForward], []);
	assert.ok(!withForward.some(hold => hold.commit === sha('a')), 'rollback --to a newer release holds nothing');
	assert.ok(!withForward.some(hold => hold.commit === sha('d')), 'running it again, verified, lifts its hold');
});

test('freeze windows across a time zone and midnight', () => {
	const window = freezeWindowSchema.parse({days: ['fri'], from: '22:00', to: '06:00', timezone: 'America/New_York', reason: 'late'});
	// Friday 22:30 in New York is already Saturday 03:30 in UTC.
	const fridayNight = new Date('2026-11-21T03:30:00Z');
	assert.equal(activeFreezeWindow([window], fridayNight)?.endsAt.toISOString(), '2026-11-21T11:00:00.000Z');
	assert.equal(freezeReason([window], fridayNight), 'late (until Sat 06:00 America/New_York)');
	assert.ok(activeFreezeWindow([window], new Date('2026-11-21T10:59:00Z')), 'Saturday 05:59 in New York: still the Friday window');
	assert.equal(activeFreezeWindow([window], new Date('2026-11-21T11:00:00Z')), undefined, 'Saturday 06:00: over');
	assert.equal(activeFreezeWindow([window], new Date('2026-11-22T03:30:00Z')), undefined, 'Saturday 22:30: Saturday is not listed');
	assert.equal(activeFreezeWindow([window], new Date('2026-11-21T02:59:00Z')), undefined, 'Friday 21:59 in New York');

	const weekend = freezeWindowSchema.parse({days: ['fri', 'sat', 'sun'], from: '16:00', to: '09:00', timezone: 'Europe/Amsterdam', reason: 'weekend'});
	assert.equal(freezeReason([weekend], new Date('2026-11-23T07:59:00Z')), 'weekend (until Mon 09:00 Europe/Amsterdam)');
	assert.equal(freezeReason([weekend], new Date('2026-11-23T08:00:00Z')), null);
	const daytime = freezeWindowSchema.parse({from: '09:00', to: '17:00', reason: 'office hours'});
	assert.equal(freezeReason([daytime], new Date('2026-11-23T16:59:00Z')), 'office hours (until Mon 17:00 UTC)');
	assert.equal(freezeReason('release party', new Date()), 'release party');
	assert.equal(freezeReason(null, new Date()), null);
});

test('the schema takes a freeze reason or windows, durations and approvals; and says what is wrong', () => {
	const base = {name: 'staging', branch: 'staging', docker: {project: 'p'}};
	const parsed = environmentSchema.parse({...base, protection: {soak: '30m', approvals: {required: 2}, freeze: [{days: ['sat'], from: '00:00', to: '23:59', reason: 'saturday'}]}});
	assert.equal(parsed.protection.soak, 30 * 60_000);
	assert.equal(parsed.protection.approvals?.expiresAfter, 24 * 3_600_000);
	assert.equal(parsed.retention.keep, 5);
	const bad = environmentSchema.safeParse({...base, protection: {soak: 'half an hour', freeze: [{from: '25:00', to: '09:00', timezone: 'Mars/Olympus', reason: 'x'}]}});
	assert.equal(bad.success, false);
	const messages = bad.error!.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('\n');
	assert.match(messages, /soak: must be a duration/);
});

test('durations as people write them', () => {
	assert.equal(parseDuration('30s'), 30_000);
	assert.equal(parseDuration('1h30m'), 5_400_000);
	assert.equal(parseDuration('5 minutes'), undefined);
	assert.equal(formatDuration(29 * 60_000 + 5000), '29m 5s');
	assert.equal(formatDuration(0), '0s');
	assert.equal(formatDuration(3_600_000), '1h');
});

const facts: PreflightFacts = {
	kind: 'promotion', target: 'staging', from: 'dev', readOnly: undefined, engineErrors: [], fromRunningCommit: sha('a'), commit: sha('a'), targetRunningCommit: sha('b'),
	fastForward: true, requireCleanTree: false, cleanTree: true, freeze: null, approvers: [], operator: 'ana',
};

test('each gate refuses with its reason and remedy, and allows once satisfied', () => {
	const approval = {type: 'approval' as const, env: 'staging', commit: sha('a'), operator: 'bo', at: '2026-11-23T10:00:00.000Z', note: null, expiresAt: '2026-11-24T10:00:00.000Z'};
	const cases: Array<[string, PreflightFacts['gates'], PreflightFacts['gates'], RegExp]> = [
		['hold', {hold: {env: 'staging', commit: sha('a'), release: 'r1', cause: 'release r1 failed verification', at: 'then'}}, {}, /opsconsole hold release staging aaaaaaa --reason/],
		['approvals', {approvals: {required: 1, given: [], approvers: ['ana', 'bo']}}, {approvals: {required: 1, given: [approval], approvers: ['ana', 'bo']}}, /ask one of bo: opsconsole approve staging aaaaaaa/],
		['soak', {soak: {env: 'dev', requiredMs: 1_800_000, healthyMs: 600_000}}, {soak: {env: 'dev', requiredMs: 1_800_000, healthyMs: 1_800_000}}, /wait 20m, or run it with --wait/],
		['freeze-override', {freezeOverride: {reason: 'hotfix', allowed: false, approvers: ['bo']}}, {freezeOverride: {reason: 'hotfix', allowed: true, approvers: ['ana']}}, /ask an approver/],
	];
	for (const [id, refusing, allowing, remedy] of cases) {
		const refused = evaluatePreflight({...facts, gates: refusing});
		const failed = refused.find(check => check.id === id);
		assert.equal(failed?.ok, false, id);
		assert.match(failed!.remedy!, remedy, id);
		assert.equal(preflightPassed(refused), false);
		assert.ok(preflightPassed(evaluatePreflight({...facts, gates: allowing})), id);
	}

	assert.deepEqual(gateChecks({kind: 'rollback', target: 'staging', operator: 'ana', gates: {hold: {env: 'staging', commit: sha('a'), release: 'r1', cause: 'x', at: 'y'}}}), [], 'a rollback is never held');
	const frozen = evaluatePreflight({...facts, freeze: 'weekend (until Mon 09:00 UTC)'}).find(check => check.id === 'freeze');
	assert.match(frozen!.reason!, /staging is frozen: weekend \(until Mon 09:00 UTC\)/);
	assert.match(frozen!.remedy!, /--override-freeze/);
});

test('drift: by hand, off the record, retagged; a branch nobody released; a stage ahead of its upstream', async () => {
	const {containerDrift, branchDrift, upstreamDrift} = await import('../../source/core/drift.js');
	const environment = {name: 'staging', services: {web: {image: 'shop-web'}}};
	const container = (fields: Record<string, unknown>) => ({id: 'c1', name: 'shop-staging-web', service: 'web', image: `shop-web:${sha('a').slice(0, 12)}`, state: 'running' as const, health: 'healthy' as const, restarts: 0, startedAt: 'x', createdAt: '2026-11-23T10:00:00Z', commit: sha('a'), release: 'r1', ...fields});
	const latest = release('r1', {commit: sha('a')});
	assert.deepEqual(containerDrift(environment, [container({})], latest), []);
	assert.match(containerDrift(environment, [container({}), container({id: 'c2', name: 'debug', service: 'debug', commit: undefined, release: undefined})], latest).join(), /debug runs without opsconsole's release labels/);
	assert.match(containerDrift(environment, [container({})], release('r2', {commit: sha('b')})).join(), /runs aaaaaaa, but the last recorded release \(r2, succeeded\) left bbbbbbb/);
	assert.deepEqual(containerDrift(environment, [container({})], release('r2', {commit: sha('b'), outcome: 'rolled-back', previous: sha('a')})), [], 'a rolled-back release left the previous commit');
	assert.match(containerDrift(environment, [container({image: 'shop-web:latest'})], latest).join(), /runs image shop-web:latest, not its release's shop-web:aaaaaaaaaaaa/);
	assert.match(branchDrift({branch: 'staging', firstStage: false, branchHead: sha('c'), running: sha('a'), releases: [latest]}).join(), /staging is at ccccccc, which no opsconsole release put there/);
	assert.deepEqual(branchDrift({branch: 'dev', firstStage: true, branchHead: sha('c'), running: sha('a'), releases: [latest]}), [], 'the first stage\'s branch runs ahead by design');
	assert.match(upstreamDrift({env: 'production', upstream: 'staging', running: sha('c'), upstreamRunning: sha('a'), upstreamContains: false}).join(), /production is ahead of staging/);
	assert.deepEqual(upstreamDrift({env: 'production', upstream: 'staging', running: sha('a'), upstreamRunning: sha('c'), upstreamContains: true}), []);
});
