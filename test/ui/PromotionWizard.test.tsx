import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {createPromotionSource} from '../../source/app/promotion-source.js';
import type {FlowState} from '../../source/core/operation-flow.js';
import PromotionWizard from '../../source/ui/promotion/PromotionWizard.js';
import {pipeline, shopWorld, type FakeWorld} from '../helpers/fakes.js';
import {keys, typeSlowly, waitFor} from './frames.js';
import {renderScreen} from './harness.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function renderWizard(world: FakeWorld = shopWorld(), initial: {from?: string; to?: string} = {}) {
	const done: Array<FlowState | undefined> = [];
	const instance = renderScreen(<PromotionWizard source={createPromotionSource(world.services)} initialFrom={initial.from} initialTo={initial.to} width={100} height={30} onDone={state => done.push(state)}/>);
	unmount = instance.unmount;
	return {...instance, world, done};
}

test('choose FROM (with reasons for the ones that cannot), then TO from the pipeline', async () => {
	const {lastFrame, stdin} = renderWizard();
	let frame = await waitFor(lastFrame, /from which environment\?/);
	assert.match(frame, /❯ dev → staging/);
	assert.match(frame, /production: last stage: promotes nowhere/);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /promote dev · to which environment\?/);
	assert.match(frame, /❯ staging/);
	assert.match(frame, /production: not dev's next stage/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /staging gains 2 commits/);
});

test('the plan screen: commit, verification, what TO gains, its current release; d toggles the diff stat; Esc goes back to choosing', async () => {
	const {lastFrame, stdin, world} = renderWizard();
	await waitFor(lastFrame, /from which environment\?/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /to which environment\?/);
	stdin.write(keys.enter);
	let frame = await waitFor(lastFrame, /staging gains 2 commits, 1 file changed \(\+12 −3\)/);
	assert.match(frame, /dev runs bbbbbbb Checkout v2 — Ana, 1h ago/);
	assert.match(frame, /verified in dev · dev is ● healthy/);
	assert.match(frame, /staging runs aaaaaaa \(release staging-r1, deployed 24h ago\)/);
	assert.match(frame, /ccccccc Fix cart totals \(Bo\)/);
	assert.doesNotMatch(frame, /app\/cart\.js/);
	stdin.write('d');
	frame = await waitFor(lastFrame, /app\/cart\.js \+12 −3/);
	stdin.write(keys.escape);
	frame = await waitFor(lastFrame, /from which environment\?/);
	assert.doesNotMatch(frame, /staging gains/);
	assert.deepEqual(world.recipes.runs, [], 'nothing ran');
	assert.ok(world.audit.records.some(entry => entry.outcome === 'refused' && entry.detail === 'abandoned after reviewing the plan'));
});

