import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {approveCommit, releaseHold} from '../../source/app/gate-actions.js';
import {collectStatus} from '../../source/app/collect-status.js';
import {createPromotionSource} from '../../source/app/promotion-source.js';
import {environmentNotes} from '../../source/ui/dashboard-model.js';
import {createRollbackSource} from '../../source/app/rollback-targets.js';
import type {FlowState} from '../../source/core/operation-flow.js';
import type {ReleaseRecord} from '../../source/core/release.js';
import PromotionWizard from '../../source/ui/promotion/PromotionWizard.js';
import RollbackPicker from '../../source/ui/rollback/RollbackPicker.js';
import {pipeline, shopWorld, type FakeWorld} from '../helpers/fakes.js';
import {keys, waitFor} from './frames.js';
import {renderScreen} from './harness.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function renderWizard(world: FakeWorld, from: string, to: string) {
	unmount?.();
	const done: Array<FlowState | undefined> = [];
	const instance = renderScreen(<PromotionWizard source={createPromotionSource(world.services)} initialFrom={from} initialTo={to} width={100} height={30} onDone={state => done.push(state)}/>);
	unmount = instance.unmount;
	return {...instance, done};
}

/** A release on record, as the executor would have saved it. */
function recordRelease(world: FakeWorld, fields: Partial<ReleaseRecord> & Pick<ReleaseRecord, 'id' | 'env' | 'commit' | 'outcome'>): void {
	const at = new Date(Date.now() - 60_000).toISOString();
	world.releases.save({kind: 'promotion', from: 'dev', previous: null, previousRelease: null, images: [], operator: 'bo@example.test', host: 'bastion', startedAt: at, finishedAt: at, steps: [], error: null, rolledBackTo: null, pid: 1, logFile: null, ...fields});
}

test('a commit rolled back in staging is held there: the wizard warns, preflight refuses with the command; released, it goes', async () => {
	const world = shopWorld();
	recordRelease(world, {id: 'staging-r2', env: 'staging', commit: world.commits.checkout, outcome: 'rolled-back', error: 'verification failed: web is unhealthy'});
	let screen = renderWizard(world, 'dev', 'staging');
	let frame = await waitFor(screen.lastFrame, /Enter continue to preflight/);
	assert.match(frame, /bbbbbbb is held in staging: release staging-r2 failed and was rolled back/);
	screen.stdin.write(keys.enter);
	frame = await waitFor(screen.lastFrame, /refused, nothing changed/);
	assert.match(frame, /✖ bbbbbbb not held in staging: bbbbbbb is held in staging/);
	assert.match(frame.replace(/\s+/g, ' '), /opsconsole hold release staging bbbbbbb --reason "…"/);
	assert.deepEqual(world.recipes.runs, []);
	const [staging] = await collectStatus(world.services, world.services.project.environments, [world.services.project.environments[1]!]);
	assert.ok(environmentNotes(staging!).some(note => /^held: bbbbbbb is held in staging/.test(note.text)), 'the dashboard detail says so');

	await releaseHold(world.services, 'staging', world.commits.checkout.slice(0, 7), 'the probe was misconfigured');
	assert.ok(world.audit.records.some(entry => entry.action === 'hold release' && entry.outcome === 'succeeded' && /misconfigured/.test(entry.detail ?? '')));
	screen = renderWizard(world, 'dev', 'staging');
	frame = await waitFor(screen.lastFrame, /Enter continue to preflight/);
	assert.doesNotMatch(frame, /is held in/);
	screen.stdin.write(keys.enter);
	await waitFor(screen.lastFrame, /Go ahead\? \[y\/N\]/);
	screen.stdin.write('y');
	await waitFor(screen.lastFrame, /succeeded: release staging-/);
});

test('the wizard warns when the commit failed further down the pipeline', async () => {
	const world = shopWorld();
	recordRelease(world, {id: 'production-r2', env: 'production', commit: world.commits.checkout, outcome: 'failed', steps: [{id: 'verify', name: 'verify production', startedAt: new Date().toISOString(), ok: false}]});
	const screen = renderWizard(world, 'dev', 'staging');
	const frame = await waitFor(screen.lastFrame, /Enter continue to preflight/);
	assert.match(frame, /bbbbbbb is held in production: release production-r2 failed verification/);
});

