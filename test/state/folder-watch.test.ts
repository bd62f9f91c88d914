import assert from 'node:assert/strict';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {watchFolder} from '../../source/state/folder-watch.js';
import {temporaryFolder} from '../helpers/temp.js';

const pause = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Counts the changes told, and waits for the next one. */
function counter() {
	let told = 0;
	return {
		onChange: () => told++,
		get told() {
			return told;
		},
		async next(after: number, timeoutMs = 2000) {
			const deadline = Date.now() + timeoutMs;
			while (told <= after && Date.now() < deadline) await pause(10);
			assert.ok(told > after, `no change told within ${timeoutMs} ms`);
		},
	};
}

test('a folder not made yet is watched from its nearest ancestor, and followed once it is there, gone and back', async () => {
	const root = temporaryFolder();
	const folder = path.join(root, 'state', 'locks');
	const changes = counter();
	const controller = new AbortController();
	watchFolder(folder, changes.onChange, controller.signal, name => name.endsWith('.lock'));
	try {
		mkdirSync(path.join(root, 'state'));
		mkdirSync(folder);
		writeFileSync(path.join(folder, 'dev.lock'), '{}');
		await changes.next(0);
		await pause(100);
		let before = changes.told;
		writeFileSync(path.join(folder, '.write-check-1'), '');
		await pause(150);
		assert.equal(changes.told, before, 'a file of another name is no change');
		rmSync(path.join(folder, 'dev.lock'));
		await changes.next(before);
		await pause(100);
		before = changes.told;
		rmSync(path.join(root, 'state'), {recursive: true});
		await changes.next(before);
		await pause(100);
		before = changes.told;
		mkdirSync(folder, {recursive: true});
		writeFileSync(path.join(folder, 'staging.lock'), '{}');
		await changes.next(before);
	} finally {
		controller.abort();
	}

	await pause(100);
	const after = changes.told;
	writeFileSync(path.join(folder, 'production.lock'), '{}');
	await pause(200);
	assert.equal(changes.told, after, 'nothing is told once the signal aborts');
});
