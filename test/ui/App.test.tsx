import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import {createDashboardActions} from '../../source/app/dashboard-actions.js';
import type {LiveMonitor} from '../../source/app/live-monitor.js';
import App from '../../source/ui/App.js';
import {dashboardKeys} from '../../source/ui/keys.js';
import {pipeline, shopWorld, type FakeWorld} from '../helpers/fakes.js';
import {temporaryFolder} from '../helpers/temp.js';
import {keys, typeSlowly, waitFor} from './frames.js';
import {liveMonitor, renderScreen} from './harness.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const step of cleanup.splice(0)) step();
});

function renderApp(world: FakeWorld, options: {initialEnvironment?: string} = {}) {
	const monitor: LiveMonitor = liveMonitor(world);
	const selected: string[] = [];
	const quits: number[] = [];
	const instance = renderScreen(
		<App
			live={monitor}
			actions={createDashboardActions(world.services)}
			project="shop"
			operator="ana@example.test"
			readOnly={world.services.readOnly.everywhere !== undefined}
			initialEnvironment={options.initialEnvironment}
			onEnvironmentSelected={name => selected.push(name)}
			onQuit={() => quits.push(0)}
		/>,
	);
	cleanup.push(() => instance.unmount(), () => monitor.stop());
	return {...instance, world, selected, quits, monitor};
}

/** dev and staging only. */
const twoEnvironments = () => shopWorld({environments: pipeline().slice(0, 2)});

test('every environment on a line of its own, the selected one in detail below: branch, pending, release, containers', async () => {
	const {lastFrame} = renderApp(shopWorld());
	const frame = await waitFor(lastFrame, /── Development[\s\S]*web +healthy/);
	assert.match(frame, /opsconsole · shop · ana@example\.test/);
	assert.match(frame, /● live unix:\/\/\/var\/run\/docker\.sock/);
	assert.match(frame, /^▸ ● healthy +dev +dev-r1$/m);
	assert.match(frame, /^ {2}● healthy +staging +staging-r1 +2 pending$/m);
	assert.match(frame, /^ {2}● healthy +production +production-r1$/m);
	assert.match(frame, /── Development · dev@bbbbbbb ──/);
	assert.match(frame, /release dev-r1/);
	assert.match(frame, /▸ web +healthy +5m +bbbbbbb$/m);
	assert.match(frame, /Tab env {2}↑\/↓ container {2}l logs {2}i inspect {2}R restart/);
	assert.ok(frame.split('\n').length < 24, 'the frame is as tall as what it shows');
});

test('Tab, arrows and digits move between environments; the strip follows', async () => {
	const world = shopWorld();
	const {lastFrame, stdin, selected} = renderApp(world);
	let frame = await waitFor(lastFrame, /── Development[\s\S]*web +healthy/);
	stdin.write(keys.tab);
	frame = await waitFor(lastFrame, /── Staging · staging@aaaaaaa · 2 pending from dev/);
	assert.match(frame, /^▸ ● healthy +staging/m);
	const production = [...world.engine.containers.values()].find(container => container.project === 'shop-production')!;
	world.engine.change(production.id, {state: 'exited'});
	frame = await waitFor(lastFrame, /✖ down +production/);
	stdin.write(keys.right);
	frame = await waitFor(lastFrame, /── Production/);
	assert.match(frame, /⚠ web is exited/);
	stdin.write(keys.left);
	await waitFor(lastFrame, /── Staging/);
	stdin.write('1');
	await waitFor(lastFrame, /── Development/);
	stdin.write('9');
	await waitFor(lastFrame, /── Development/);
	await waitFor(() => selected.join(','), /^dev,staging,production,staging,dev$/);
});

test('keys typed in one burst act on what the earlier ones selected: `2p` promotes out of staging, `1p` out of dev', async () => {
	const {lastFrame, stdin} = renderApp(shopWorld());
	await waitFor(lastFrame, /── Development[\s\S]*web +healthy/);
	stdin.write('2p');
	await waitFor(lastFrame, /promote staging → production/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /── Staging/);
	stdin.write('1p');
	await waitFor(lastFrame, /promote dev → staging/);
});

test('the last selected environment is where it opens', async () => {
	const {lastFrame} = renderApp(twoEnvironments(), {initialEnvironment: 'staging'});
	const frame = await waitFor(lastFrame, /^▸ ● healthy +staging/m);
	assert.match(frame, /── Staging/);
});