test('approvals: the promoter\'s own does not count; another operator\'s does', async () => {
	const environments = pipeline({staging: {protection: {confirm: 'yes', approvals: {required: 1}}}});
	const world = shopWorld({environments, operator: 'ana@example.test'});
	await approveCommit(world.services, 'staging', world.commits.checkout, 'my own');
	let screen = renderWizard(world, 'dev', 'staging');
	await waitFor(screen.lastFrame, /Enter continue to preflight/);
	screen.stdin.write(keys.enter);
	let frame = await waitFor(screen.lastFrame, /refused, nothing changed/);
	assert.match(frame, /✖ 1 approval of bbbbbbb: 0 of 1 given; ana@example\.test's own approval does not count/);

	const reviewer = {...world.services, identity: {...world.services.identity, operator: 'bo@example.test'}};
	const approval = await approveCommit(reviewer, 'staging', world.commits.checkout, 'looked at the diff');
	assert.equal(approval.operator, 'bo@example.test');
	screen = renderWizard(world, 'dev', 'staging');
	await waitFor(screen.lastFrame, /Enter continue to preflight/);
	screen.stdin.write(keys.enter);
	frame = await waitFor(screen.lastFrame, /Go ahead\? \[y\/N\]/);
	assert.match(frame, /✔ 1 approval of bbbbbbb/);
});

test('the rollback picker marks a held release and never starts on it', async () => {
	const world = shopWorld();
	const {engine, git, commits} = world;
	recordRelease(world, {id: 'staging-r2', env: 'staging', commit: commits.fix, outcome: 'succeeded', startedAt: new Date(Date.now() - 7_200_000).toISOString(), finishedAt: new Date(Date.now() - 7_200_000).toISOString()});
	recordRelease(world, {id: 'staging-r3', env: 'staging', commit: commits.checkout, outcome: 'succeeded', startedAt: new Date(Date.now() - 3_600_000).toISOString(), finishedAt: new Date(Date.now() - 3_600_000).toISOString()});
	recordRelease(world, {id: 'staging-r4', env: 'staging', kind: 'rollback', commit: commits.fix, previous: commits.checkout, outcome: 'succeeded'});
	engine.run('shop-staging', 'web', commits.fix, 'staging-r4');
	git.branches.set('staging', commits.checkout);
	const done: Array<FlowState | undefined> = [];
	const instance = renderScreen(<RollbackPicker env="staging" source={createRollbackSource(world.services, 'staging')} width={100} height={30} onDone={state => done.push(state)}/>);
	unmount = instance.unmount;
	const frame = await waitFor(instance.lastFrame, /undoes/);
	const lines = frame.split('\n');
	assert.match(lines.find(line => line.includes('Checkout v2'))!, /^ {2}bbbbbbb.*HELD Checkout v2/);
	assert.match(lines.find(line => line.includes('Fix cart totals'))!, /\(running\)/);
	assert.match(lines.find(line => line.includes('First'))!, /❯ aaaaaaa/);
});

test('--lock-wait in the wizard: a held lock is waited for with a countdown, then the promotion runs; without it, the refusal and its remedy fit 80×24', async () => {
	const world = shopWorld();
	world.locks.acquire({env: 'staging', operator: 'bo@example.test', host: 'bastion', pid: null, action: 'manual lock', message: 'db migration'});
	const refused = renderScreen(<PromotionWizard source={createPromotionSource(world.services)} initialFrom="dev" initialTo="staging" width={80} height={23} onDone={() => undefined}/>);
	unmount = refused.unmount;
	await waitFor(refused.lastFrame, /Enter continue to preflight/);
	refused.stdin.write(keys.enter);
	let frame = await waitFor(refused.lastFrame, /refused, nothing changed/);
	assert.ok(frame.split('\n').length <= 24, frame);
	assert.ok(frame.split('\n').every(line => line.length <= 80));
	assert.match(frame.replace(/\s+/g, ' '), /→ wait for it to finish \(--lock-wait 5m waits here\), or ask its holder/);
	refused.unmount();

	const waiting = renderScreen(<PromotionWizard source={createPromotionSource(world.services, {lockWaitMs: 20_000})} initialFrom="dev" initialTo="staging" width={80} height={23} onDone={() => undefined}/>);
	unmount = waiting.unmount;
	await waitFor(waiting.lastFrame, /Enter continue to preflight/);
	waiting.stdin.write(keys.enter);
	frame = await waitFor(waiting.lastFrame, /Go ahead\? \[y\/N\]/);
	assert.match(frame, /✔ lock held: waiting up to 20s for it/);
	waiting.stdin.write('y');
	frame = await waitFor(waiting.lastFrame, /waiting for the lock, 1\ds left/);
	assert.match(frame.replace(/\s+/g, ' '), /staging is locked by bo@example\.test on bastion .*db migration/);
	assert.deepEqual(world.recipes.runs, []);
	world.locks.release('staging');
	await waitFor(waiting.lastFrame, /succeeded: release staging-/);
});

test('wizard clarity: when FROM\'s branch is ahead of what FROM runs, the plan says to deploy FROM first, with the command', async () => {
	const world = shopWorld();
	const newer = world.git.commitOn(world.commits.checkout, 'Not deployed yet');
	world.git.branches.set('dev', newer);
	const screen = renderWizard(world, 'dev', 'staging');
	const frame = await waitFor(screen.lastFrame, /Enter continue to preflight/);
	assert.match(frame.replace(/\s+/g, ' '), /dev is 1 commit ahead of what dev runs; this promotes only what runs — deploy dev first: opsconsole deploy dev/);
	assert.match(frame, /dev runs bbbbbbb Checkout v2/);
});
