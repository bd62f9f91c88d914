import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import App from '../../source/ui/App.js';
import {container, environment, FixtureLive, RecordingActions} from './fixtures.js';
import {keys, typeSlowly, waitFor} from './frames.js';

const style = {color: false, ascii: false};
let unmount: (() => void) | undefined;
afterEach(() => unmount?.());


function renderApp(live: FixtureLive, actions = new RecordingActions(), options: {readOnly?: boolean; initialEnvironment?: string} = {}) {
	const selected: string[] = [];
	const instance = render(<App live={live} actions={actions} project="shop" operator="ana@example.test" readOnly={options.readOnly ?? false} style={style} initialEnvironment={options.initialEnvironment} onEnvironmentSelected={name => selected.push(name)}/>);
	unmount = instance.unmount;
	return {...instance, actions, selected};
}

const twoEnvironments = () => new FixtureLive([
	environment({name: 'dev', title: 'Development', branch: 'dev', upstream: null, pending: null, containers: [container({id: 'd-web', name: 'shop-dev-web'})]}),
	environment(),
]);

test('wide terminal: a panel per environment with health, branch, pending, release and containers', async () => {
	const {lastFrame} = renderApp(twoEnvironments());
	const frame = await waitFor(lastFrame, /Staging/);
	assert.match(frame, /opsconsole · shop · ana@example\.test/);
	assert.match(frame, /● live unix:\/\/\/var\/run\/docker\.sock/);
	assert.match(frame, /● healthy {2}Development/);
	assert.match(frame, /staging@1a2b3c4 · 2 pending from dev/);
	assert.match(frame, /release staging-r1/);
	assert.match(frame, /▸ web +healthy +5m +1a2b3c4d5e6f/);
	assert.match(frame, /api +healthy/);
	assert.match(frame, /probes 1\/1 ok/);
	assert.match(frame, /Tab env {2}↑\/↓ container {2}l logs {2}i inspect {2}R restart/);
});

test('narrow terminal: environments become tabs, and Tab moves between them', async () => {
	const live = new FixtureLive([environment({name: 'dev', title: 'Development'}), environment(), environment({name: 'production', title: 'Production', health: 'down', reasons: ['no containers'], containers: []})]);
	const {lastFrame, stdin, selected} = renderApp(live);
	let frame = await waitFor(lastFrame, /Development/);
	assert.match(frame, /● dev +● staging +✖ production/);
	assert.doesNotMatch(frame, /Staging/);
	stdin.write(keys.tab);
	frame = await waitFor(lastFrame, /Staging/);
	stdin.write(keys.right);
	frame = await waitFor(lastFrame, /Production/);
	assert.match(frame, /✖ down {2}Production/);
	assert.match(frame, /⚠ no containers/);
	stdin.write(keys.left);
	await waitFor(lastFrame, /Staging/);
	await waitFor(() => selected.join(','), /^dev,staging,production,staging$/);
});

test('the last selected environment is where it opens', async () => {
	const {lastFrame} = renderApp(twoEnvironments(), undefined, {initialEnvironment: 'staging'});
	const frame = await waitFor(lastFrame, /Staging/);
	assert.match(frame, /╔═+╗/);
	assert.match(frame.split('\n').find(line => line.includes('╔'))!, /^╭─+╮╔/);
});

test('the model changing redraws the panel; an unchanged model draws nothing', async () => {
	const live = twoEnvironments();
	const {lastFrame, frames} = renderApp(live);
	await waitFor(lastFrame, /Staging/);
	await new Promise(resolve => setTimeout(resolve, 100));
	const before = frames.length;
	live.notifyUnchanged();
	await new Promise(resolve => setTimeout(resolve, 100));
	assert.equal(frames.length, before, 'an unchanged snapshot rendered a frame');
	const staging = live.snapshot.environments[1]!;
	live.publish({environments: [live.snapshot.environments[0]!, {...staging, health: 'degraded', reasons: ['api is unhealthy'], containers: [staging.containers[0]!, container({id: 'c-api', service: 'api', health: 'unhealthy'})]}]});
	const frame = await waitFor(lastFrame, /▲ degraded/);
	assert.match(frame, /⚠ api is unhealthy/);
	assert.match(frame, /api +unhealthy/);
});

