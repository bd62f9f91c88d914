import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {binary, startCli} from '../helpers/cli.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests} from '../helpers/docker.js';
import {processAlive} from '../helpers/processes.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();

type Status = {environments: Array<{name: string; attention: string[]}>};

/** Issue 10 #2 and #11: nothing runs unwatched, every ending is recorded, output never kills an operation. */
describe('reliability: processes, signals and recipes', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const history = async (env: string) => (JSON.parse((await demo.ops(['history', env, '--json'])).stdout) as {releases: ReleaseRecord[]}).releases;
	const audit = () => readFileSync(path.join(demo.root, '.opsconsole', 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {action: string; outcome: string; release?: string; detail?: string});
	const locks = async () => (await demo.ops(['locks'])).stdout;

	/** A deploy recipe whose child sleeps (writing its pid), so a test can stop opsconsole mid-recipe. */
	const sleeperRecipe = (pidFile: string) => `const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nkit.step("long build");\nawait $\`sleep 60 & echo $! > ${pidFile}; wait\`;\n`;

	const waitForFile = async (file: string) => {
		const deadline = Date.now() + 10_000;
		while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
			if (Date.now() > deadline) throw new Error(`${file} never appeared`);
			await new Promise(resolve => setTimeout(resolve, 20));
		}

		return Number(readFileSync(file, 'utf8'));
	};

	const waitUntilGone = async (pid: number, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		while (processAlive(pid)) {
			if (Date.now() > deadline) return false;
			await new Promise(resolve => setTimeout(resolve, 50));
		}

		return true;
	};

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
	});

	test('kill -9 of opsconsole mid-deploy: the recipe dies with it; the next run finds the release interrupted and says how to recover', async () => {
		await demo.newDevRelease('Before the kill');
		const pidFile = path.join(demo.root, 'sleeper-9.pid');
		resources.defer(() => rmSync(pidFile, {force: true}));
		await demo.withRecipe('deploy.mjs', sleeperRecipe(pidFile), async () => {
			const cli = startCli(['--operator', demoOperator, 'deploy', 'dev'], {cwd: demo.root});
			await cli.waitFor('• long build');
			const sleeper = await waitForFile(pidFile);
			cli.signal('SIGKILL');
			await cli.done;
			assert.ok(await waitUntilGone(sleeper, 8000), 'the recipe\'s child was stopped within the grace period, though opsconsole never saw a signal');
		});

		const status = JSON.parse((await demo.ops(['status', 'dev', '--json'])).stdout) as Status;
		const attention = status.environments[0]!.attention.join('\n');
		assert.match(attention, /deploy dev-\S+ by ops@example\.test was interrupted during deploy recipe \(deploy\.mjs\) \(opsconsole died\): its containers still run [0-9a-f]{7}, as before/);
		assert.match(attention, /its lock is held by process \d+ on .*, which is gone — `opsconsole unlock dev --force` breaks it/);
		const [interrupted] = (await history('dev')).filter(record => record.kind === 'deploy');
		assert.equal(interrupted?.outcome, 'interrupted');
		assert.equal(audit().filter(entry => entry.release === interrupted!.id && entry.outcome === 'interrupted').length, 1, 'audited once, however often it is read');
		await demo.ops(['status', '--json']);
		assert.equal(audit().filter(entry => entry.release === interrupted!.id && entry.outcome === 'interrupted').length, 1);
		assert.equal((await demo.ops(['unlock', 'dev', '--force'])).code, 0);
	});

	for (const [signal, code] of [['SIGHUP', 129], ['SIGTERM', 143]] as const) {
		test(`${signal} (${signal === 'SIGHUP' ? 'an SSH session dropping' : 'a service manager stopping it'}) cancels: recipe stopped, recorded, lock freed, exit ${code}`, async () => {
			await demo.newDevRelease(`Before ${signal}`);
			const pidFile = path.join(demo.root, `sleeper-${signal}.pid`);
			resources.defer(() => rmSync(pidFile, {force: true}));
			await demo.withRecipe('deploy.mjs', sleeperRecipe(pidFile), async () => {
				const cli = startCli(['--operator', demoOperator, 'deploy', 'dev'], {cwd: demo.root});
				await cli.waitFor('• long build');
				const sleeper = await waitForFile(pidFile);
				cli.signal(signal);
				const result = await cli.done;
				assert.equal(result.code, code, result.stdout + result.stderr);
				assert.match(result.stdout, new RegExp(`cancelling \\(${signal}\\)`));
				assert.equal(processAlive(sleeper), false);
			});

			const deploy = (await history('dev')).find(record => record.kind === 'deploy');
			assert.equal(deploy?.outcome, 'aborted');
			assert.match(await locks(), /no locks held/);
		});
	}

	test('a closed stdout (| head -2) never ends an operation: it still finishes, records and unlocks', async () => {
		const commit = demo.newDevCommit('Piped into head');
		const stderr = path.join(demo.root, 'piped.stderr');
		resources.defer(() => rmSync(stderr, {force: true}));
		// The shell waits for both ends of the pipe: when it is done, so is opsconsole.
		await new Promise(resolve => {
			const shell = spawn('sh', ['-c', `"${process.execPath}" "${binary}" --operator ${demoOperator} deploy dev 2>"${stderr}" | head -2 >/dev/null`], {cwd: demo.root, env: {...process.env, NO_COLOR: '1'}});
			shell.on('close', resolve);
		});
		const [latest] = await history('dev');
		assert.equal(latest?.commit, commit);
		assert.equal(latest?.outcome, 'succeeded');
		assert.doesNotMatch(readFileSync(stderr, 'utf8'), /EPIPE|\n\s+at /, 'no crash, no stack trace');
		assert.match(await locks(), /no locks held/);
	});

	test('a recipe that hangs is stopped at recipes.timeoutMs and rolled back; the record says it timed out', async () => {
		await demo.newDevRelease('Before the hang');
		// The bound applies to the rollback recipe too, which on a loaded machine takes a few seconds.
		await demo.withEnvironmentFile('dev', text => text.replace('verify: {', 'recipes: { timeoutMs: 6000 }\nverify: {'), async () => {
			await demo.withRecipe('deploy.mjs', 'const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nkit.step("hang");\nprocess.on("SIGTERM", () => undefined);\nawait new Promise(() => setInterval(() => undefined, 1000));\n', async () => {
				const started = Date.now();
				const result = await demo.ops(['deploy', 'dev', '--json']);
				assert.equal(result.code, 1, result.stderr);
				const release = JSON.parse(result.stdout) as ReleaseRecord;
				assert.match(release.error ?? '', /deploy\.mjs timed out after \d+ s; rolled back to [0-9a-f]{7}/);
				assert.ok(Date.now() - started < 45_000, 'bounded by the timeout and the grace period, not 15 minutes');
			});
		});
	});

	test('a recipe that floods its output (one 50 MB line, 100 000 more) costs bounded memory; the log keeps what it says it keeps', async () => {
		await demo.newDevRelease('Before the flood');
		const flood = [
			'const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);',
			'kit.step("flood");',
			'const chunk = "x".repeat(1024 * 1024);',
			'for (let i = 0; i < 50; i++) process.stdout.write(chunk);',
			'process.stdout.write("\\n");',
			'for (let i = 0; i < 100000; i++) console.log(`line ${i}`);',
			'throw new Error("flooded on purpose");',
		].join('\n');
		await demo.withRecipe('deploy.mjs', flood, async () => {
			// A heap this small would not hold one copy of the 50 MB line.
			const result = await demo.ops(['deploy', 'dev', '--json'], {NODE_OPTIONS: '--max-old-space-size=48'});
			assert.equal(result.code, 1, result.stderr.slice(-2000));
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			const log = readFileSync(release.logFile!, 'utf8');
			assert.match(log, /x{1000} … \[line cut at 64 KiB\]/);
			assert.match(log, /^line 99999$/m);
			assert.ok((release.error ?? '').length < 600, 'the reason on record is a line, not the flood');
		});
	});
});
