import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {createRollbackSource} from '../../source/app/rollback-targets.js';
import type {FlowState} from '../../source/core/operation-flow.js';
import RollbackPicker from '../../source/ui/rollback/RollbackPicker.js';
import {environmentConfig, shopWorld} from '../helpers/fakes.js';
import {keys, typeSlowly, waitFor} from './frames.js';
import {renderScreen} from './harness.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** staging ran First (r1, long ago), then Fix (r2, its image gone), and runs Checkout v2 now (r3). */
function stagingWithHistory(confirm: 'yes' | 'typed' = 'yes') {
	const world = shopWorld({environments: [
		environmentConfig({name: 'dev', branch: 'dev', promotesTo: 'staging', docker: {project: 'shop-dev'}}),
		environmentConfig({name: 'staging', branch: 'staging', docker: {project: 'shop-staging'}, protection: {confirm}}),
	]});
	const {engine, releases, commits, git} = world;
	const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
	const release = (id: string, commit: string, hoursAgo: number, outcome: 'succeeded' | 'failed') => releases.save({
		id, env: 'staging', kind: 'promotion', from: 'dev', commit, previous: null, previousRelease: null, images: [], operator: 'ana@example.test', host: 'bastion',
		startedAt: at(hoursAgo), finishedAt: at(hoursAgo), steps: [], outcome, error: null, rolledBackTo: null, pid: 1, logFile: null,
	});
	releases.records.delete('staging-r1');
	release('staging-r1', commits.first, 3, 'succeeded');
	release('staging-r2', commits.fix, 2, 'failed');
	release('staging-r3', commits.checkout, 0, 'succeeded');
	engine.images.delete(`shop-web:${commits.fix.slice(0, 12)}`);
	engine.run('shop-staging', 'web', commits.checkout, 'staging-r3');
	git.branches.set('staging', commits.checkout);
	return world;
}

function renderPicker(world = stagingWithHistory()) {
	const done: Array<FlowState | undefined> = [];
	const instance = renderScreen(<RollbackPicker env="staging" source={createRollbackSource(world.services, 'staging')} width={100} height={30} onDone={state => done.push(state)}/>);
	unmount = instance.unmount;
	return {...instance, world, done};
}

test('lists releases newest first; the running one is marked and not selectable; it starts on the newest earlier success, not the failed one', async () => {
	const {lastFrame, stdin} = renderPicker();
	let frame = await waitFor(lastFrame, /undoes 2 commits:/);
	assert.match(frame, /staging-r1 · history, engine\n *image still on the engine: no rebuild/);
	stdin.write(keys.up);
	frame = await waitFor(lastFrame, /undoes 1 commit:/);
	const lines = frame.split('\n');
	const running = lines.findIndex(line => line.includes('(running) Checkout v2'));
	const fix = lines.findIndex(line => line.includes('Fix cart totals'));
	const first = lines.findIndex(line => line.includes('First'));
	assert.ok(running !== -1 && running < fix && fix < first, frame);
	assert.doesNotMatch(lines[running]!, /❯/);
	assert.match(lines[fix]!, /❯ ccccccc +2h +failed +rebuild +ana@example\.test/);
	assert.match(lines[first]!, /aaaaaaa +3h +succeeded +instant/);
	assert.match(frame, /staging-r2 · history\n *image gone: will rebuild\n/);
	assert.match(frame, /its last release here ended failed/);
	assert.match(frame, /bbbbbbb Checkout v2/);
});

test('a candidate whose image is gone says how long its last build took, in the list, the detail and the confirmation', async () => {
	const world = stagingWithHistory();
	world.builds.append({image: `shop-web:${world.commits.fix.slice(0, 12)}`, service: 'web', commit: world.commits.fix, env: 'dev', release: 'dev-r0', ms: 42_000, at: new Date().toISOString()});
	const {lastFrame, stdin} = renderPicker(world);
	await waitFor(lastFrame, /undoes 2 commits:/);
	stdin.write(keys.up);
	let frame = await waitFor(lastFrame, /undoes 1 commit:/);
	assert.match(frame, /❯ ccccccc +2h +failed +build 42s +ana@example\.test/);
	assert.match(frame, /staging-r2 · history\n *image gone: will rebuild \(its last build took 42s\)/);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	assert.match(frame.replace(/\s+/g, ' '), /its containers, rebuilding the image \(its last build took 42s\), undoing 1 commit/);
	stdin.write('n');
});

