import assert from 'node:assert/strict';
import {createServer, type Socket} from 'node:net';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {buildWebImage, engineForTests, newRunId, publishedPort, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {commitOn, git, initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

type JsonEnvironment = {
	name: string; health: string; reasons: string[]; branch: string; commit: string | null; pending: number | null;
	engine: {host: string; reachable: boolean; error: string | null};
	containers: Array<{id: string; name: string; service: string; image: string; state: string; health: string; cause: string | null; restarts: number; startedAt: string | null; commit: string | null}>;
	probes: Array<{name: string; ok: boolean; status: number | null; ms: number}>;
};

const engine = await engineForTests();
const runId = newRunId();
const secretToken = `tok-${runId}-do-not-print`;

describe('status against a real Docker engine and a real git repository', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let root: string;
	let hangingPort: number;
	let healthySha: string;
	const openSockets = new Set<Socket>();
	const silentEngine = createServer(socket => {
		openSockets.add(socket);
	});

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const project = (name: string) => `oct-${runId}-${name}`;
		const web = await startContainer(docker, {image, project: project('healthy'), service: 'web', runId, publish: true, labels: {'opsconsole.commit': 'c0ffee'}});
		const degradedWeb = await startContainer(docker, {image, project: project('degraded'), service: 'web', runId});
		const degradedApi = await startContainer(docker, {image, project: project('degraded'), service: 'api', runId, healthcheck: 'failing'});
		const stopped = await startContainer(docker, {image, project: project('down'), service: 'web', runId});
		await stopped.stop({t: 0});
		await Promise.all([
			waitForContainer(web, info => info.State.Health?.Status === 'healthy'),
			waitForContainer(degradedWeb, info => info.State.Health?.Status === 'healthy'),
			waitForContainer(degradedApi, info => info.State.Health?.Status === 'unhealthy'),
		]);
		const port = await publishedPort(web);

		await new Promise<void>(resolve => silentEngine.listen(0, '127.0.0.1', resolve));
		hangingPort = (silentEngine.address() as {port: number}).port;

		root = temporaryFolder(resources);
		const environment = (name: string, extra = '') => `name: ${name}\nbranch: ${name}\ndocker:\n  project: ${project(name)}\n${extra}`;
		writeFiles(root, {
			'environments/healthy.yaml': environment('healthy', `promotesTo: degraded\nprobes:\n  - { name: web, url: "http://127.0.0.1:${port}/health?token=${secretToken}" }\n`),
			'environments/degraded.yaml': environment('degraded'),
			'environments/down.yaml': environment('down'),
			'environments/empty.yaml': environment('empty'),
			'environments/unreachable.yaml': environment('unreachable').replace('docker:\n', `docker:\n  host: unix://${path.join(root, 'missing.sock')}\n`),
			'environments/hanging.yaml': environment('hanging').replace('docker:\n', `docker:\n  host: tcp://127.0.0.1:${hangingPort}\n`),
			'.gitignore': '.opsconsole/\n',
		});
		initRepository(root, ['healthy', 'degraded', 'down', 'empty', 'unreachable', 'hanging']);
		healthySha = commitOn(root, 'healthy', 'a change waiting for degraded');
	});

	after(() => {
		for (const socket of openSockets) socket.destroy();
		silentEngine.close();
	});

	const env = {OPSCONSOLE_TEST_TOKEN: secretToken};

	test('status --json reports every kind of environment and exits 1', async () => {
		const result = await runCli(['status', '--json', '--project', root], {env});
		assert.equal(result.code, 1, result.stderr);
		const {environments} = JSON.parse(result.stdout) as {environments: JsonEnvironment[]};
		const byName = new Map(environments.map(environment => [environment.name, environment]));
		assert.deepEqual(
			Object.fromEntries(environments.map(environment => [environment.name, environment.health])),
			{healthy: 'healthy', degraded: 'degraded', down: 'down', empty: 'down', hanging: 'unknown', unreachable: 'unknown'},
		);

		const healthy = byName.get('healthy')!;
		assert.equal(healthy.commit, healthySha);
		assert.equal(healthy.engine.reachable, true);
		assert.deepEqual(healthy.containers.map(container => [container.service, container.state, container.health, container.restarts, container.commit]), [['web', 'running', 'healthy', 0, 'c0ffee']]);
		assert.match(healthy.containers[0]!.startedAt!, /^\d{4}-\d\d-\d\dT/);
		assert.equal(healthy.probes[0]?.ok, true);
		assert.equal(healthy.probes[0]?.status, 200);

		const degraded = byName.get('degraded')!;
		assert.equal(degraded.pending, 1, 'one commit on healthy that degraded lacks');
		assert.deepEqual(degraded.containers.map(container => [container.service, container.health]), [['api', 'unhealthy'], ['web', 'healthy']]);
		assert.ok(degraded.reasons.includes('api is unhealthy: health check exit 1'), 'the cause, in the engine\'s words');
		assert.deepEqual(degraded.containers.map(container => container.cause), ['health check exit 1', null]);

		assert.deepEqual(byName.get('down')!.containers.map(container => container.state), ['exited']);
		assert.match(byName.get('down')!.reasons.join('; '), /web is exited: exit code 1[34]7/);
		assert.deepEqual(byName.get('empty')!.containers, []);

		const unreachable = byName.get('unreachable')!;
		assert.equal(unreachable.engine.reachable, false);
		assert.match(unreachable.engine.error!, /no socket at .*missing\.sock — is dockerd running\?/);
		assert.match(byName.get('hanging')!.engine.error!, /no answer within 5 s/);
	});

	test('an environment that is healthy exits 0 on its own', async () => {
		const result = await runCli(['status', 'healthy', '--json', '--project', root], {env});
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual((JSON.parse(result.stdout) as {environments: JsonEnvironment[]}).environments.map(environment => environment.name), ['healthy']);
	});

	test('a missing socket comes back unknown within a few seconds', async () => {
		const result = await runCli(['status', 'unreachable', '--json', '--project', root], {env});
		assert.equal(result.code, 1);
		assert.equal((JSON.parse(result.stdout) as {environments: JsonEnvironment[]}).environments[0]?.health, 'unknown');
		assert.ok(result.ms < 3000, `took ${result.ms} ms`);
	});

	test('an engine that never answers is given up on, not waited for', async () => {
		const result = await runCli(['status', 'hanging', '--project', root], {env});
		assert.equal(result.code, 1);
		assert.match(result.stdout, /\? unknown\s+hanging/);
		assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
	});

	test('text status reads without colour and never shows a secret value', async () => {
		const result = await runCli(['status', '--project', root], {env});
		assert.equal(result.code, 1);
		assert.match(result.stdout, /● healthy\s+healthy\s+healthy@[0-9a-f]{7}/);
		assert.match(result.stdout, /▲ degraded\s+degraded\s+degraded@[0-9a-f]{7} · 1 commit pending from healthy/);
		assert.match(result.stdout, /✖ down\s+empty/);
		assert.match(result.stdout, /why: api is unhealthy: health check exit 1/);
		assert.doesNotMatch(result.stdout, /\u001B\[/);
		assert.ok(!result.stdout.includes(secretToken), 'the token value leaked into text output');
		const json = await runCli(['status', '--json', '--project', root], {env});
		assert.ok(!json.stdout.includes(secretToken), 'the token value leaked into JSON output');
		assert.ok(json.stdout.includes('token=••••••'));
	});

	test('an unknown environment is a usage error', async () => {
		const result = await runCli(['status', 'nope', '--project', root], {env});
		assert.equal(result.code, 2);
		assert.match(result.stderr, /no environment "nope" \(known: down, empty, hanging, healthy, degraded, unreachable\)/);
	});

	test('git state: a branch that does not exist is reported, not fatal', async () => {
		git(root, 'branch', '-D', 'empty');
		const result = await runCli(['status', 'empty', '--json', '--project', root], {env});
		const [empty] = (JSON.parse(result.stdout) as {environments: Array<JsonEnvironment & {vcsError: string}>}).environments;
		assert.equal(empty?.commit, null);
		assert.equal(empty?.vcsError, 'branch "empty" does not exist');
	});
});