test('a held lock is on the environment\'s line, and in full above its containers', async () => {
	const world = twoEnvironments();
	world.locks.held.set('staging', {env: 'staging', operator: 'bo@example.test', host: 'bastion', pid: null, since: new Date(Date.now() - 120_000).toISOString(), action: 'lock', message: 'db migration'});
	const {lastFrame, stdin} = renderApp(world);
	const frame = await waitFor(lastFrame, /locked by bo@example\.test, 2m \(db migration\)/);
	assert.match(frame, /^ {2}● healthy +staging +staging-r1 +2 pending +locked by bo@example\.test, 2m \(db migration\)$/m);
	stdin.write(keys.tab);
	await waitFor(lastFrame, /⚠ locked by bo@example\.test on bastion since .* \(lock: db migration\)/);
});

test('a container turning unhealthy redraws its environment, by event', async () => {
	const world = twoEnvironments();
	const {lastFrame, stdin} = renderApp(world);
	await waitFor(lastFrame, /web +healthy/);
	const staging = [...world.engine.containers.values()].find(container => container.project === 'shop-staging')!;
	world.engine.change(staging.id, {health: 'unhealthy'});
	await waitFor(lastFrame, /^ {2}▲ degraded +staging/m);
	stdin.write(keys.tab);
	const frame = await waitFor(lastFrame, /── Staging/);
	assert.match(frame, /⚠ web is unhealthy/);
	assert.match(frame, /▸ web +unhealthy/);
});

test('? opens help listing every key with what it does; Esc closes it and the panels are back', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /── Development/);
	stdin.write('?');
	const frame = await waitFor(lastFrame, /Keys/);
	for (const help of dashboardKeys) {
		const line = frame.split('\n').find(candidate => candidate.includes(` ${help.does}`));
		assert.ok(line?.includes(help.keys), `help shows "${help.keys}" with "${help.does}"`);
	}

	stdin.write(keys.escape);
	const back = await waitFor(lastFrame, text => !text.includes('Keys') && /── Development/.test(text));
	assert.match(back, /Tab env/);
});

test('r opens the rollback picker for the selected environment; read-only preferences refuse it', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments(), {initialEnvironment: 'staging'});
	await waitFor(lastFrame, /── Staging/);
	stdin.write('r');
	await waitFor(lastFrame, /rollback · staging · choose the release/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /── Staging/);

	const readOnly = renderApp(shopWorld({environments: pipeline().slice(0, 2), preferences: {readOnlyEnvironments: ['staging']}}), {initialEnvironment: 'staging'});
	await waitFor(readOnly.lastFrame, /── Staging/);
	readOnly.stdin.write('r');
	await waitFor(readOnly.lastFrame, /rollback refused: staging is read-only \(your preferences list it in readOnlyEnvironments\)/);
});

