import assert from 'node:assert/strict';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests, newRunId, startContainer} from '../helpers/docker.js';
import {git} from '../helpers/git.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();
const reviewer = 'reviewer@example.test';

/** Each gate refusing (exit 3, nothing changed), then allowing, through the built CLI against the demo stack and real git. */
describe('release gates through the CLI against a real engine and real git', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const audit = () => readFileSync(path.join(demo.root, '.opsconsole', 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, string>);
	const staging = (extra: string) => (text: string) => text.replace('  requireCleanTree: true\n', `  requireCleanTree: true\n${extra}`);

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
	});

	test('a commit rolled back in staging is held: promoting it again is refused until hold release; rollback --to what runs is refused', async () => {
		await demo.newDevRelease('Before the break');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		writeFileSync(path.join(demo.root, 'app', 'broken-staging'), '');
		const broken = demo.commit('Break staging only');
		try {
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0);
			const failed = await demo.ops(['promote', 'dev', 'staging', '--yes', '--json']);
			assert.equal(failed.code, 1, failed.stderr);
			assert.equal((JSON.parse(failed.stdout) as ReleaseRecord).outcome, 'rolled-back');

			const again = await demo.ops(['promote', 'dev', 'staging', '--yes']);
			assert.equal(again.code, 3, again.stdout + again.stderr);
			assert.match(again.stdout, new RegExp(`✖ ${broken.slice(0, 7)} not held in staging: ${broken.slice(0, 7)} is held in staging: release staging-\\S+ failed and was rolled back`));
			assert.match(again.stdout, new RegExp(`opsconsole hold release staging ${broken.slice(0, 7)} --reason`));
			const holds = JSON.parse((await demo.ops(['holds', 'staging', '--json'])).stdout) as {holds: Array<{commit: string}>};
			assert.deepEqual(holds.holds.map(hold => hold.commit), [broken]);
			const shown = JSON.parse((await demo.ops(['status', 'staging', '--json'])).stdout) as {environments: Array<{holds: Array<{commit: string}>}>};
			assert.deepEqual(shown.environments[0]!.holds.map(hold => hold.commit), [broken], 'status --json has the hold');

			const noReason = await demo.ops(['hold', 'release', 'staging', broken.slice(0, 7)]);
			assert.equal(noReason.code, 2, noReason.stderr);
			const released = await demo.ops(['hold', 'release', 'staging', broken.slice(0, 7), '--reason', 'checking the probe again', '--json']);
			assert.equal(released.code, 0, released.stderr);
			assert.equal((JSON.parse(released.stdout) as {released: {commit: string; operator: string}}).released.operator, demoOperator);
			assert.ok(audit().some(entry => entry.action === 'hold release' && entry.outcome === 'succeeded' && entry.commit === broken && /checking the probe again/.test(entry.detail ?? '')));
			const allowed = await demo.ops(['promote', 'dev', 'staging', '--yes', '--dry-run']);
			assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
			assert.match(allowed.stdout, new RegExp(`✔ ${broken.slice(0, 7)} not held in staging`));

			const running = (JSON.parse((await demo.ops(['status', 'staging', '--json'])).stdout) as {environments: Array<{release: string}>}).environments[0]!.release;
			const toRunning = await demo.ops(['rollback', 'staging', '--to', running, '--yes']);
			assert.equal(toRunning.code, 3, toRunning.stderr);
			assert.match(toRunning.stderr, /rollback refused, nothing changed: staging already runs/);
		} finally {
			rmSync(path.join(demo.root, 'app', 'broken-staging'));
			demo.commit('Unbreak staging');
		}
	});

	test('approvals: refused without one, the promoter\'s own does not count, another operator\'s does', async () => {
		const commit = await demo.newDevRelease('Needs a review');
		await demo.withEnvironmentFile('staging', staging('  approvals: { required: 1 }\n'), async () => {
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0, 'dev runs the commit that changed staging.yaml');
			const head = demo.branchHead('dev');
			const refused = await demo.ops(['promote', 'dev', 'staging', '--yes']);
			assert.equal(refused.code, 3, refused.stdout + refused.stderr);
			assert.match(refused.stdout, /✖ 1 approval of [0-9a-f]{7}: 0 of 1 given/);
			assert.equal((await demo.ops(['approve', 'staging', head, '--note', 'my own'])).code, 0);
			assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes', '--dry-run'])).code, 3, 'one\'s own approval does not count');

			const approved = await demo.ops(['--operator', reviewer, 'approve', 'staging', head, '--note', 'diff read']);
			assert.equal(approved.code, 0, approved.stderr);
			const listing = JSON.parse((await demo.ops(['approvals', 'staging', '--json'])).stdout) as {approvals: Array<{operator: string; counts: boolean; note: string}>};
			assert.deepEqual(listing.approvals.map(approval => [approval.operator, approval.note, approval.counts]), [[reviewer, 'diff read', true], [demoOperator, 'my own', true]]);
			const allowed = await demo.ops(['promote', 'dev', 'staging', '--yes']);
			assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
			assert.match(allowed.stdout, /✔ 1 approval of/);
			assert.ok(audit().some(entry => entry.action === 'approve' && entry.operator === reviewer && entry.detail === 'diff read'));
		});
		assert.ok(commit);
	});

	test('a freeze window refuses with its reason and end; only an approver overrides it, audited', async () => {
		await demo.newDevRelease('During the freeze');
		const window = '  approvers: [boss@example.test]\n  freeze: [{ from: "00:00", to: "00:00", timezone: Europe/Amsterdam, reason: all-day freeze }]\n';
		await demo.withEnvironmentFile('staging', staging(window), async () => {
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0);
			const refused = await demo.ops(['promote', 'dev', 'staging', '--yes']);
			assert.equal(refused.code, 3, refused.stdout + refused.stderr);
			assert.match(refused.stdout, /staging is frozen: all-day freeze \(until \w{3} 00:00 Europe\/Amsterdam\)/);
			const notApprover = await demo.ops(['--operator', 'boss@example.test', 'promote', 'dev', 'staging', '--yes']);
			assert.equal(notApprover.code, 3, 'without --override-freeze, an approver is refused too');
			const wrongPerson = await demo.ops(['promote', 'dev', 'staging', '--yes', '--override-freeze', 'hotfix']);
			assert.equal(wrongPerson.code, 3);
			assert.match(wrongPerson.stdout, new RegExp(`${demoOperator} may not override the freeze \\(hotfix\\): approvers are boss@example.test`));
			const overridden = await demo.ops(['--operator', 'boss@example.test', 'promote', 'dev', 'staging', '--yes', '--override-freeze', 'hotfix']);
			assert.equal(overridden.code, 0, overridden.stdout + overridden.stderr);
			assert.ok(audit().some(entry => entry.action === 'promote dev→staging' && entry.outcome === 'freeze overridden' && entry.operator === 'boss@example.test' && /hotfix/.test(entry.detail ?? '')));
		});
	});

	test('drift: a container started by hand, and a branch moved by git, show in status --json and text', async () => {
		type Status = {environments: Array<{name: string; drift: string[]; containers: Array<{image: string; retained: boolean}>}>};
		const staging = async () => (JSON.parse((await demo.ops(['status', 'staging', '--json'])).stdout) as Status).environments[0]!;
		const before = await staging();
		assert.deepEqual(before.drift, [], 'no drift after opsconsole\'s own releases');

		const runId = newRunId();
		const image = before.containers.find(container => !container.retained)!.image;
		const byHand = await startContainer(engine.docker!, {image, project: `${demo.slug}-staging`, service: 'debug', runId, healthcheck: 'none'});
		try {
			const drifted = await staging();
			assert.ok(drifted.drift.some(text => /runs without opsconsole's release labels \(started by hand\?\)/.test(text)), drifted.drift.join('\n'));
		} finally {
			await byHand.remove({force: true});
		}

		const original = demo.branchHead('staging');
		const elsewhere = demo.newDevCommit('Never released');
		git(demo.root, 'branch', '--force', 'staging', elsewhere);
		try {
			const moved = await staging();
			assert.ok(moved.drift.some(text => text === `staging is at ${elsewhere.slice(0, 7)}, which no opsconsole release put there (moved outside opsconsole?)`), moved.drift.join('\n'));
			const text = await demo.ops(['status', 'staging']);
			assert.match(text.stdout, /drift: staging is at [0-9a-f]{7}, which no opsconsole release put there/);
		} finally {
			git(demo.root, 'branch', '--force', 'staging', original);
		}

		assert.deepEqual((await staging()).drift, []);
	});

	test('--lock-wait: refuses once the wait is over; waits with a countdown and runs once the lock is freed', async () => {
		await demo.newDevRelease('Behind a lock');
		assert.equal((await demo.ops(['--operator', reviewer, 'lock', 'staging', '--message', 'maintenance'])).code, 0);
		try {
			const gaveUp = await demo.ops(['--lock-wait', '2s', 'promote', 'dev', 'staging', '--yes']);
			assert.equal(gaveUp.code, 3, gaveUp.stdout + gaveUp.stderr);
			assert.match(gaveUp.stdout, /✔ lock held: waiting up to 2s for it/);
			assert.match(gaveUp.stdout, /waiting for the lock, 2s left: staging is locked by reviewer@example\.test/);
			assert.match(gaveUp.stdout, /refused, nothing changed: staging is locked by .* \(waited 2s\)/);
			assert.equal((await demo.ops(['--lock-wait', 'soon', 'deploy', 'staging', '--yes'])).code, 2);

			const waiting = demo.ops(['--lock-wait', '60s', 'promote', 'dev', 'staging', '--yes']);
			await new Promise(resolve => setTimeout(resolve, 4000));
			assert.equal((await demo.ops(['--operator', reviewer, 'unlock', 'staging'])).code, 0);
			const ran = await waiting;
			assert.equal(ran.code, 0, ran.stdout + ran.stderr);
			assert.match(ran.stdout, /waiting for the lock, (1m|\d+s) left/);
			assert.match(ran.stdout, /succeeded: release staging-/);
		} finally {
			await demo.ops(['unlock', 'staging', '--force']);
		}
	});

	test('soak: a release too fresh in dev is refused with how long remains; --wait counts down and then promotes it', async () => {
		await demo.withEnvironmentFile('dev', text => text.replace('  confirm: none\n', '  confirm: none\n  soak: 15s\n'), async () => {
			assert.equal((await demo.ops(['deploy', 'dev'])).code, 0);
			const refused = await demo.ops(['promote', 'dev', 'staging', '--yes']);
			assert.equal(refused.code, 3, refused.stdout + refused.stderr);
			assert.match(refused.stdout, /✖ soaked 15s in dev: [0-9a-f]{7} has run healthy in dev for \d+s; \d+s remain — wait \d+s, or run it with --wait/);
			const waited = await demo.ops(['promote', 'dev', 'staging', '--yes', '--wait']);
			assert.equal(waited.code, 0, waited.stdout + waited.stderr);
			assert.match(waited.stdout, /--wait: trying again in \d+s/);
			assert.match(waited.stdout, /✔ soaked 15s in dev/);
			assert.match(waited.stdout, /succeeded: release staging-/);
		});
	});
});
