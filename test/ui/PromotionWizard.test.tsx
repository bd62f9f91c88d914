import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import type {FlowState} from '../../source/core/operation-flow.js';
import PromotionWizard from '../../source/ui/promotion/PromotionWizard.js';
import {StyleContext} from '../../source/ui/style-context.js';
import {ScriptedPromotion} from './fixtures.js';
import {keys, typeSlowly, waitFor} from './frames.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());



function renderWizard(source = new ScriptedPromotion(), initial: {from?: string; to?: string} = {}) {
	const done: Array<FlowState | undefined> = [];
	const instance = render(
		<StyleContext.Provider value={{color: false, ascii: false}}>
			<PromotionWizard source={source} initialFrom={initial.from} initialTo={initial.to} width={100} height={30} onDone={state => done.push(state)}/>
		</StyleContext.Provider>,
	);
	unmount = instance.unmount;
	return {...instance, source, done};
}

test('choose FROM (with reasons for the ones that cannot), then TO from the pipeline', async () => {
	const {lastFrame, stdin, source} = renderWizard();
	let frame = await waitFor(lastFrame, /from which environment\?/);
	assert.match(frame, /❯ dev → staging/);
	assert.match(frame, /production: last stage: promotes nowhere/);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /promote dev · to which environment\?/);
	assert.match(frame, /❯ staging/);
	assert.match(frame, /production: not dev's next stage/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /staging gains 2 commits/);
	assert.deepEqual(source.started, [['dev', 'staging']]);
});

test('the plan screen: commit, verification, what TO gains, its current release; d toggles the diff stat; Esc goes back', async () => {
	const {lastFrame, stdin, source} = renderWizard(undefined, {from: 'dev', to: 'staging'});
	let frame = await waitFor(lastFrame, /staging gains 2 commits, 1 file changed \(\+12 −3\)/);
	assert.match(frame, /dev runs bbbbbbb Checkout v2 — Ana, 1h ago/);
	assert.match(frame, /verified in dev · dev is ● healthy/);
	assert.match(frame, /staging runs aaaaaaa \(release staging-r1, deployed 24h ago\)/);
	assert.match(frame, /ccccccc Fix cart totals \(Bo\)/);
	assert.doesNotMatch(frame, /app\/cart\.js/);
	stdin.write('d');
	frame = await waitFor(lastFrame, /app\/cart\.js \+12 −3/);
	stdin.write(keys.escape);
	await waitFor(() => String(source.started.length), /1/);
});

test('a failing preflight stops with the reason and the remedy; nothing runs', async () => {
	const source = new ScriptedPromotion();
	source.failingCheck = 'dev is degraded: api is unhealthy';
	const {lastFrame, stdin, done} = renderWizard(source, {from: 'dev', to: 'staging'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	const frame = await waitFor(lastFrame, /refused, nothing changed: dev is degraded/);
	assert.match(frame, /✔ engine reachable/);
	assert.match(frame, /✖ dev healthy: dev is degraded: api is unhealthy/);
	assert.match(frame, /→ fix dev first; only a healthy release is promoted/);
	assert.doesNotMatch(frame, /promote recipe/);
	stdin.write('x');
	await waitFor(() => String(done[0]?.outcome), /refused/);
});

test('typed confirmation: a wrong name is refused, the right one runs; the outcome shows release, time and log', async () => {
	const source = new ScriptedPromotion();
	source.confirmLevel = 'typed';
	const {lastFrame, stdin, done} = renderWizard(source, {from: 'staging', to: 'production'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	let frame = await waitFor(lastFrame, /Type the environment's name \(production\) to confirm/);
	assert.match(frame, /Promote bbbbbbb from staging to production: move production's branch, deploy, verify \(2 commits\)/);
	await typeSlowly(stdin, 'prod');
	stdin.write(keys.enter);
	await waitFor(lastFrame, /"prod" is not "production"/);
	await typeSlowly(stdin, 'production');
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /reusing shop-web:bbbbbbb2222/);
	assert.match(frame, /✔ promote recipe \(promote\.mjs\)/);
	assert.match(frame, /• image web/);
	source.release();
	frame = await waitFor(lastFrame, /succeeded: release production-r2/);
	assert.match(frame, /✔ verify production 1\.3 s — healthy in 1\.3 s/);
	assert.match(frame, /took \d+\.\d s · log \/state\/logs\/p\.log/);
	stdin.write('x');
	await waitFor(() => String(done[0]?.outcome), /succeeded/);
});

test('q while running asks, then cancels cleanly', async () => {
	const {lastFrame, stdin} = renderWizard(undefined, {from: 'dev', to: 'staging'});
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /q or Ctrl-C cancels/);
	stdin.write('q');
	await waitFor(lastFrame, /Cancel the promotion\?/);
	stdin.write('y');
	const frame = await waitFor(lastFrame, /aborted: release staging-r2/);
	assert.match(frame, /rolled back to aaaaaaa/);
});
