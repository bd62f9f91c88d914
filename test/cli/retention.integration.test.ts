import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {composeServices} from '../../source/app/compose.js';
import {listRollbackCandidates} from '../../source/app/rollback-targets.js';
import type {BuildRecord} from '../../source/core/builds.js';
import type {ReleaseRecord} from '../../source/core/release.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests} from '../helpers/docker.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();

/**
 * The demo's three environments share one image name, so an image dev's retention passes over may
 * be exactly what staging or production runs. dev keeps one earlier release here, so a few deploys
 * take its oldest ones past the window.
 */
describe('retention after a successful release, against a real engine', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const commits: Record<string, string> = {};

	const imageOf = (commit: string) => `${demo.slug}-web:${commit.slice(0, 12)}`;
	const imageExists = async (commit: string) => engine.docker!.getImage(imageOf(commit)).inspect().then(() => true, () => false);
	const devContainers = async () => engine.docker!.listContainers({all: true, filters: {label: [`com.docker.compose.project=${demo.slug}-dev`]}});
	const deployDev = async (label: string): Promise<ReleaseRecord> => {
		const commit = demo.newDevCommit(label);
		const result = await demo.ops(['deploy', 'dev', '--json']);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		const release = JSON.parse(result.stdout) as ReleaseRecord;
		assert.equal(release.commit, commit);
		assert.match(result.stderr, new RegExp(`built ${imageOf(commit)} in \\d+\\.\\d s`));
		commits[label] = commit;
		return release;
	};

	const logOf = (release: ReleaseRecord) => readFileSync(release.logFile!, 'utf8');

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
		commits['v0'] = demo.branchHead('main');
		const devFile = path.join(demo.root, 'environments', 'dev.yaml');
		writeFileSync(devFile, `${readFileSync(devFile, 'utf8')}retention: { keep: 1 }\n`);
		await deployDev('v1');
		const promoted = await demo.ops(['promote', 'dev', 'staging', '--yes']);
		assert.equal(promoted.code, 0, promoted.stdout + promoted.stderr);
	});

	test('an image another environment runs is never removed; dev\'s own older ones are, with their containers', async () => {
		await deployDev('v2');
		await deployDev('v3');
		const last = await deployDev('v4');

		assert.equal(await imageExists(commits['v2']!), false, 'v2 is past dev\'s window and nothing else uses it');
		assert.equal(await imageExists(commits['v1']!), true, 'staging runs v1');
		assert.equal(await imageExists(commits['v0']!), true, 'production runs v0');
		assert.equal(await imageExists(commits['v3']!), true, 'dev keeps one earlier release');
		const containers = await devContainers();
		assert.deepEqual(containers.map(container => [container.Labels['opsconsole.commit'], container.State]).sort(), [
			[commits['v3'], 'exited'],
			[commits['v4'], 'running'],
		].sort(), 'only what runs and one earlier container are left in dev');

		const log = logOf(last);
		assert.match(log, /── retention \(keep 1\): keeping [0-9a-f]{7}, [0-9a-f]{7}/);
		assert.match(log, new RegExp(`removed image ${imageOf(commits['v2']!)}`));
		assert.match(log, new RegExp(`removed container ${demo.slug}-dev-web-`));
		const audit = readFileSync(path.join(demo.root, '.opsconsole', 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, string>);
		const line = audit.findLast(entry => entry.action === 'retention');
		assert.equal(line?.release, last.id);
		assert.equal(line?.operator, demoOperator);
		assert.equal(line?.outcome, 'removed');
		assert.match(line?.detail ?? '', new RegExp(`image ${imageOf(commits['v2']!)}`));

		// v1 left dev's window at v3's release; staging still ran it then, and does now.
		const v3 = (JSON.parse((await demo.ops(['history', 'dev', '--json'])).stdout) as {releases: ReleaseRecord[]}).releases.find(release => release.commit === commits['v3']);
		assert.match(logOf(v3!), new RegExp(`kept image ${imageOf(commits['v1']!)}: staging runs it`));
	});

	test('the rollback candidates say which images are gone and how long their last build took; going back to one rebuilds it', async () => {
		const builds = readFileSync(path.join(demo.root, '.opsconsole', 'builds.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as BuildRecord);
		const v2Build = builds.find(build => build.commit === commits['v2']);
		assert.ok(v2Build && v2Build.ms > 0 && v2Build.env === 'dev' && v2Build.image === imageOf(commits['v2']!), JSON.stringify(builds));
		const services = await composeServices({color: false, project: demo.root});
		try {
			const candidates = await listRollbackCandidates(services, 'dev');
			const v2 = candidates.find(candidate => candidate.commit === commits['v2']);
			assert.equal(v2?.imagePresent, false);
			assert.deepEqual(v2?.lastBuild, {ms: v2Build.ms, sameCommit: true});
			const v3 = candidates.find(candidate => candidate.commit === commits['v3']);
			assert.equal(v3?.imagePresent, true);
			assert.equal(v3?.lastBuild, undefined);
		} finally {
			services.engines.close();
		}

		const rolledBack = await demo.ops(['rollback', 'dev', '--to', commits['v2']!]);
		assert.equal(rolledBack.code, 0, rolledBack.stdout + rolledBack.stderr);
		assert.match(rolledBack.stdout + rolledBack.stderr, new RegExp(`rebuilt ${imageOf(commits['v2']!)} in \\d+\\.\\d s \\(it was no longer on the engine\\)`));
		assert.equal(await imageExists(commits['v2']!), true);
	});

	test('when another environment\'s engine cannot be read, an image it could use stays, and the log says why', async () => {
		const [running, ...earlier] = (JSON.parse((await demo.ops(['history', 'dev', '--json'])).stdout) as {releases: ReleaseRecord[]}).releases.filter(release => release.outcome === 'succeeded');
		const leaving = earlier.find(release => release.commit !== running!.commit)!.commit;
		await demo.withEnvironmentFile('production', text => text.replace(/docker:\n/, 'docker:\n  host: tcp://127.0.0.1:1\n'), async () => {
			const release = await deployDev('v5');
			assert.equal(await imageExists(leaving), true, 'it left dev\'s window, but production might run it');
			assert.match(logOf(release), new RegExp(`kept image ${imageOf(leaving)}: production's engine could not be read \\(.+\\), so it may run or keep it`));
		});
	});
});
