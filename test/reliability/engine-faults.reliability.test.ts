import assert from 'node:assert/strict';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {startCli} from '../helpers/cli.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests} from '../helpers/docker.js';
import {EngineProxy} from '../helpers/engine-proxy.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

const engine = await engineForTests();

type Status = {environments: Array<{name: string; health: string; engine: {reachable: boolean; error: string | null}; attention: string[]}>};

/**
 * Issue 10 #11 and DESIGN §3's engine faults: the demo's environments reach the engine through a
 * proxy of the test's own, killed, frozen and restarted while the containers keep running.
 */
describe('reliability: an engine that dies, hangs and comes back', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	let proxy: EngineProxy;
	const history = async (env: string) => (JSON.parse((await demo.ops(['history', env, '--json'])).stdout) as {releases: ReleaseRecord[]}).releases;
	const status = async () => JSON.parse((await demo.ops(['status', '--json'])).stdout) as Status;

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
		proxy = new EngineProxy(temporaryFolder(resources), resources);
		await proxy.start();
		for (const file of readdirSync(path.join(demo.root, 'environments'))) {
			const environmentFile = path.join(demo.root, 'environments', file);
			writeFileSync(environmentFile, readFileSync(environmentFile, 'utf8').replace('docker:\n', `docker:\n  host: ${proxy.host}\n`));
		}

		demo.commit('Reach the engine through the test\'s proxy');
		assert.equal((await demo.ops(['deploy', 'dev'])).code, 0, 'dev runs the commit that points it at the proxy');
	});

	test('an engine that never answers: status returns within its deadline, unknown with the reason; a deploy is refused at once', async () => {
		proxy.freeze();
		try {
			const started = Date.now();
			const result = await demo.ops(['status', '--json']);
			assert.ok(Date.now() - started < 12_000, `status took ${Date.now() - started} ms`);
			assert.equal(result.code, 1);
			for (const environment of (JSON.parse(result.stdout) as Status).environments) {
				assert.equal(environment.health, 'unknown');
				assert.match(environment.engine.error ?? '', /no answer within 5 s/);
			}

			const deploy = await demo.ops(['deploy', 'dev']);
			assert.equal(deploy.code, 3, deploy.stdout);
			assert.match(deploy.stdout, /✖ engine reachable: dev: engine at unix:\/\/.* unreachable: no answer within 5 s/);
			assert.doesNotMatch(deploy.stdout + deploy.stderr, /\n\s+at /);
		} finally {
			proxy.thaw();
		}
	});

	test('the engine dies mid-deploy and comes back before the recipe needs it: the deploy succeeds', async () => {
		demo.newDevCommit('Survives a short outage');
		const recipe = readFileSync(path.join(demo.root, 'recipes', 'deploy.mjs'), 'utf8').replace('const images = {};', () => 'kit.step("outage");\nawait $`sleep 4`;\nconst images = {};');
		await demo.withRecipe('deploy.mjs', recipe, async () => {
			const cli = startCli(['--operator', demoOperator, 'deploy', 'dev'], {cwd: demo.root});
			await cli.waitFor('• outage');
			proxy.kill();
			await new Promise(resolve => setTimeout(resolve, 1500));
			await proxy.start();
			const result = await cli.done;
			assert.equal(result.code, 0, result.stdout + result.stderr);
		});
	});

	test('the engine dies mid-deploy and stays gone: failed, the rollback fails too, the record says it needs attention; lock freed, no crash', async () => {
		demo.newDevCommit('Lost with the engine');
		const recipe = 'const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nkit.step("outage");\nawait $`sleep 2`;\nawait kit.ensureImage("web");\n';
		await demo.withRecipe('deploy.mjs', recipe, async () => {
			const cli = startCli(['--operator', demoOperator, 'deploy', 'dev', '--json'], {cwd: demo.root});
			await cli.waitFor('• outage');
			proxy.kill();
			const result = await cli.done;
			await proxy.start();
			assert.equal(result.code, 1, result.stderr);
			assert.doesNotMatch(result.stderr, /\n\s+at /);
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'failed');
			assert.match(release.error ?? '', /deploy\.mjs exited with code 1.*; the automatic rollback to [0-9a-f]{7} failed too: .* — dev needs attention/);
		});

		assert.match((await demo.ops(['locks'])).stdout, /no locks held/);
		const dev = (await status()).environments.find(environment => environment.name === 'dev')!;
		assert.ok(dev.attention.some(note => /needs attention/.test(note)), JSON.stringify(dev.attention));
		assert.equal((await demo.ops(['deploy', 'dev'])).code, 0, 'once the engine is back, a deploy puts dev right');
	});

	test('a frozen engine during verification: Ctrl-C cancels, Ctrl-C again stops waiting for the rollback; recorded, unlocked, promptly', async () => {
		demo.newDevCommit('Frozen while verifying');
		const cli = startCli(['--operator', demoOperator, 'deploy', 'dev', '--json'], {cwd: demo.root});
		await cli.waitFor('▸ verify dev');
		proxy.freeze();
		try {
			cli.signal('SIGINT');
			await cli.waitFor('▸ roll back to', 20_000);
			const forcedAt = Date.now();
			cli.signal('SIGINT');
			const result = await cli.done;
			assert.ok(Date.now() - forcedAt < 10_000, `the second Ctrl-C took ${Date.now() - forcedAt} ms to end it`);
			assert.equal(result.code, 130, result.stderr);
			const release = JSON.parse(result.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'aborted');
			assert.match(release.error ?? '', /needs attention/);
		} finally {
			proxy.thaw();
		}

		assert.match((await demo.ops(['locks'])).stdout, /no locks held/);
		const [rollback] = (await history('dev')).filter(record => record.kind === 'rollback');
		assert.equal(rollback?.outcome, 'aborted', 'the automatic rollback is on record, stopped');
		assert.equal((await demo.ops(['deploy', 'dev'])).code, 0, 'and a deploy puts dev right');
	});
});
