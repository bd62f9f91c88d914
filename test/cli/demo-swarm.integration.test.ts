import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {engineForTests, newRunId} from '../helpers/docker.js';
import {useTestSwarm, whileOutsideSwarm} from '../helpers/swarm.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

type Status = {environments: Array<{name: string; health: string; reasons: string[]; swarm: {stack: string; services: Array<{service: string; running: number; desired: number}>} | null}>};

const engine = await engineForTests();
const swarmState = () => execFileSync('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], {encoding: 'utf8'}).trim();

describe('demo up --swarm', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const slug = `octest-${newRunId()}`;
	const root = path.join(temporaryFolder(resources, 'opsconsole-demo-swarm-'), slug);
	resources.defer(async () => {
		await runCli(['demo', 'down', '--dir', root]);
		const images = await engine.docker!.listImages({filters: {label: [`opsconsole.project=${slug}`]}});
		for (const image of images) await engine.docker!.getImage(image.Id).remove({force: true}).catch(() => undefined);
	});

	/** Up, every environment healthy as a stack, then down: the demo's services, networks and images gone. */
	const upAndDown = async () => {
		const up = await runCli(['demo', 'up', '--swarm', '--free-ports', '--dir', root], {timeoutMs: 240_000});
		assert.equal(up.code, 0, up.stdout + up.stderr);
		const status = await runCli(['status', '--json'], {cwd: root});
		const environments = (JSON.parse(status.stdout) as Status).environments;
		assert.deepEqual(environments.map(environment => [environment.name, environment.health, environment.swarm?.stack]), ['dev', 'staging', 'production'].map(name => [name, 'healthy', `${slug}-${name}`]));
		const down = await runCli(['demo', 'down', '--dir', root], {timeoutMs: 120_000});
		assert.equal(down.code, 0, down.stdout + down.stderr);
		assert.match(down.stdout, /removed 3 services and 3 networks of the demo's stacks/);
		return {up: up.stdout, down: down.stdout};
	};

	test('initialises a single-node swarm when the engine is in none, says so, and leaves it on down', async () => {
		const outside = await whileOutsideSwarm(upAndDown);
		if (!outside) {
			// The engine was in a swarm before the tests (never in CI): the demo must use it and leave it standing.
			assert.ok(!process.env.OPSCONSOLE_CI, 'CI starts its engine in no swarm: the case outside one must run');
			await useTestSwarm(resources);
			const inside = await upAndDown();
			assert.doesNotMatch(inside.up, /initialised a single-node swarm/);
			assert.doesNotMatch(inside.down, /left the single-node swarm/);
			assert.equal(swarmState(), 'active');
			return;
		}

		assert.match(outside.up, /was in no swarm: initialised a single-node swarm for the demo \(demo down leaves it again\)/);
		assert.match(outside.down, /left the single-node swarm the demo initialised/);
		assert.equal(swarmState(), 'inactive');
	});
});
