import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {startCli} from '../helpers/cli.js';
import {createDemo, type Demo} from '../helpers/demo.js';
import {engineForTests} from '../helpers/docker.js';
import {git} from '../helpers/git.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();

type Status = {environments: Array<{name: string; commit: string; attention: string[]; containers: Array<{commit: string | null; retained: boolean}>}>};

/** Issue 10 #1 and #3: no operation makes a commit unreachable; after an interruption, branch and containers agree. */
describe('reliability: commits and branches', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;

	const running = async (env: string) => {
		const status = JSON.parse((await demo.ops(['status', env, '--json'])).stdout) as Status;
		return status.environments[0]!;
	};

	const runningCommit = async (env: string) => (await running(env)).containers.find(container => !container.retained)?.commit;
	const reachable = (commit: string) => git(demo.root, 'for-each-ref', '--contains', commit, '--format=%(refname)', 'refs/heads', 'refs/tags').length > 0;

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
	});

	test('a failed deploy of the first stage keeps the developer\'s commit on its branch and its files in the work tree', async () => {
		const good = await demo.newDevRelease('Good');
		writeFileSync(path.join(demo.root, 'app', 'broken-dev'), 'breaks dev\n');
		const broken = demo.commit('Break dev');
		try {
			const result = await demo.ops(['deploy', 'dev', '--json']);
			assert.equal(result.code, 1, result.stderr);
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'rolled-back');
			assert.equal(demo.branchHead('dev'), broken, 'dev\'s branch still holds the new commit');
			assert.equal(existsSync(path.join(demo.root, 'app', 'broken-dev')), true, 'and its files are still in the work tree');
			assert.equal(await runningCommit('dev'), good, 'only the containers went back');
		} finally {
			rmSync(path.join(demo.root, 'app', 'broken-dev'));
			demo.commit('Unbreak dev');
		}
	});

	test('a cancelled deploy of the first stage keeps the commit too', async () => {
		await demo.newDevRelease('Before the cancel');
		await demo.withRecipe('deploy.mjs', 'const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nkit.step("slow");\nawait $`sleep 30`;\n', async () => {
			const head = demo.branchHead('dev');
			const cli = startCli(['deploy', 'dev'], {cwd: demo.root});
			await cli.waitFor('• slow');
			cli.signal('SIGINT');
			const result = await cli.done;
			assert.equal(result.code, 130, result.stdout);
			assert.equal(demo.branchHead('dev'), head);
			assert.equal(git(demo.root, 'status', '--porcelain'), '', 'the work tree is as it was');
		});
	});

	test('rolling the first stage back moves its containers, never its branch, and the plan says so', async () => {
		const older = await demo.newDevRelease('Older');
		const newer = await demo.newDevRelease('Newer');
		const result = await demo.ops(['rollback', 'dev', '--to', older]);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.match(result.stdout, /branch: dev stays at [0-9a-f]{7}: it is where developers work, so only the containers go back \(dev then runs 1 commit behind its branch\)/);
		assert.equal(demo.branchHead('dev'), newer);
		assert.equal(await runningCommit('dev'), older);
	});

	test('a rollback moves a later stage\'s branch back only when what it leaves stays reachable', async () => {
		await demo.newDevRelease('For staging');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const before = await runningCommit('staging');
		const promoted = await demo.newDevRelease('Promoted then rolled back');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const back = await demo.ops(['rollback', 'staging', '--to', before!, '--yes']);
		assert.equal(back.code, 0, back.stdout);
		assert.match(back.stdout, /branch: staging moves back to [0-9a-f]{7}; the 1 commit it leaves stay on another branch or release tag/);
		assert.equal(demo.branchHead('staging'), before);
		assert.ok(reachable(promoted), 'the commit it left is still on dev');

		// A commit made on staging's branch alone: rolling back would lose it, so the branch stays.
		git(demo.root, 'checkout', '--quiet', 'staging');
		writeFileSync(path.join(demo.root, 'app', 'hotfix.txt'), 'made on staging only\n');
		git(demo.root, 'add', '--all');
		git(demo.root, 'commit', '--quiet', '--message', 'Hotfix straight on staging');
		const hotfix = git(demo.root, 'rev-parse', 'HEAD');
		git(demo.root, 'checkout', '--quiet', 'dev');
		const deployHotfix = await demo.ops(['deploy', 'staging', '--yes']);
		assert.equal(deployHotfix.code, 0, deployHotfix.stdout);
		const stays = await demo.ops(['rollback', 'staging', '--to', before!, '--yes']);
		assert.equal(stays.code, 0, stays.stdout);
		assert.match(stays.stdout, /branch: staging stays at [0-9a-f]{7}: 1 commit on it is on no other branch or release tag, and moving it back would lose it; only the containers go back/);
		assert.equal(demo.branchHead('staging'), hotfix);
		assert.equal(await runningCommit('staging'), before);
		assert.ok((await running('staging')).attention.some(note => /staging is at [0-9a-f]{7} but staging runs [0-9a-f]{7}/.test(note)), 'status says where branch and containers differ');
		// Put staging's branch back for the other tests: the hotfix was this test's own.
		git(demo.root, 'branch', '--force', 'staging', before!);
	});

	test('nothing force-pushes unless the environment file asks for it', async () => {
		const origin = mkdtempSync(path.join(tmpdir(), 'opsconsole-origin-'));
		resources.defer(() => rmSync(origin, {recursive: true, force: true}));
		git(origin, 'init', '--quiet', '--bare');
		git(demo.root, 'remote', 'add', 'origin', origin);
		resources.defer(() => git(demo.root, 'remote', 'remove', 'origin'));
		git(demo.root, 'push', '--quiet', 'origin', 'dev', 'staging', 'main');
		const before = await demo.newDevRelease('Before pushing');
		git(demo.root, 'push', '--quiet', 'origin', 'dev');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const promoted = await demo.newDevRelease('Pushed by the promotion');
		git(demo.root, 'push', '--quiet', 'origin', 'dev');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		const pushed = git(origin, 'rev-parse', 'refs/heads/staging');
		const back = await demo.ops(['rollback', 'staging', '--to', before, '--yes']);
		assert.equal(back.code, 0, back.stdout);
		assert.match(back.stdout, /origin's staging is left as it is \(set recipes\.forcePush/);
		assert.equal(git(origin, 'rev-parse', 'refs/heads/staging'), pushed, 'origin was not rewritten');

		// Rolled back from staging, the commit is held there until someone says it is safe again.
		assert.equal((await demo.ops(['hold', 'release', 'staging', promoted, '--reason', 'promoted again to test forcePush'])).code, 0);
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		await demo.withEnvironmentFile('staging', text => `${text}recipes: { forcePush: true }\n`, async () => {
			const forced = await demo.ops(['rollback', 'staging', '--to', before, '--yes']);
			assert.equal(forced.code, 0, forced.stdout);
			assert.match(forced.stdout, /pushed staging to origin \(recipes\.forcePush is set\)/);
			assert.equal(git(origin, 'rev-parse', 'refs/heads/staging'), before);
		});
	});

	test('an interrupt after the promote recipe moved the branch puts the branch back; the record says nothing was deployed', async () => {
		await demo.newDevRelease('Promote me, then stop');
		const stagingBefore = demo.branchHead('staging');
		const promote = readFileSync(path.join(demo.root, 'recipes', 'promote.mjs'), 'utf8')
			.replace("kit.step('tag release');", () => "kit.step('slow after the fast-forward');\nawait $`sleep 30`;\nkit.step('tag release');");
		await demo.withRecipe('promote.mjs', promote, async () => {
			const committed = demo.branchHead('dev');
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0, 'dev runs the commit that changed the recipe');
			const cli = startCli(['promote', 'dev', 'staging', '--yes', '--json'], {cwd: demo.root});
			await cli.waitFor('• slow after the fast-forward');
			assert.equal(demo.branchHead('staging'), committed, 'the recipe had moved the branch');
			cli.signal('SIGINT');
			const result = await cli.done;
			assert.equal(result.code, 130, result.stderr);
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'aborted');
			assert.match(release.error ?? '', /promote\.mjs was cancelled; nothing was deployed, and staging is back at [0-9a-f]{7}/);
			assert.deepEqual(release.steps.map(step => [step.id, step.ok]), [['promote', false], ['restore-branch', true], ['record', true]]);
			assert.equal(demo.branchHead('staging'), stagingBefore, 'the branch is back');
			assert.equal(git(demo.root, 'tag', '--list', `opsconsole/staging/${release.id}`), '', 'no tag names a release that never ran');
			assert.deepEqual((await running('staging')).attention, [], 'branch and containers agree');
		});
	});
});
