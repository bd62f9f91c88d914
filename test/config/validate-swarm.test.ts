import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {inspectProject} from '../../source/config/load-project.js';
import {formatProblem} from '../../source/config/project-problems.js';
import {swarmUpdateConfig} from '../../source/core/swarm.js';
import {runCli} from '../helpers/cli.js';
import {engineForTests} from '../helpers/docker.js';
import {useTestSwarm, whileOutsideSwarm} from '../helpers/swarm.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const swarmDev = `name: dev
branch: dev
docker:
  mode: swarm
  stack: shop-dev
  update: { parallelism: 2, monitorMs: 3000 }
services:
  web: { image: shop-web, build: app, replicas: 2 }
`;

function projectWith(dev: string): string {
	const root = temporaryFolder();
	writeFiles(root, {'environments/dev.yaml': dev});
	return root;
}

test('a swarm environment names its stack; project defaults to it and update_config to the safe defaults', () => {
	const report = inspectProject(projectWith(swarmDev));
	assert.deepEqual(report.problems, []);
	const [dev] = report.environments;
	assert.equal(dev?.docker.mode, 'swarm');
	assert.equal(dev?.docker.stack, 'shop-dev');
	assert.equal(dev?.docker.project, 'shop-dev');
	assert.equal(dev?.services['web']?.replicas, 2);
	assert.deepEqual(swarmUpdateConfig(dev!.docker), {parallelism: 2, delayMs: 0, monitorMs: 3000, order: 'start-first', failureAction: 'rollback'});
});

test('without an update block, the defaults are the schema\'s own for an empty one', () => {
	const bare = inspectProject(projectWith('name: dev\nbranch: dev\ndocker:\n  mode: swarm\n  stack: s\n')).environments[0]!;
	const empty = inspectProject(projectWith('name: dev\nbranch: dev\ndocker:\n  mode: swarm\n  stack: s\n  update: {}\n')).environments[0]!;
	assert.equal(bare.docker.update, undefined);
	assert.deepEqual(swarmUpdateConfig(bare.docker), swarmUpdateConfig(empty.docker));
});

const badSwarmFiles: Array<{title: string; dev: string; expected: RegExp}> = [
	{title: 'mode swarm without a stack', dev: 'name: dev\nbranch: dev\ndocker:\n  mode: swarm\n', expected: /^environments\/dev\.yaml:4: docker\.stack: a swarm environment names its stack/},
	{title: 'a stack without mode swarm', dev: 'name: dev\nbranch: dev\ndocker:\n  project: x\n  stack: x\n', expected: /^environments\/dev\.yaml:5: docker\.stack: applies only to mode: swarm/},
	{title: 'an unknown mode', dev: 'name: dev\nbranch: dev\ndocker:\n  mode: kubernetes\n  stack: x\n', expected: /^environments\/dev\.yaml:4: docker\.mode: must be one of "containers", "swarm"/},
	{title: 'a bad update order', dev: 'name: dev\nbranch: dev\ndocker:\n  mode: swarm\n  stack: x\n  update:\n    order: sideways\n', expected: /^environments\/dev\.yaml:7: docker\.update\.order: must be one of "start-first", "stop-first"/},
	{title: 'a misspelt update field', dev: 'name: dev\nbranch: dev\ndocker:\n  mode: swarm\n  stack: x\n  update:\n    monitor: 5s\n', expected: /^environments\/dev\.yaml:7: docker\.update\.monitor: unknown field \(did you mean "monitorMs"\?\)/},
	{title: 'a bad stack name', dev: 'name: dev\nbranch: dev\ndocker:\n  mode: swarm\n  stack: "-x"\n', expected: /^environments\/dev\.yaml:5: docker\.stack: must be a stack name/},
];

for (const {title, dev, expected} of badSwarmFiles) {
	test(`validate: ${title}`, () => {
		const report = inspectProject(projectWith(dev));
		assert.equal(report.problems.length, 1, report.problems.map(problem => formatProblem(problem)).join('\n'));
		assert.match(formatProblem(report.problems[0]!), expected);
	});
}

test('validate asks the engine: not a swarm manager is a problem at docker.mode, a manager is fine', async t => {
	const {skip} = await engineForTests();
	if (skip) return t.skip(skip);
	const resources = new Resources();
	after(async () => resources.release());
	const root = projectWith(swarmDev);
	const outside = await whileOutsideSwarm(async () => runCli(['validate', '--project', root]));
	if (outside) {
		assert.equal(outside.code, 2, outside.stderr);
		assert.match(outside.stderr, /^environments\/dev\.yaml:4: docker\.mode: the engine at unix:\/\/\/var\/run\/docker\.sock is not in a swarm \(not a swarm manager\) — run `docker swarm init` there/m);
		assert.match(outside.stderr, /1 problem found/);
	} else {
		assert.ok(!process.env.OPSCONSOLE_CI, 'CI starts its engine in no swarm: the case outside one must run');
		t.diagnostic('the engine was in a swarm before the tests (or another test file kept one for minutes), so only the manager case ran');
	}

	await useTestSwarm(resources);
	const inside = await runCli(['validate', '--project', root]);
	assert.equal(inside.code, 0, inside.stderr);
	assert.match(inside.stdout, /1 environment valid: dev/);
});
