import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {appendFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {GitRepository} from '../../source/vcs/git-repository.js';
import {commitOn, initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const resources = new Resources();
after(async () => resources.release());

test('concurrent reads of one branch share a git call; the next read sees the branch move', async () => {
	const root = temporaryFolder(resources, 'opsconsole-git-');
	const first = initRepository(root, ['staging']);
	const repository = new GitRepository(root);
	assert.deepEqual(await Promise.all([repository.branchHead('staging'), repository.branchHead('staging'), repository.branchHead('main')]), [first, first, first]);
	const moved = commitOn(root, 'staging', 'later');
	assert.equal(await repository.branchHead('staging'), moved, 'nothing is kept once a read has finished');
	assert.equal(await repository.branchHead('nowhere'), undefined);
});

test('a commit has nothing between itself and itself, and contains itself', async () => {
	const root = temporaryFolder(resources, 'opsconsole-git-');
	const first = initRepository(root, ['staging']);
	const later = commitOn(root, 'staging', 'later');
	const repository = new GitRepository(root);
	assert.deepEqual(await repository.commitsBetween(first, first), []);
	assert.deepEqual((await repository.commitsBetween(first, later)).map(commit => commit.subject), ['later']);
	assert.equal(await repository.isAncestor(later, later), true);
	assert.equal(await repository.isAncestor(first, later), true);
	assert.equal(await repository.isAncestor(later, first), false);
});

test('clean means no change to a tracked file: an untracked one (a report just written) does not count', async () => {
	const root = temporaryFolder(resources, 'opsconsole-git-');
	writeFiles(root, {'environments/staging.yaml': 'name: staging\n'});
	initRepository(root);
	const repository = new GitRepository(root);
	assert.equal(await repository.isClean(), true);
	writeFileSync(path.join(root, 'chk-staging-20261123-101500-000.md'), '# checklist\n');
	assert.equal(await repository.isClean(), true);
	appendFileSync(path.join(root, 'environments', 'staging.yaml'), '# edited\n');
	assert.equal(await repository.isClean(), false);
});

test('reads leave no timer behind to hold the process open, and an unset config key reads as undefined', async () => {
	const root = temporaryFolder(resources, 'opsconsole-git-');
	const first = initRepository(root, ['staging']);
	execFileSync('git', ['config', 'opsconsole.owner', 'ops@example.com'], {cwd: root});
	const repository = new GitRepository(root);
	const timers = () => process.getActiveResourcesInfo().filter(resource => resource === 'Timeout').length;
	const before = timers();
	assert.equal(await repository.configValue('opsconsole.unset'), undefined);
	assert.equal(await repository.configValue('opsconsole.owner'), 'ops@example.com');
	assert.equal(await repository.isClean(), true);
	const later = commitOn(root, 'staging', 'later');
	assert.deepEqual(await repository.commitsBetween(later, first), [], 'a range with nothing in it');
	assert.equal(timers(), before, 'simple-git\'s 50 ms exit timers would keep a finished status alive');
});
