import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, test} from 'node:test';
import {checkPreflight, planOperation} from '../../source/app/plan-operation.js';
import {checkConcurrency, runChecklist} from '../../source/app/run-checks.js';
import {pipeline, shopWorld} from '../helpers/fakes.js';
import {Resources} from '../helpers/temp.js';

const resources = new Resources();
after(async () => resources.release());
let slowUrl = '';
const leakedToken = 'tok-7f3a9c-do-not-print';

before(async () => {
	const server = createServer((request, response) => {
		if (request.url === '/leak') response.writeHead(500).end(`upstream said: token=${leakedToken}`);
		else setTimeout(() => response.end('ok'), 150);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	resources.defer(async () => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	}));
	slowUrl = `http://127.0.0.1:${(server.address() as {port: number}).port}/`;
});

test('a few at a time, results in the file\'s order, each reported as it finishes', async () => {
	const checks = Array.from({length: 7}, (_item, index) => ({name: `page ${index + 1}`, type: 'http', url: `${slowUrl}?page=${index + 1}`}));
	const world = shopWorld({environments: pipeline({staging: {checks}})});
	let running = 0;
	let most = 0;
	const finished: number[] = [];
	const run = await runChecklist(world.services, 'staging', {
		onStart: () => {
			running++;
			most = Math.max(most, running);
		},
		onFinish: index => {
			running--;
			finished.push(index);
		},
	});
	assert.equal(most, checkConcurrency, `at most ${checkConcurrency} at once`);
	assert.equal(finished.length, 7);
	assert.deepEqual(run.checks.map(check => check.name), checks.map(check => check.name));
	assert.ok(run.checks.every(check => check.status === 'pass'));
	assert.equal(run.release, 'staging-r1');
	assert.equal(run.subject, 'First');
	assert.equal(world.checkRuns.runs.length, 1);
});

test('an engine that is down fails the checks that need it, with the reason; nothing throws', async () => {
	const world = shopWorld({environments: pipeline({staging: {checks: [
		{name: 'healthy', type: 'health'},
		{name: 'logs', type: 'logs'},
		{name: 'bad address', type: 'http', url: 'http://host.invalid/'},
	]}})});
	world.engine.down = 'connection refused — is dockerd running?';
	const run = await runChecklist(world.services, 'staging');
	assert.deepEqual(run.checks.map(check => check.status), ['fail', 'fail', 'fail']);
	assert.match(run.checks[0]!.detail, /^unknown: .*connection refused — is dockerd running\?/);
	assert.match(run.checks[1]!.detail, /^cannot read the logs: .*connection refused/);
	assert.match(run.checks[2]!.detail, /host name does not resolve/);
	assert.equal(run.release, null, 'what runs is unknown, and said so');
});

test('a runner that never returns is bounded by the check\'s timeout', async () => {
	const world = shopWorld({environments: pipeline({staging: {checks: [{name: 'logs', type: 'logs', timeoutMs: 300}, {name: 'healthy', type: 'health'}]}})});
	world.engine.logLinesSince = async () => new Promise<string[]>(() => undefined);
	const started = Date.now();
	const run = await runChecklist(world.services, 'staging');
	const took = Date.now() - started;
	assert.equal(run.checks[0]!.status, 'fail');
	assert.equal(run.checks[0]!.detail, 'did not finish within 300 ms');
	assert.equal(run.checks[1]!.status, 'pass');
	assert.ok(took < 2000, `bounded (took ${took} ms)`);
});

test('a re-run covers only the failed checks and keeps the rest of the previous run', async () => {
	const world = shopWorld({environments: pipeline({staging: {checks: [{name: 'healthy', type: 'health'}, {name: 'logs', type: 'logs'}]}})});
	world.engine.logLines = ['panic: out of seats'];
	const first = await runChecklist(world.services, 'staging');
	assert.deepEqual(first.checks.map(check => check.status), ['pass', 'fail']);
	world.engine.logLines = ['all good'];
	const started: number[] = [];
	const second = await runChecklist(world.services, 'staging', {onStart: index => started.push(index)}, {only: [1], previous: first});
	assert.deepEqual(started, [1]);
	assert.deepEqual(second.checks.map(check => check.status), ['pass', 'pass']);
	assert.equal(second.checks[0], first.checks[0]);
	assert.notEqual(second.id, first.id);
	assert.equal(world.checkRuns.list({env: 'staging'})[0]!.id, second.id, 'the newest run is the re-run');
});

test('preflight of a promotion out of an environment with requireChecks: refused until a passing run on its release, then names it', async () => {
	const world = shopWorld({environments: pipeline({dev: {protection: {confirm: 'none', requireChecks: true, checksMaxAge: '1h'}, checks: [{name: 'healthy', type: 'health'}]}})});
	const gate = async () => {
		const planned = await planOperation(world.services, {kind: 'promotion', from: 'dev', to: 'staging'});
		return (await checkPreflight(world.services, planned)).find(check => check.id === 'checks');
	};

	const before = await gate();
	assert.equal(before?.ok, false);
	assert.equal(before?.reason, 'no checklist run on dev-r1 yet');
	assert.match(before?.remedy ?? '', /opsconsole check dev/);
	world.engine.change([...world.engine.containers.values()].find(container => container.project === 'shop-dev')!.id, {health: 'unhealthy'});
	await runChecklist(world.services, 'dev');
	assert.match((await gate())?.reason ?? '', /the latest run on dev-r1 did not pass .*1 of 1 failed: healthy/);
	world.engine.change([...world.engine.containers.values()].find(container => container.project === 'shop-dev')!.id, {health: 'healthy'});
	const passing = await runChecklist(world.services, 'dev');
	const after = await gate();
	assert.equal(after?.ok, true);
	assert.equal(after?.label, `dev's checks passed (run ${passing.id} by ana@example.test, just now)`);
	const staging = await planOperation(world.services, {kind: 'promotion', from: 'staging', to: 'production'});
	assert.equal((await checkPreflight(world.services, staging)).some(check => check.id === 'checks'), false, 'only where required');
});

test('what a check quotes is masked like an operation\'s output: a secret in a response never reaches the run', async () => {
	const world = shopWorld({environments: pipeline({staging: {services: {web: {image: 'shop-web', environment: {PAYMENT_API_TOKEN: leakedToken}}}, checks: [{name: 'leaky', type: 'http', url: `${slowUrl}leak`}]}})});
	const run = await runChecklist(world.services, 'staging');
	assert.equal(run.checks[0]!.status, 'fail');
	const text = JSON.stringify(run);
	assert.ok(!text.includes(leakedToken), text);
	assert.match(run.checks[0]!.output.join('\n'), /upstream said: token=••••••/);
});

test('checks not yet started when the run is stopped are skipped, not failed', async () => {
	const world = shopWorld({environments: pipeline({staging: {checks: [{name: 'a', type: 'health'}, {name: 'b', type: 'health'}]}})});
	const controller = new AbortController();
	controller.abort();
	const run = await runChecklist(world.services, 'staging', {signal: controller.signal});
	assert.deepEqual(run.checks.map(check => [check.status, check.detail]), [['skip', 'not run: the checklist was stopped'], ['skip', 'not run: the checklist was stopped']]);
});