test('? opens help listing every key, Esc closes it', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /Staging/);
	stdin.write('?');
	const frame = await waitFor(lastFrame, /Keys/);
	for (const key of ['Tab ←/→', '↑/↓', 'l ', 'i ', 'R ', 'g ', '/ ', 'p ', 'r ', 'c ', 'h ', '? ', 'q Ctrl-C']) assert.ok(frame.includes(key), `help lists ${key}`);
	assert.match(frame, /r +roll the selected environment back \(picker\) +│/);
	assert.match(frame, /c +run the staging checks \(not available yet\)/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, text => !text.includes('Keys') && text.includes('Staging'));
});

test('r opens the rollback picker for the selected environment; read-only refuses it', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments(), undefined, {initialEnvironment: 'staging'});
	await waitFor(lastFrame, /Staging/);
	stdin.write('r');
	await waitFor(lastFrame, /rollback · staging · choose the release/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /Staging/);

	const actions = new RecordingActions();
	actions.readOnly.set('staging', 'staging is read-only in your preferences');
	unmount?.();
	const readOnly = renderApp(twoEnvironments(), actions, {initialEnvironment: 'staging'});
	await waitFor(readOnly.lastFrame, /Staging/);
	readOnly.stdin.write('r');
	await waitFor(readOnly.lastFrame, /rollback refused: staging is read-only in your preferences/);
});

test('keys of later issues say they are not available yet', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /Staging/);
	stdin.write('c');
	await waitFor(lastFrame, /c: run the staging checks is not available yet/);
});

test('R asks first, then restarts the selected container', async () => {
	const {lastFrame, stdin, actions} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /Staging/);
	stdin.write(keys.tab);
	stdin.write(keys.down);
	await waitFor(lastFrame, /▸ api/);
	stdin.write('R');
	await waitFor(lastFrame, /Restart shop-staging-api in staging\? \[y\/N\]/);
	stdin.write('n');
	await waitFor(lastFrame, /restart cancelled/);
	assert.deepEqual(actions.restarts, []);
	stdin.write('R');
	await waitFor(lastFrame, /\[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /restarted c-api/);
	assert.deepEqual(actions.restarts, [['staging', 'c-api']]);
});

test('read-only: R is refused with a visible reason and never asks', async () => {
	const actions = new RecordingActions();
	actions.readOnly.set('dev', 'opsconsole runs read-only');
	const {lastFrame, stdin} = renderApp(twoEnvironments(), actions, {readOnly: true});
	const frame = await waitFor(lastFrame, /READ-ONLY/);
	assert.doesNotMatch(frame, /R restart/);
	stdin.write('R');
	await waitFor(lastFrame, /restart refused: opsconsole runs read-only/);
	assert.deepEqual(actions.restarts, []);
});

test('/ filters containers across panels, Esc in the filter clears it', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /api/);
	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	await typeSlowly(stdin, 'api');

	let frame = await waitFor(lastFrame, /no container matches "api"/);
	assert.match(frame, /api +healthy/);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /filter: api \(/);
	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	stdin.write(keys.escape);
	frame = await waitFor(lastFrame, text => !text.includes('no container matches') && text.includes('shop') && !text.includes('/ filter:'));
	assert.match(frame, /web +healthy/);
});

test('l streams the selected container\'s log; i inspects it; Esc returns', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /Staging/);
	stdin.write('l');
	let frame = await waitFor(lastFrame, /last line/);
	assert.match(frame, /logs · dev · shop-dev-web \(following\)/);
	assert.match(frame, /DB_PASSWORD is ••••••/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /Development/);
	stdin.write('i');
	frame = await waitFor(lastFrame, /API_TOKEN=••••••/);
	assert.match(frame, /environment \(secret-looking values masked\)/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /Development/);
});

test('an unreachable engine reads unknown with its reason', async () => {
	const live = new FixtureLive([environment({health: 'unknown', reasons: ['engine at ssh://deploy@stg unreachable: connection refused'], containers: [], engine: {host: 'ssh://deploy@stg', reachable: false, error: 'engine at ssh://deploy@stg unreachable: connection refused'}})]);
	live.snapshot = {...live.snapshot, engines: [{host: 'ssh://deploy@stg', state: 'reconnecting', error: 'connection refused — retrying in 4 s'}]};
	const {lastFrame} = renderApp(live);
	const frame = await waitFor(lastFrame, /unknown/);
	assert.match(frame, /● reconnecting ssh:\/\/deploy@stg — connection refused — retrying in 4 s/);
	assert.match(frame, /\? unknown {2}Staging/);
	assert.match(frame, /⚠ engine at ssh:\/\/deploy@stg unreachable/);
});