test('h shows the selected environment\'s releases newest first with their checks; Enter shows steps, error and log; r opens the rollback picker on it', async () => {
	const world = twoEnvironments();
	const {commits} = world as ReturnType<typeof shopWorld>;
	const failedAt = new Date(Date.now() - 600_000).toISOString();
	const logFile = path.join(temporaryFolder(), 'staging-r2.log');
	writeFileSync(logFile, `${Array.from({length: 40}, (_line, index) => `line ${index + 1}`).join('\n')}\nrolling staging back to aaaaaaa\n\u001B[2Jcleared?\n`);
	world.releases.save({
		id: 'staging-r2', env: 'staging', kind: 'promotion', from: 'dev', commit: commits.checkout, previous: commits.first, previousRelease: 'staging-r1', images: [], operator: 'bo@example.test', host: 'bastion',
		startedAt: failedAt, finishedAt: failedAt, outcome: 'rolled-back', error: 'verify staging: web is unhealthy', rolledBackTo: 'staging-r1', pid: 1, logFile,
		steps: [{id: 'promote', name: 'promote recipe', startedAt: failedAt, ms: 1200, ok: true}, {id: 'verify', name: 'verify staging', startedAt: failedAt, ms: 20_000, ok: false, error: 'web is unhealthy'}],
	});
	world.checkRuns.save({id: 'chk-staging-1', env: 'staging', release: 'staging-r1', commit: commits.first, subject: 'First', operator: 'ana@example.test', host: 'bastion', startedAt: failedAt, finishedAt: failedAt, checks: [
		{name: 'All services healthy', type: 'health', description: null, status: 'pass', ms: 5, detail: 'ok', output: []},
		{name: 'Booking journey', type: 'http', description: null, status: 'pass', ms: 5, detail: 'HTTP 201', output: []},
	]});
	const {lastFrame, stdin} = renderApp(world, {initialEnvironment: 'staging'});
	await waitFor(lastFrame, /── Staging/);
	stdin.write('h');
	let frame = await waitFor(lastFrame, /history · staging · newest first/);
	assert.match(frame, /▸ 10m +promotion rolled-back bbbbbbb 0s +— +bo@example\.test/);
	assert.match(frame, /^ {2}24h +deploy +succeeded +aaaaaaa 0s +2\/2 ok +ana@example\.test/m);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /staging-r2 · promotion from dev · rolled-back[\s\S]*rolling staging back to aaaaaaa/);
	assert.match(frame, /checks: never run on this release/);
	assert.match(frame, /✔ promote recipe +1s/);
	assert.match(frame, /✖ verify staging +20s +web is unhealthy/);
	assert.match(frame, /error: verify staging: web is unhealthy/);
	assert.match(frame, /^ {2}rolling staging back to aaaaaaa$/m, 'the log\'s last lines');
	assert.match(frame, /^ {2}\\x1b\[2Jcleared\?$/m, 'made printable');
	assert.doesNotMatch(frame, /line 1$/m, 'only the tail');
	stdin.write(keys.escape);
	await waitFor(lastFrame, /history · staging/);
	stdin.write(keys.down);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /staging-r1 · deploy · succeeded/);
	assert.match(frame, /checks: all 2 of 2 passed \(run chk-staging-1 by ana@example\.test, 10m ago\)/);
	stdin.write('r');
	await waitFor(lastFrame, /staging-r1 is what staging runs now: choose an earlier release to roll back to/);
	stdin.write('h');
	await waitFor(lastFrame, /history · staging/);
	stdin.write('r');
	frame = await waitFor(lastFrame, /rollback · staging · choose the release/);
	assert.match(frame, new RegExp(`filter \\(${commits.checkout}\\)`));
});

test('R asks first, then restarts the selected container, holding the lock and auditing it', async () => {
	const world = twoEnvironments();
	const {lastFrame, stdin} = renderApp(world);
	await waitFor(lastFrame, /── Development[\s\S]*web/);
	stdin.write(keys.tab);
	await waitFor(lastFrame, /── Staging[\s\S]*▸ web/);
	stdin.write('R');
	await waitFor(lastFrame, /Restart shop-staging-web in staging\? \[y\/N\]/);
	stdin.write('n');
	await waitFor(lastFrame, /restart cancelled/);
	assert.deepEqual(world.engine.restarts, []);
	stdin.write('R');
	await waitFor(lastFrame, /\[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /restarted shop-staging-web/);
	const staging = [...world.engine.containers.values()].find(container => container.project === 'shop-staging')!;
	assert.deepEqual(world.engine.restarts, [staging.id]);
	assert.deepEqual(world.audit.records.map(entry => [entry.action, entry.env, entry.outcome]), [['restart shop-staging-web', 'staging', 'succeeded']]);
	assert.equal(world.locks.held.size, 0, 'the lock is released');
});

test('read-only (--read-only): R is refused with a visible reason, never asks, and the refusal is audited', async () => {
	const world = shopWorld({environments: pipeline().slice(0, 2), readOnlyFlag: true});
	const {lastFrame, stdin} = renderApp(world);
	const frame = await waitFor(lastFrame, /READ-ONLY/);
	assert.doesNotMatch(frame, /R restart/);
	stdin.write('R');
	await waitFor(lastFrame, /restart refused: opsconsole runs read-only \(--read-only\)/);
	assert.deepEqual(world.engine.restarts, []);
	stdin.write('p');
	await waitFor(lastFrame, /promotion refused: opsconsole runs read-only/);
});

test('/ filters containers, Esc in the filter clears it', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /── Development[\s\S]*web/);
	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	await typeSlowly(stdin, 'api');
	let frame = await waitFor(lastFrame, /no container matches "api"/);
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /filter: api \(/);
	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	stdin.write(keys.escape);
	frame = await waitFor(lastFrame, text => !text.includes('no container matches') && !text.includes('/ filter:') && text.includes('── Development'));
	assert.match(frame, /web +healthy/);
});