test('/ filters the list', async () => {
	const {lastFrame, stdin} = renderPicker();
	await waitFor(lastFrame, /Fix cart totals/);
	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	await typeSlowly(stdin, 'first');
	const frame = await waitFor(lastFrame, /❯ aaaaaaa/);
	assert.doesNotMatch(frame, /ccccccc +2h +failed/, 'the release that does not match is gone from the list');
});

test('Enter asks y/N, then shows the steps and the recipe\'s output live, then the outcome', async () => {
	const {lastFrame, stdin, world, done} = renderPicker();
	world.recipes.hold('rollback');
	await waitFor(lastFrame, /❯ aaaaaaa/);
	stdin.write(keys.enter);
	let frame = await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	assert.match(frame.replace(/\s+/g, ' '), /Roll staging back to aaaaaaa \(staging-r1\): its containers, reusing the image, undoing 2 commits\. Branch: staging moves back to aaaaaaa; the 2 commits it leaves stay on another branch or release tag\./);
	stdin.write('y');
	frame = await waitFor(lastFrame, /reusing shop-web:aaaaaaa11111/);
	assert.match(frame, /rollback recipe \(rollback\.mjs\)/);
	assert.match(frame, /• image web/);
	assert.match(frame, /full log: \/state\/logs\/staging-/);
	assert.match(frame, /q cancels/);
	world.recipes.release('rollback');
	frame = await waitFor(lastFrame, /succeeded: release staging-/);
	assert.match(frame, /✔ rollback recipe/);
	stdin.write('x');
	await waitFor(() => String(done.length), /1/);
	assert.equal(done[0]?.outcome, 'succeeded');
	assert.equal(world.git.branches.get('staging'), world.commits.first);
});

test('declining the confirmation changes nothing', async () => {
	const {lastFrame, stdin, world} = renderPicker();
	await waitFor(lastFrame, /❯ aaaaaaa/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /\[y\/N\]/);
	stdin.write('n');
	await waitFor(lastFrame, /refused, nothing changed: not confirmed for staging/);
	assert.deepEqual(world.recipes.runs, []);
});

test('a typed confirmation refuses a wrong name, then accepts the right one', async () => {
	const {lastFrame, stdin} = renderPicker(stagingWithHistory('typed'));
	await waitFor(lastFrame, /❯ aaaaaaa/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /Type the environment's name \(staging\) to confirm/);
	await typeSlowly(stdin, 'stagign');
	stdin.write(keys.enter);
	await waitFor(lastFrame, /"stagign" is not "staging"/);
	await typeSlowly(stdin, 'staging');
	stdin.write(keys.enter);
	await waitFor(lastFrame, /rollback recipe/);
});

test('q while running asks, then cancels: the outcome is aborted', async () => {
	const {lastFrame, stdin, world} = renderPicker();
	world.recipes.hold('rollback');
	await waitFor(lastFrame, /❯ aaaaaaa/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /\[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /q cancels/);
	stdin.write('q');
	await waitFor(lastFrame, /Cancel the rollback\? \[y\/N\]/);
	stdin.write('y');
	const frame = await waitFor(lastFrame, /aborted: release staging-/);
	assert.match(frame, /rollback\.mjs was cancelled/);
	assert.equal(world.locks.held.size, 0);
});

test('Esc leaves the picker without doing anything', async () => {
	const {lastFrame, stdin, done, world} = renderPicker();
	await waitFor(lastFrame, /❯ aaaaaaa/);
	stdin.write(keys.escape);
	await waitFor(() => String(done.length), /1/);
	assert.equal(done[0], undefined);
	assert.deepEqual(world.recipes.runs, []);
});
