import assert from 'node:assert/strict';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {binary, runCli, startCli} from '../helpers/cli.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests} from '../helpers/docker.js';
import {git} from '../helpers/git.js';
import {processAlive} from '../helpers/processes.js';
import {Resources} from '../helpers/temp.js';
import {TmuxSession} from '../helpers/tmux.js';

async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
		if (Date.now() > deadline) throw new Error(`${file} never appeared`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

type Status = {environments: Array<{name: string; health: string; commit: string; release: string | null; containers: Array<{commit: string | null; state: string; retained: boolean}>}>};

const engine = await engineForTests();

/**
 * One demo stack for the file; every test first puts the environments it uses in the state it
 * needs and undoes what it changes, so the tests hold in any order.
 */
describe('demo, deploy and promotion against a real engine and real git', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;

	const status = async (env: string) => {
		const result = await demo.ops(['status', env, '--json']);
		return (JSON.parse(result.stdout) as Status).environments[0]!;
	};

	const history = async (env?: string) => (JSON.parse((await demo.ops(['history', ...(env ? [env] : []), '--json'])).stdout) as {releases: ReleaseRecord[]}).releases;
	const audit = () => readFileSync(path.join(demo.root, '.opsconsole', 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, string>);
	const freshDevRelease = async (label: string) => demo.newDevRelease(label);

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
	});

	test('demo up leaves all three environments healthy, and running it again changes nothing', async () => {
		const first = await runCli(['demo', 'up', '--dir', demo.root], {timeoutMs: 120_000});
		assert.equal(first.code, 0, first.stdout + first.stderr);
		const all = await demo.ops(['status', '--json']);
		assert.equal(all.code, 0, all.stdout);
		const releasesBefore = (await history()).length;
		const again = await runCli(['demo', 'up', '--dir', demo.root], {timeoutMs: 60_000});
		assert.equal(again.code, 0, again.stderr);
		for (const env of ['dev', 'staging', 'production']) assert.match(again.stdout, new RegExp(`${env}: already healthy`));
		assert.equal((await history()).length, releasesBefore, 'no deploy on the second run');
	});

	test('deploy labels containers with the release and keeps the previous one for rollback', async () => {
		writeFileSync(path.join(demo.root, 'app', 'index.html'), '<h1>labels @ENV@</h1>\n');
		const commit = demo.commit('Homepage for labels');
		const result = await demo.ops(['deploy', 'dev', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const release = JSON.parse(result.stdout) as ReleaseRecord;
		assert.equal(release.outcome, 'succeeded');
		assert.equal(release.commit, commit);
		assert.deepEqual(release.steps.map(step => [step.id, step.ok]), [['deploy', true], ['verify', true], ['record', true]]);

		const containers = await engine.docker!.listContainers({all: true, filters: {label: [`opsconsole.release=${release.id}`]}});
		assert.equal(containers.length, 1);
		const labels = containers[0]!.Labels;
		assert.equal(labels['opsconsole.commit'], commit);
		assert.equal(labels['opsconsole.env'], 'dev');
		assert.equal(labels['opsconsole.service'], 'web');
		assert.equal(labels['opsconsole.project'], demo.slug);
		assert.equal(labels['com.docker.compose.service'], 'web');
		const dev = await status('dev');
		assert.equal(dev.health, 'healthy');
		assert.deepEqual(dev.containers.filter(container => !container.retained).map(container => [container.state, container.commit]), [['running', commit]]);
		assert.ok(dev.containers.some(container => container.retained && container.state === 'exited'), 'the previous container is kept, stopped');
	});

	test('a promotion that succeeds moves the branch, tags the release and runs the commit', async () => {
		const commit = await freshDevRelease('Promote me');
		const result = await demo.ops(['promote', 'dev', 'staging', '--yes']);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.match(result.stdout, /preflight:\n(  ✔ .*\n)+running; full log: /);
		assert.match(result.stdout, /succeeded: release staging-/);
		assert.equal(demo.branchHead('staging'), commit);
		const staging = await status('staging');
		assert.equal(staging.health, 'healthy');
		assert.equal(staging.containers.find(container => !container.retained)?.commit, commit);
		const [latest] = await history('staging');
		assert.equal(latest?.kind, 'promotion');
		assert.equal(latest?.from, 'dev');
		assert.equal(latest?.outcome, 'succeeded');
		assert.deepEqual(latest?.steps.map(step => [step.id, step.ok]), [['promote', true], ['deploy', true], ['verify', true], ['record', true]]);
		assert.match(git(demo.root, 'tag', '--list', 'opsconsole/staging/*'), new RegExp(latest!.id));
		assert.ok(audit().some(entry => entry.action === 'promote dev→staging' && entry.outcome === 'succeeded' && entry.operator === demoOperator));
	});

	test('a promotion of a commit that breaks the target is rolled back automatically, exit 1', async () => {
		await freshDevRelease('Before the break');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const good = demo.branchHead('staging');
		writeFileSync(path.join(demo.root, 'app', 'broken-staging'), '');
		const broken = demo.commit('Break staging only');
		try {
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0, 'the break only affects staging');
			const result = await demo.ops(['promote', 'dev', 'staging', '--yes', '--json']);
			assert.equal(result.code, 1, result.stderr);
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'rolled-back');
			assert.equal(release.commit, broken);
			assert.match(release.error ?? '', /verification failed: web is unhealthy: health check exit 1: wget: server returned error: HTTP\/1\.1 503 Service Unavailable; rolled back to/, 'the cause, in the engine\'s words');
			assert.match(result.stderr, /rolling staging back to [0-9a-f]{7} automatically/);
			assert.match(result.stderr, /rolled-back: release/);

			assert.equal(demo.branchHead('staging'), good, 'the branch is back');
			const staging = await status('staging');
			assert.equal(staging.health, 'healthy');
			assert.equal(staging.containers.find(container => !container.retained)?.commit, good, 'the containers are back');
			assert.equal(staging.release, release.rolledBackTo);
			const rollback = (await history('staging')).find(record => record.id === release.rolledBackTo);
			assert.equal(rollback?.kind, 'rollback');
			assert.equal(rollback?.outcome, 'succeeded');
			assert.deepEqual(rollback?.steps.map(step => step.id), ['revert', 'verify-revert']);
			assert.equal((await demo.ops(['locks', '--json'])).stdout.includes('"env"'), false, 'no lock left behind');
		} finally {
			rmSync(path.join(demo.root, 'app', 'broken-staging'));
			demo.commit('Unbreak staging');
		}
	});

	/**
	 * Staging runs a good release and dev a commit that breaks staging only; `body` gets staging's good
	 * head and a tmux session in which to promote it with `--on-failure pause`. Everything is put back.
	 */
	const withPausedPromotion = async (label: string, body: (context: {good: string; tmux: TmuxSession; promote: (after?: string) => void}) => Promise<void>) => {
		await freshDevRelease(`Before ${label}`);
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const good = demo.branchHead('staging');
		writeFileSync(path.join(demo.root, 'app', 'broken-staging'), '');
		demo.commit(`Break staging for ${label}`);
		const tmux = new TmuxSession(`${label.replace(/\W/g, '')}${process.pid}`);
		try {
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0);
			await body({good, tmux, promote: (after = '') => tmux.start(`env -u CI ${process.execPath} ${binary} --operator ${demoOperator} --project ${demo.root} promote dev staging --yes --on-failure pause${after}`, 120, 40)});
		} finally {
			tmux.kill();
			rmSync(path.join(demo.root, 'app', 'broken-staging'));
			demo.commit(`Unbreak staging after ${label}`);
		}
	};

	test('--on-failure pause at a terminal asks what to do about the failed verification; b rolls back', async () => {
		await withPausedPromotion('the guided failure', async ({good, tmux, promote}) => {
			const exitFile = path.join(demo.root, '.opsconsole', 'paused-exit');
			promote(`; echo $? > ${exitFile}; sleep 60`);
			const screen = await tmux.waitFor(/What now\? r retry, b roll back \([0-9a-f]{7}\), a leave it as it is,\s+then\s+Enter/, 120_000);
			assert.match(screen, /verify staging — web is unhealthy: health check exit 1/, 'the cause, in the engine\'s words');
			assert.match(screen, /nobody choosing:\s+rolls\s+back\s+in\s+\d/, 'the countdown (the pane may wrap it)');
			tmux.sendKeys('b', 'Enter');
			await tmux.waitFor(/rolled-back: release staging-/, 120_000);
			await waitForFile(exitFile);
			assert.equal(readFileSync(exitFile, 'utf8').trim(), '1');
			assert.equal(demo.branchHead('staging'), good, 'rolled back: the branch too');
			assert.ok(audit().some(entry => entry.action === 'promote dev→staging' && entry.outcome === 'failure: rollback' && /chosen by ops@example\.test/.test(entry.detail ?? '')));
		});
	});

	test('the terminal dropping while the failure question waits (an SSH session lost): the fallback rolls back, audited as a cancel', async () => {
		await withPausedPromotion('the dropped terminal', async ({good, tmux, promote}) => {
			// Only this promotion's outcome counts, not an earlier test's.
			const earlier = audit().length;
			promote();
			await tmux.waitFor(/What now\?/, 120_000);
			tmux.kill();
			const deadline = Date.now() + 60_000;
			while (!audit().slice(earlier).some(entry => entry.action === 'promote dev→staging' && entry.outcome === 'aborted' && /rolled back to/.test(entry.detail ?? ''))) {
				if (Date.now() > deadline) throw new Error(`no recorded outcome; the audit ends with ${JSON.stringify(audit().slice(-2))}`);
				await new Promise(resolve => setTimeout(resolve, 200));
			}

			assert.ok(audit().slice(earlier).some(entry => entry.outcome === 'failure: rollback' && /chosen by a cancel/.test(entry.detail ?? '')));
			assert.equal(demo.branchHead('staging'), good, 'rolled back: the branch too');
			assert.equal((await demo.ops(['locks', '--json'])).stdout.includes('"env"'), false, 'no lock left behind');
		});
	});

	test('production is refused without --confirm, even with --yes, and nothing changes', async () => {
		await freshDevRelease('For production');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const before = demo.branchHead('main');
		const result = await demo.ops(['promote', 'staging', 'production', '--yes']);
		assert.equal(result.code, 3);
		assert.match(result.stdout, /needs confirmation and there is no terminal to ask: pass --confirm production/);
		assert.equal(demo.branchHead('main'), before);
		const confirmed = await demo.ops(['promote', 'staging', 'production', '--confirm', 'production']);
		assert.equal(confirmed.code, 0, confirmed.stdout);
		assert.equal(demo.branchHead('main'), demo.branchHead('staging'));
	});

	test('a held lock refuses, and only --force breaks a stale one (audited)', async () => {
		const locked = await demo.ops(['lock', 'dev', '--message', 'database maintenance']);
		assert.equal(locked.code, 0, locked.stderr);
		try {
			const refused = await demo.ops(['deploy', 'dev']);
			assert.equal(refused.code, 3);
			assert.match(refused.stdout, /dev is locked by ops@example\.test .*manual lock: database maintenance/);
			assert.match((await demo.ops(['locks'])).stdout, /^dev: ops@example\.test/m);
		} finally {
			assert.equal((await demo.ops(['unlock', 'dev'])).code, 0);
		}

		const lockFile = path.join(demo.root, '.opsconsole', 'locks', 'dev.lock');
		writeFileSync(lockFile, JSON.stringify({env: 'dev', operator: 'ghost@example.test', host: (await import('node:os')).hostname(), pid: 999_999, since: '2026-01-01T00:00:00Z', action: 'deploy', message: null}));
		const stale = await demo.ops(['deploy', 'dev']);
		assert.equal(stale.code, 3);
		assert.match(stale.stdout, /stale: process 999999 .* is gone — the holder is gone: opsconsole unlock dev --force/);
		assert.equal((await demo.ops(['unlock', 'dev'])).code, 3, 'someone else\'s lock needs --force');
		const forced = await demo.ops(['unlock', 'dev', '--force']);
		assert.equal(forced.code, 0, forced.stderr);
		assert.equal(existsSync(lockFile), false);
		assert.ok(audit().some(entry => entry.action === 'unlock --force' && entry.outcome === 'succeeded' && /ghost@example\.test/.test(entry.detail ?? '')));
	});

	test('two promotions started at once: exactly one runs', async () => {
		await freshDevRelease('Race');
		const promotionsBefore = (await history('staging')).filter(record => record.kind === 'promotion').length;
		const results = await Promise.all([demo.ops(['promote', 'dev', 'staging', '--yes']), demo.ops(['promote', 'dev', 'staging', '--yes'])]);
		const codes = results.map(result => result.code).sort();
		assert.deepEqual(codes, [0, 3], results.map(result => result.stdout).join('\n----\n'));
		assert.equal((await history('staging')).filter(record => record.kind === 'promotion').length, promotionsBefore + 1);
	});

	test('a dry run says what it would do and changes nothing, history included', async () => {
		const releasesBefore = (await history()).length;
		const stagingBefore = demo.branchHead('staging');
		writeFileSync(path.join(demo.root, 'app', 'index.html'), '<h1>dry @ENV@</h1>\n');
		demo.commit('A change to try dry');
		const result = await demo.ops(['deploy', 'dev', '--dry-run']);
		assert.equal(result.code, 0, result.stdout);
		assert.match(result.stdout, /dry run: would deploy [0-9a-f]{7} to dev: web/);
		assert.match(result.stdout, /- verify dev: skipped \(dry run\)/);
		assert.equal((await history()).length, releasesBefore);
		assert.equal(demo.branchHead('staging'), stagingBefore);
		assert.ok(audit().some(entry => entry.action === 'deploy (dry run)'));
	});

	test('a recipe that crashes mid-way is recorded, rolled back, and leaves a free lock', async () => {
		const running = await freshDevRelease('Before the crash');
		writeFileSync(path.join(demo.root, 'app', 'index.html'), '<h1>crash @ENV@</h1>\n');
		demo.commit('Deployed by a crashing recipe');
		const deployRecipe = path.join(demo.root, 'recipes', 'deploy.mjs');
		const original = readFileSync(deployRecipe, 'utf8');
		writeFileSync(deployRecipe, 'const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nkit.step("half way");\nconsole.log("about to crash");\nthrow new Error("recipe crashed on purpose");\n');
		try {
			const result = await demo.ops(['deploy', 'dev', '--json']);
			assert.equal(result.code, 1, result.stderr);
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'rolled-back', 'dev ran an earlier commit, so it went back to it');
			assert.match(release.error ?? '', new RegExp(`deploy\\.mjs exited with code 1: .*recipe crashed on purpose.*; rolled back to ${running.slice(0, 7)}`));
			assert.equal(release.steps[0]?.ok, false);
			assert.match(readFileSync(release.logFile!, 'utf8'), /about to crash/);
		} finally {
			writeFileSync(deployRecipe, original);
		}

		assert.match((await demo.ops(['locks'])).stdout, /no locks held/);
		assert.equal((await status('dev')).health, 'healthy');
	});

	test('a deploy cancelled mid-way stops the recipe and the processes it started, records aborted and frees the lock', async () => {
		// A commit of its own: the one the crash above rolled back is held in dev.
		demo.newDevCommit('Deployed and cancelled');
		const deployRecipe = path.join(demo.root, 'recipes', 'deploy.mjs');
		const original = readFileSync(deployRecipe, 'utf8');
		const pidFile = path.join(demo.root, 'sleeper.pid');
		writeFileSync(deployRecipe, `const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nkit.step("long build");\nawait $\`sleep 30 & echo $! > ${pidFile}; wait\`;\n`);
		try {
			const running = startCli(['deploy', 'dev'], {cwd: demo.root});
			await running.waitFor('• long build');
			const deadline = Date.now() + 5000;
			while (!existsSync(pidFile) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
			const sleeper = Number(readFileSync(pidFile, 'utf8'));
			assert.ok(processAlive(sleeper), 'the recipe\'s child runs');
			running.signal('SIGINT');
			const result = await running.done;
			assert.equal(result.code, 130, result.stdout);
			assert.match(result.stdout, /cancelling \(SIGINT\): stopping the recipe/);
			assert.match(result.stdout, /aborted: release dev-/);
			assert.equal(processAlive(sleeper), false, 'the recipe\'s child was stopped with it');
		} finally {
			writeFileSync(deployRecipe, original);
			rmSync(pidFile, {force: true});
		}

		const cancelled = (await history('dev')).find(record => record.kind === 'deploy');
		assert.equal(cancelled?.outcome, 'aborted');
		assert.match(cancelled?.error ?? '', /deploy\.mjs was cancelled; rolled back to [0-9a-f]{7}/, 'the deploy had begun, so dev went back to what ran before');
		assert.match((await demo.ops(['locks'])).stdout, /no locks held/);
	});

	test('a branch name full of shell metacharacters does no harm', async () => {
		const branch = 'rel;$(touch${IFS}pwned)&&`touch${IFS}pwned2`|x';
		git(demo.root, 'branch', '--force', branch, demo.branchHead('staging'));
		const environmentFile = path.join(demo.root, 'environments', 'staging.yaml');
		const original = readFileSync(environmentFile, 'utf8');
		writeFileSync(environmentFile, original.replace('branch: staging', `branch: '${branch}'`));
		try {
			const commit = demo.commit('Staging follows a branch with a hostile name');
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0);
			const result = await demo.ops(['promote', 'dev', 'staging', '--yes']);
			assert.equal(result.code, 0, result.stdout);
			assert.equal(git(demo.root, 'rev-parse', `refs/heads/${branch}`), commit);
			for (const file of ['pwned', 'pwned2']) {
				assert.equal(existsSync(path.join(demo.root, file)), false, `${file} was created: a value reached a shell unquoted`);
			}
		} finally {
			writeFileSync(environmentFile, original);
			demo.commit('Staging follows its own branch again');
		}
	});
});