test('a failing preflight stops with the reason and the remedy; nothing runs', async () => {
	const world = shopWorld();
	const dev = [...world.engine.containers.values()].find(container => container.project === 'shop-dev')!;
	world.engine.change(dev.id, {health: 'unhealthy'});
	const {lastFrame, stdin, done} = renderWizard(world, {from: 'dev', to: 'staging'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	const frame = await waitFor(lastFrame, /refused, nothing changed: dev is degraded/);
	assert.match(frame, /✔ engine reachable/);
	assert.match(frame, /✖ dev healthy: dev is degraded: web is unhealthy/);
	assert.match(frame, /→ fix dev first; only a healthy release is promoted/);
	assert.doesNotMatch(frame, /promote recipe/);
	stdin.write('x');
	await waitFor(() => String(done[0]?.outcome), /refused/);
	assert.deepEqual(world.recipes.runs, []);
});

test('typed confirmation: a wrong name is refused, the right one runs; the outcome shows release, time and log', async () => {
	const world = shopWorld();
	world.engine.run('shop-staging', 'web', world.commits.checkout, 'staging-r2');
	world.recipes.hold('deploy');
	const {lastFrame, stdin, done} = renderWizard(world, {from: 'staging', to: 'production'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	let frame = await waitFor(lastFrame, /Type the environment's name \(production\) to confirm/);
	assert.match(frame, /Promote bbbbbbb from staging to production: move production's branch, deploy, verify \(2 commits\)/);
	await typeSlowly(stdin, 'prod');
	stdin.write(keys.enter);
	await waitFor(lastFrame, /"prod" is not "production"/);
	await typeSlowly(stdin, 'production');
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /reusing shop-web:bbbbbbb22222/);
	assert.match(frame, /✔ promote recipe \(promote\.mjs\)/);
	assert.match(frame, /• image web/);
	world.recipes.release('deploy');
	frame = await waitFor(lastFrame, /succeeded: release production-/);
	assert.match(frame, /✔ verify production \d+\.\d s — healthy in \d+\.\d s/);
	assert.match(frame, /took \d+\.\d s · log \/state\/logs\/production-.*\.log/);
	assert.equal(world.git.branches.get('main'), world.commits.checkout);
	stdin.write('x');
	await waitFor(() => String(done[0]?.outcome), /succeeded/);
});

test('q while running asks, then cancels cleanly: aborted, rolled back, the lock freed', async () => {
	const world = shopWorld();
	world.recipes.hold('deploy');
	const {lastFrame, stdin} = renderWizard(world, {from: 'dev', to: 'staging'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /q cancels/);
	stdin.write('q');
	await waitFor(lastFrame, /Cancel the promotion\?/);
	stdin.write('y');
	const frame = await waitFor(lastFrame, /aborted: release staging-/);
	assert.match(frame, /rolled back to aaaaaaa/);
	assert.equal(world.locks.held.size, 0);
	assert.equal(world.git.branches.get('staging'), world.commits.first, 'the branch is back too');
});

test('a pasted wrong name with its Enter is refused and cleared; the next paste starts afresh', async () => {
	const world = shopWorld();
	world.engine.run('shop-staging', 'web', world.commits.checkout, 'staging-r2');
	const {lastFrame, stdin} = renderWizard(world, {from: 'staging', to: 'production'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /Type the environment's name \(production\) to confirm/);
	stdin.write('productio\r');
	await waitFor(lastFrame, /"productio" is not "production"/);
	stdin.write('prodx\u007F\u007F');
	await waitFor(lastFrame, /> pro(?!\w)/);
	stdin.write('duction\r');
	await waitFor(lastFrame, /promote recipe/);
});

/** Into staging, confirmed, up to the first failure. */
async function failedPromotion(world: FakeWorld) {
	const wizard = renderWizard(world, {from: 'dev', to: 'staging'});
	await waitFor(wizard.lastFrame, /Enter continue to preflight/);
	wizard.stdin.write(keys.enter);
	await waitFor(wizard.lastFrame, /Go ahead\? \[y\/N\]/);
	wizard.stdin.write('y');
	return wizard;
}

test('guided failure: a failed deploy waits for a choice; r retries the step and the promotion succeeds', async () => {
	const world = shopWorld();
	world.recipes.fail('deploy', 'docker: no space left on device');
	const {lastFrame, stdin, done} = await failedPromotion(world);
	let frame = await waitFor(lastFrame, /What now\?/);
	assert.match(frame, /deploy recipe \(deploy\.mjs\) failed: deploy\.mjs exited with code 1/);
	assert.match(frame, /r retry the step · b roll back \(aaaaaaa\) · a leave it as it is/);
	assert.doesNotMatch(frame, /i ignore/, 'only a failed verification may be ignored');
	assert.match(frame, /Nobody choosing: rolls back in 1m 59s|Nobody choosing: rolls back in 2m/);
	stdin.write('r');
	frame = await waitFor(lastFrame, /succeeded: release staging-/);
	assert.match(frame, /✔ deploy recipe \(deploy\.mjs\) \(retry 1\)/);
	assert.deepEqual(world.recipes.runs.map(run => run.action), ['promote', 'deploy', 'deploy']);
	assert.ok(world.audit.records.some(entry => entry.outcome === 'failure: retry' && /chosen by ana@example\.test/.test(entry.detail ?? '')));
	stdin.write('x');
	await waitFor(() => String(done[0]?.outcome), /succeeded/);
});

test('guided failure: b rolls back, a leaves it as it is with the command that goes back', async () => {
	const rolled = shopWorld();
	rolled.engine.breakNext({health: 'unhealthy', cause: 'health check exit 1: wget: server returned error: HTTP/1.1 503'});
	const first = await failedPromotion(rolled);
	let frame = await waitFor(first.lastFrame, /What now\?/);
	assert.match(frame, /verify staging failed: web is unhealthy: health check exit 1: wget: server returned error: HTTP\/1\.1\s503/, 'the concrete cause, not only "unhealthy"');
	first.stdin.write('b');
	frame = await waitFor(first.lastFrame, /rolled back: release staging-/);
	assert.match(frame, /verification failed: web is unhealthy: health check exit 1: wget: server returned error:\sHTTP\/1\.1\s503; rolled\sback\sto\saaaaaaa/);
	assert.equal(rolled.git.branches.get('staging'), rolled.commits.first);
	first.unmount();

	const left = shopWorld();
	left.engine.breakNext({health: 'unhealthy', cause: 'health check exit 1'});
	const second = await failedPromotion(left);
	await waitFor(second.lastFrame, /What now\?/);
	second.stdin.write('a');
	frame = await waitFor(second.lastFrame, /failed: release staging-/);
	assert.match(frame, /left as it is by ana@example\.test;\s`opsconsole\srollback\sstaging\s--to\saaaaaaa`\sgoes\sback/);
	assert.equal(left.locks.held.size, 0);
	assert.equal(left.git.branches.get('staging'), left.commits.checkout, 'left as it is: the branch too');
});

test('guided failure: i ignores a failed verification only where allowIgnore is set, after the typed name', async () => {
	const world = shopWorld({environments: pipeline({staging: {protection: {confirm: 'yes', allowIgnore: true}}})});
	world.engine.breakNext({health: 'unhealthy', cause: 'health check exit 1'});
	const {lastFrame, stdin} = await failedPromotion(world);
	let frame = await waitFor(lastFrame, /What now\?/);
	assert.match(frame, /i ignore it \(typed\)/);
	stdin.write('i');
	await waitFor(lastFrame, /Type the environment's name \(staging\) to confirm/);
	await typeSlowly(stdin, 'staging');
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /succeeded: release staging-/);
	assert.match(frame, /! verify staging .* — web is unhealthy: health check exit 1 \(ignored by ana@exa/);
	const release = world.releases.list({env: 'staging'})[0]!;
	assert.equal(release.outcome, 'succeeded');
	assert.match(release.error ?? '', /verification failed: web is unhealthy: health check exit 1 \(ignored by ana@example\.test\)/);
	assert.deepEqual(release.steps.find(step => step.id === 'verify')?.ok, false, 'history keeps that verification failed');
	assert.ok(world.audit.records.some(entry => entry.outcome === 'failure: ignore'));
});
