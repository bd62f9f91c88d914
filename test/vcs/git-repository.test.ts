import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {GitRepository} from '../../source/vcs/git-repository.js';
import {commitOn, initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

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
