import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {binary} from '../helpers/cli.js';
import {createDemo, type Demo} from '../helpers/demo.js';
import {engineForTests, newRunId} from '../helpers/docker.js';
import {Resources} from '../helpers/temp.js';
import {TmuxSession} from '../helpers/tmux.js';

type Status = {environments: Array<{health: string; containers: Array<{commit: string | null; retained: boolean}>}>};

const engine = await engineForTests();

describe('rollback (and the promotion wizard) against a real engine and real git', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const commits: Record<string, string> = {};

	const running = async (env: string) => {
		const status = JSON.parse((await demo.ops(['status', env, '--json'])).stdout) as Status;
		return status.environments[0]!.containers.find(container => !container.retained)?.commit;
	};

	const history = async (env: string) => (JSON.parse((await demo.ops(['history', env, '--json'])).stdout) as {releases: ReleaseRecord[]}).releases;

	/** Makes `env` run `commit` (a rollback, or a roll forward, to it), so each test starts from a state it names. */
	const putOn = async (env: string, commit: string) => {
		if (await running(env) === commit) return;
		const result = await demo.ops(['rollback', env, '--to', commit, '--confirm', env]);
		assert.equal(result.code, 0, result.stdout + result.stderr);
	};

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
		commits['v1'] = demo.branchHead('dev');
		for (const version of ['v2', 'v3']) {
			writeFileSync(path.join(demo.root, 'app', 'index.html'), `<h1>${version} @ENV@</h1>\n`);
			commits[version] = demo.commit(version);
			const deployed = await demo.ops(['deploy', 'dev']);
			assert.equal(deployed.code, 0, deployed.stdout);
		}
	});

	test('without --to: the newest earlier succeeded release, branch and containers, no rebuild', async () => {
		await putOn('dev', commits['v2']!);
		await putOn('dev', commits['v3']!);
		const result = await demo.ops(['rollback', 'dev', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const release = JSON.parse(result.stdout) as ReleaseRecord;
		assert.equal(release.kind, 'rollback');
		assert.equal(release.outcome, 'succeeded');
		assert.equal(release.commit, commits['v2']);
		assert.equal(release.previous, commits['v3']);
		assert.match(result.stderr, /reusing .*web:/);
		assert.doesNotMatch(result.stderr, /built /);
		assert.equal(demo.branchHead('dev'), commits['v3'], 'dev is where developers work: its branch stays');
		assert.match(result.stderr, /branch: dev stays at [0-9a-f]{7}: it is where developers work, so only the containers go back/);
		assert.equal(await running('dev'), commits['v2']);
		const recipeMs = release.steps.find(step => step.id === 'rollback')?.ms ?? Number.POSITIVE_INFINITY;
		assert.ok(recipeMs < 5000, `the rollback recipe took ${recipeMs} ms with the image present`);
	});

	test('--to a release id, and --to a commit prefix', async () => {
		await putOn('dev', commits['v2']!);
		const [first] = (await history('dev')).filter(record => record.commit === commits['v1']);
		const byRelease = await demo.ops(['rollback', 'dev', '--to', first!.id]);
		assert.equal(byRelease.code, 0, byRelease.stdout);
		assert.equal(demo.branchHead('dev'), commits['v3']);
		assert.equal(await running('dev'), commits['v1']);

		const byCommit = await demo.ops(['rollback', 'dev', '--to', commits['v3']!.slice(0, 8)]);
		assert.equal(byCommit.code, 0, byCommit.stdout);
		assert.equal(await running('dev'), commits['v3']);
	});

	test('an unknown target: a clear message, exit 2, nothing changed', async () => {
		const releasesBefore = (await history('dev')).length;
		const headBefore = demo.branchHead('dev');
		for (const wanted of ['no-such-release', 'deadbeef']) {
			const result = await demo.ops(['rollback', 'dev', '--to', wanted]);
			assert.equal(result.code, 2);
			assert.match(result.stderr, new RegExp(`no release or commit "${wanted}" to roll dev back to \\(recent: `));
		}

		assert.equal(demo.branchHead('dev'), headBefore);
		assert.equal((await history('dev')).length, releasesBefore);
	});

	test('a protected environment without confirmation, and a locked one, refuse with exit 3', async () => {
		await putOn('dev', commits['v3']!);
		if (await running('staging') !== commits['v3']) assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const stagingHead = demo.branchHead('staging');
		const unconfirmed = await demo.ops(['rollback', 'staging']);
		assert.equal(unconfirmed.code, 3);
		assert.match(unconfirmed.stdout, /needs confirmation and there is no terminal to ask: pass --yes/);
		assert.equal(demo.branchHead('staging'), stagingHead);

		assert.equal((await demo.ops(['lock', 'staging', '--message', 'incident 42'])).code, 0);
		const locked = await demo.ops(['rollback', 'staging', '--yes']);
		assert.equal(locked.code, 3);
		assert.match(locked.stdout, /staging is locked by .*incident 42/);
		assert.equal((await demo.ops(['unlock', 'staging'])).code, 0);
		assert.equal(demo.branchHead('staging'), stagingHead);
	});

	test('the picker in a real terminal: list, choose, confirm, exit 0', async () => {
		await putOn('dev', commits['v3']!);
		if (await running('staging') !== commits['v3']) assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const tmux = new TmuxSession(newRunId());
		resources.defer(() => tmux.kill());
		const exitFile = path.join(demo.root, 'picker-exit');
		const before = await running('staging');
		tmux.start(`cd ${demo.root} && env -u CI ${process.execPath} ${binary} rollback staging; echo $? > ${exitFile}; sleep 60`);
		let screen = await tmux.waitFor(/rollback · staging · choose/);
		screen = await tmux.waitFor(/undoes \d+ commits?:/);
		assert.match(screen, /\(running\)/);
		assert.match(screen, /succeeded +instant/);
		tmux.sendKeys('Enter');
		await tmux.waitFor(/Go ahead\? \[y\/N\]/);
		tmux.sendKeys('y');
		screen = await tmux.waitFor(/succeeded: release staging-/, 30_000);
		assert.match(screen, /✔ verify staging/);
		tmux.sendKeys('x');
		const deadline = Date.now() + 5000;
		while (!existsSync(exitFile) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
		assert.notEqual(await running('staging'), before);
	});

	test('the promotion wizard in a real terminal: choose dev → staging, confirm, succeeded, exit 0', async () => {
		writeFileSync(path.join(demo.root, 'app', 'index.html'), '<h1>wizard @ENV@</h1>\n');
		const commit = demo.commit('Promoted by the wizard');
		assert.equal((await demo.ops(['deploy', 'dev'])).code, 0);
		const tmux = new TmuxSession(newRunId());
		resources.defer(() => tmux.kill());
		const exitFile = path.join(demo.root, 'wizard-exit');
		tmux.start(`cd ${demo.root} && env -u CI ${process.execPath} ${binary} promote; echo $? > ${exitFile}; sleep 60`);
		await tmux.waitFor(/from which environment\?[\s\S]*❯ dev → staging/);
		tmux.sendKeys('Enter');
		await tmux.waitFor(/promote dev · to which environment\?[\s\S]*❯ staging/);
		tmux.sendKeys('Enter');
		const plan = await tmux.waitFor(/Enter continue to preflight/, 15_000);
		assert.match(plan, /Promoted by the wizard/);
		tmux.sendKeys('Enter');
		const confirm = await tmux.waitFor(/Go ahead\? \[y\/N\]/, 15_000);
		assert.match(confirm, /✔ lock free/);
		tmux.sendKeys('y');
		const outcome = await tmux.waitFor(/succeeded: release staging-/, 60_000);
		assert.match(outcome, /✔ verify staging/);
		tmux.sendKeys('x');
		const deadline = Date.now() + 5000;
		while (!existsSync(exitFile) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
		assert.equal(demo.branchHead('staging'), commit);
		assert.equal(await running('staging'), commit);
	});
});
