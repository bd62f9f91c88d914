import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import type {FlowState} from '../../source/core/operation-flow.js';
import RollbackPicker from '../../source/ui/rollback/RollbackPicker.js';
import {StyleContext} from '../../source/ui/style-context.js';
import {ScriptedRollback} from './fixtures.js';
import {keys, typeSlowly, waitFor} from './frames.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());


function renderPicker(source = new ScriptedRollback()) {
	const done: Array<FlowState | undefined> = [];
	const instance = render(
		<StyleContext.Provider value={{color: false, ascii: false}}>
			<RollbackPicker env="staging" source={source} width={100} height={30} onDone={state => done.push(state)}/>
		</StyleContext.Provider>,
	);
	unmount = instance.unmount;
	return {...instance, source, done};
}


test('lists releases newest first; the running one is marked and not selectable; the detail shows what is undone', async () => {
	const {lastFrame} = renderPicker();
	const frame = await waitFor(lastFrame, /undoes 1 commits/);
	const lines = frame.split('\n');
	const running = lines.findIndex(line => line.includes('(running) Third'));
	const second = lines.findIndex(line => line.includes('Second'));
	const first = lines.findIndex(line => line.includes('First'));
	assert.ok(running !== -1 && running < second && second < first, frame);
	assert.doesNotMatch(lines[running]!, /❯/);
	assert.match(lines[second]!, /❯ bbbbbbb +1h +succeeded +instant +ana@example\.test/);
	assert.match(lines[first]!, /failed +rebuild/);
	assert.match(frame, /staging-r2 · history, tag · image still on the engine: no rebuild/);
	assert.match(frame, /ccccccc Third/);
});

test('/ filters the list', async () => {
	const {lastFrame, stdin} = renderPicker();
	await waitFor(lastFrame, /Second/);
	stdin.write('/');
	await typeSlowly(stdin, 'first');
	const frame = await waitFor(lastFrame, /\/ filter: first/);
	assert.doesNotMatch(frame, /Second/);
	assert.match(frame, /❯ aaaaaaa/);
});

test('Enter asks y/N, then shows the steps and the recipe\'s output live, then the outcome', async () => {
	const {lastFrame, stdin, source, done} = renderPicker();
	await waitFor(lastFrame, /❯ bbbbbbb/);
	stdin.write(keys.enter);
	let frame = await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	assert.match(frame, /Roll staging back to bbbbbbb \(staging-r2\): its branch and containers, reusing the image/);
	stdin.write('y');
	frame = await waitFor(lastFrame, /staging: ccccccc → bbbbbbb/);
	assert.match(frame, /rollback recipe \(rollback\.mjs\)/);
	assert.match(frame, /• reset staging/);
	assert.match(frame, /full log: \/state\/logs\/r\.log/);
	assert.match(frame, /q or Ctrl-C cancels/);
	source.release();
	frame = await waitFor(lastFrame, /succeeded: release staging-r4/);
	assert.match(frame, /✔ rollback recipe/);
	stdin.write('x');
	await waitFor(() => String(done.length), /1/);
	assert.equal(done[0]?.outcome, 'succeeded');
	assert.deepEqual(source.chosen.map(chosen => chosen.release), ['staging-r2']);
});

test('declining the confirmation changes nothing', async () => {
	const {lastFrame, stdin} = renderPicker();
	await waitFor(lastFrame, /❯ bbbbbbb/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /\[y\/N\]/);
	stdin.write('n');
	await waitFor(lastFrame, /refused, nothing changed: not confirmed for staging/);
});

test('a typed confirmation refuses a wrong name, then accepts the right one', async () => {
	const source = new ScriptedRollback();
	source.confirmLevel = 'typed';
	const {lastFrame, stdin} = renderPicker(source);
	await waitFor(lastFrame, /❯ bbbbbbb/);
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
	const {lastFrame, stdin} = renderPicker();
	await waitFor(lastFrame, /❯ bbbbbbb/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /\[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /q or Ctrl-C cancels/);
	stdin.write('q');
	await waitFor(lastFrame, /Cancel the rollback\? \[y\/N\]/);
	stdin.write('y');
	const frame = await waitFor(lastFrame, /aborted: release staging-r4/);
	assert.match(frame, /rollback\.mjs was cancelled/);
});

test('Esc leaves the picker without doing anything', async () => {
	const {lastFrame, stdin, done, source} = renderPicker();
	await waitFor(lastFrame, /❯ bbbbbbb/);
	stdin.write(keys.escape);
	await waitFor(() => String(done.length), /1/);
	assert.equal(done[0], undefined);
	assert.deepEqual(source.chosen, []);
});