test('in the filter, Ctrl-W takes back a word and Ctrl-U clears what a paste left', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /── Development[\s\S]*web/);
	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	stdin.write('we');
	await waitFor(lastFrame, /\/ filter: we/);
	stdin.write('b nomatch');
	await waitFor(lastFrame, /no container matches "web nomatch"/);
	stdin.write('\u0017');
	const frame = await waitFor(lastFrame, /^\/ filter: web *$/m);
	assert.match(frame, /web +healthy/);
	stdin.write('\u0015');
	await waitFor(lastFrame, /^\/ filter: *$/m);
	stdin.write('api');
	await waitFor(lastFrame, /no container matches "api"/);
});

test('i inspects the selected container with its secrets masked by the real mapping; Esc returns', async () => {
	const world = twoEnvironments();
	const dev = [...world.engine.containers.values()].find(container => container.project === 'shop-dev')!;
	world.engine.containers.set(dev.id, {...dev, env: ['PORT=8080', 'API_TOKEN=tok-3f9a2c71', 'DATABASE_URL=postgres://app:tok-3f9a2c71@db/app']});
	const {lastFrame, stdin} = renderApp(world);
	await waitFor(lastFrame, /Development[\s\S]*web/);
	stdin.write('i');
	const frame = await waitFor(lastFrame, /API_TOKEN=/);
	assert.match(frame, /API_TOKEN=••••••/);
	assert.match(frame, /PORT=8080/);
	assert.doesNotMatch(frame, /tok-3f9a2c71/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /── Development/);
});

test('l streams the selected container\'s log; Esc returns', async () => {
	const {lastFrame, stdin} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /Development[\s\S]*web/);
	stdin.write('l');
	const frame = await waitFor(lastFrame, /last line/);
	assert.match(frame, /logs · dev · shop-dev-web \(following\)/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /── Development/);
});

test('a log that ends (its container stopped) says so, and f follows the container\'s log again', async () => {
	const world = twoEnvironments();
	world.engine.logEnds = true;
	const {lastFrame, stdin} = renderApp(world);
	await waitFor(lastFrame, /Development[\s\S]*web/);
	stdin.write('l');
	const ended = await waitFor(lastFrame, /\(ended: the container stopped — f follows it again\)/);
	assert.match(ended, /last line/);
	world.engine.logEnds = false;
	world.engine.logLines = ['first line', 'last line', 'started again'];
	stdin.write('f');
	const following = await waitFor(lastFrame, /started again/);
	assert.match(following, /logs · dev · shop-dev-web \(following\)/);
	assert.equal(following.match(/last line/g)?.length, 1, 'the lines shown before are not repeated');
});

test('a log whose connection breaks says so, not that the container stopped; f tries again', async () => {
	const world = twoEnvironments();
	world.engine.logBreaks = 'engine at unix:///var/run/docker.sock unreachable: the log stream broke: connection reset';
	const {lastFrame, stdin} = renderApp(world);
	await waitFor(lastFrame, /Development[\s\S]*web/);
	stdin.write('l');
	const broke = await waitFor(lastFrame, /\(not following — f tries again\)/);
	assert.match(broke, /the log stream broke: connection reset/);
	assert.match(broke, /last line/);
	assert.doesNotMatch(broke, /container stopped/);
	world.engine.logBreaks = undefined;
	stdin.write('f');
	const following = await waitFor(lastFrame, /\(following\)/);
	assert.doesNotMatch(following, /stream broke/);
});

test('an unreachable engine reads unknown with its reason', async () => {
	const world = twoEnvironments();
	world.engine.down = 'connection refused — is dockerd running?';
	const {lastFrame} = renderApp(world);
	const frame = await waitFor(lastFrame, /reconnecting/);
	assert.match(frame, /^ {2}\? unknown +staging/m);
	assert.match(frame, /● reconnecting unix:\/\/\/var\/run\/docker\.sock — engine at unix:\/\/\/var\/run\/docker\.sock unreachable: con/);
	assert.match(frame, /^⚠ engine at unix:\/\/\/var\/run\/docker\.sock unreachable: connection refused — is dockerd running\?$/m, 'the reason in full');
});

test('q quits; Ctrl-C with nothing running ends the screen at once', async () => {
	const {lastFrame, stdin, quits, ends} = renderApp(twoEnvironments());
	await waitFor(lastFrame, /── Development/);
	stdin.write('q');
	await waitFor(() => String(quits.length), /1/);
	stdin.write('\u0003');
	await waitFor(() => ends.join(','), /^130$/);
});

test('Ctrl-C inside the dashboard\'s wizard cancels the running promotion, rolls it back and frees the lock before the console ends', async () => {
	const world = twoEnvironments();
	world.recipes.hold('deploy');
	const {lastFrame, stdin, ends} = renderApp(world);
	await waitFor(lastFrame, /Development[\s\S]*web/);
	stdin.write('p');
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /q cancels · Ctrl-C cancels and quits/);
	assert.equal(world.locks.held.size, 1, 'the promotion holds staging\'s lock');
	stdin.write('\u0003');
	await waitFor(() => ends.join(','), /^130$/);
	const promotion = world.releases.list({env: 'staging'}).find(release => release.kind === 'promotion');
	assert.equal(promotion?.outcome, 'aborted');
	assert.match(promotion?.error ?? '', /deploy\.mjs was cancelled; rolled back to aaaaaaa/);
	assert.equal(world.locks.held.size, 0, 'the lock was freed');
	assert.deepEqual(world.recipes.runs.map(run => run.action), ['promote', 'deploy', 'rollback']);
	assert.ok(world.audit.records.some(entry => entry.action === 'promote dev→staging' && entry.outcome === 'aborted'));
});

test('SIGTERM (or SIGHUP) to the console does the same as Ctrl-C, and ends with the signal\'s code', async () => {
	const world = twoEnvironments();
	world.recipes.hold('deploy');
	const {lastFrame, stdin, ends, sendSignal} = renderApp(world);
	await waitFor(lastFrame, /Development[\s\S]*web/);
	stdin.write('p');
	await waitFor(lastFrame, /Enter continue to preflight/);
	stdin.write(keys.enter);
	await waitFor(lastFrame, /Go ahead\? \[y\/N\]/);
	stdin.write('y');
	await waitFor(lastFrame, /q cancels/);
	sendSignal('SIGTERM');
	await waitFor(() => ends.join(','), /^143$/);
	assert.equal(world.releases.list({env: 'staging'}).find(release => release.kind === 'promotion')?.outcome, 'aborted');
	assert.equal(world.locks.held.size, 0);
});

test('300 containers across 3 environments: healthy ones fold into a line, e expands, PgDn scrolls, / filters, all at 24 rows', async () => {
	const world = shopWorld();
	for (const env of ['dev', 'staging', 'production']) {
		for (let index = 1; index <= 99; index += 1) world.engine.run(`shop-${env}`, `svc${index}`, 'b'.repeat(40), `${env}-r1`);
	}

	const sick = [...world.engine.containers.values()].find(container => container.project === 'shop-dev' && container.service === 'svc42')!;
	world.engine.containers.set(sick.id, {...sick, health: 'unhealthy'});
	const {lastFrame, stdin} = renderApp(world);
	let frame = await waitFor(lastFrame, /healthy containers folded/);
	assert.match(frame, /^▸ ▲ degraded +dev/m);
	assert.match(frame, /svc42 +unhealthy/, 'the one that needs a look is listed');
	assert.match(frame, /✔ 99 healthy containers folded \(e shows them\)/);
	assert.match(frame, /q quit/);
	assert.ok(frame.split('\n').length <= 24, `the frame fits 24 rows:\n${frame}`);

	stdin.write('e');
	frame = await waitFor(lastFrame, /more below/);
	assert.match(frame, /svc1 +healthy/, 'expanded, in natural order');
	assert.doesNotMatch(frame, /folded/);
	assert.ok(frame.split('\n').length <= 24);
	stdin.write('\u001B[6~');
	frame = await waitFor(lastFrame, /more above/);
	assert.doesNotMatch(frame, /svc1 +healthy/, 'a page further down');

	stdin.write('/');
	await waitFor(lastFrame, /\/ filter:/);
	await typeSlowly(stdin, 'svc9');
	stdin.write(keys.enter);
	frame = await waitFor(lastFrame, /filter: svc9 \(/);
	assert.match(frame, /svc9 +healthy/);
	assert.match(frame, /svc99 +healthy/);
	assert.doesNotMatch(frame, /svc42 +unhealthy/, "the filter hides the rest");

	stdin.write('3');
	frame = await waitFor(lastFrame, /── Production/);
	assert.match(frame, /^▸ ● healthy +production/m);
});
