import assert from 'node:assert/strict';
import {copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {composeServices} from '../../source/app/compose.js';
import {createRollbackSource} from '../../source/app/rollback-targets.js';
import type {ReleaseRecord} from '../../source/core/release.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {repositoryRoot, runCli} from '../helpers/cli.js';
import {engineForTests, newRunId} from '../helpers/docker.js';
import {git} from '../helpers/git.js';
import {removeStackAfter, useTestSwarm} from '../helpers/swarm.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

type ServiceView = {service: string; running: number; desired: number; commit: string | null; release: string | null; updateState: string | null; tasks: Array<{node: string; state: string; health: string}>};
type Status = {environments: Array<{name: string; health: string; reasons: string[]; release: string | null; runningCommit: string | null; swarm: {stack: string; services: ServiceView[]; nodes: Array<{hostname: string; availability: string}>; error: string | null} | null}>};

const engine = await engineForTests();

/** A web app whose /health fails in the service whose ROLE has a broken-ROLE file: one service of a release can fail alone. */
const startScript = `mkdir -p /www
echo "<h1>\${ROLE} \${APP_COMMIT}</h1>" > /www/index.html
if [ ! -e "/app/broken-\${ROLE}" ]; then echo ok > /www/health; fi
exec httpd -f -p 8080 -h /www
`;

const dockerfile = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY . /app
HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
CMD ["/bin/sh", "/app/start.sh"]
`;

function environmentFile(name: string, stack: string, slug: string, extra: string): string {
	return `name: ${name}
branch: ${name}
${extra}docker:
  mode: swarm
  stack: ${stack}
  update: { parallelism: 1, monitorMs: 2000, order: start-first, failureAction: rollback }
services:
  web: { image: ${slug}-web, build: app, environment: { ROLE: web } }
  api: { image: ${slug}-api, build: app, environment: { ROLE: api } }
verify: { timeoutMs: 40000, autoRollback: true }
`;
}

describe('a two-service stack on a real single-node swarm', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const docker = engine.docker!;
	const slug = `oct-${newRunId()}`;
	const root = path.join(temporaryFolder(resources, 'opsconsole-swarm-'), slug);
	const stacks = {dev: `${slug}-dev`, staging: `${slug}-staging`};
	const ops = async (...args: string[]) => runCli(['--operator', 'swarm@example.test', ...args], {cwd: root, timeoutMs: 180_000});
	const status = async (env: string) => {
		const result = await ops('status', env, '--json');
		return (JSON.parse(result.stdout) as Status).environments[0]!;
	};

	const commit = (message: string) => {
		git(root, 'add', '--all');
		git(root, 'commit', '--quiet', '--allow-empty', '--message', message);
		return git(root, 'rev-parse', 'HEAD');
	};

	const serviceLabels = async (stack: string) => Object.fromEntries((await docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}}))
		.map(service => [service.Spec!.Name!.replace(`${stack}_`, ''), service.Spec!.Labels!]));

	before(async () => {
		await useTestSwarm(resources);
		// Released last-made first: the stacks go, then their images, then the swarm.
		resources.defer(async () => {
			const images = await docker.listImages({filters: {label: [`opsconsole.project=${slug}`]}});
			for (const image of images) await docker.getImage(image.Id).remove({force: true}).catch(() => undefined);
		});
		removeStackAfter(docker, stacks.dev, resources);
		removeStackAfter(docker, stacks.staging, resources);
		mkdirSync(root, {recursive: true});
		cpSync(path.join(repositoryRoot, 'recipes'), path.join(root, 'recipes'), {recursive: true});
		writeFiles(root, {
			'app/Dockerfile': dockerfile,
			'app/start.sh': startScript,
			'environments/dev.yaml': environmentFile('dev', stacks.dev, slug, 'promotesTo: staging\nprotection: { confirm: none }\n'),
			'environments/staging.yaml': environmentFile('staging', stacks.staging, slug, 'protection: { confirm: yes }\n'),
			'.gitignore': '.opsconsole/\n',
		});
		copyFileSync('/bin/busybox', path.join(root, 'app', 'busybox'));
		git(root, 'init', '--quiet', '--initial-branch=dev');
		commit('a two-service app');
		git(root, 'branch', 'staging');
	});

	test('deploy creates the stack; status shows services, tasks and nodes; labels carry commit and release', async () => {
		const first = commit('first release');
		const deployed = await ops('deploy', 'dev', '--json');
		assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
		const release = JSON.parse(deployed.stdout) as ReleaseRecord;
		assert.equal(release.outcome, 'succeeded');
		const dev = await status('dev');
		assert.equal(dev.health, 'healthy', dev.reasons.join('; '));
		assert.equal(dev.release, release.id);
		assert.equal(dev.runningCommit, first);
		assert.deepEqual(dev.swarm!.services.map(service => [service.service, service.running, service.desired, service.commit]), [['api', 1, 1, first], ['web', 1, 1, first]]);
		assert.ok(dev.swarm!.services.every(service => service.tasks.some(task => task.state === 'running' && task.health === 'healthy')));
		assert.equal(dev.swarm!.nodes.length, 1);
		assert.equal(dev.swarm!.nodes[0]!.availability, 'active');
		const labels = await serviceLabels(stacks.dev);
		for (const name of ['web', 'api']) {
			assert.equal(labels[name]!['opsconsole.commit'], first);
			assert.equal(labels[name]!['opsconsole.release'], release.id);
			assert.equal(labels[name]!['opsconsole.env'], 'dev');
		}

		const text = await ops('status', 'dev');
		assert.match(text.stdout, /stack .*-dev\n +api +1\/1 running/);
		assert.match(text.stdout, /└ web\.1 +\S+ +running +healthy/);
	});

	test('the swarm events stream carries task and service changes, not the execs of every health check', async () => {
		const watcher = new EnginePool().engineFor({host: 'unix:///var/run/docker.sock', project: stacks.dev});
		const actions: string[] = [];
		const controller = new AbortController();
		let listening!: () => void;
		const established = new Promise<void>(resolve => {
			listening = resolve;
		});
		const watching = watcher.swarm.watchEvents(event => actions.push(`${event.type} ${event.action}`), controller.signal, listening);
		const web = docker.getService(`${stacks.dev}_web`);
		try {
			await established;
			// Both services check their health every second; a forced update restarts web's task meanwhile.
			const spec = await web.inspect() as {Version: {Index: number}; Spec: {TaskTemplate: {ForceUpdate?: number}}};
			await web.update({version: spec.Version.Index, ...spec.Spec, TaskTemplate: {...spec.Spec.TaskTemplate, ForceUpdate: (spec.Spec.TaskTemplate.ForceUpdate ?? 0) + 1}});
			const deadline = Date.now() + 30_000;
			while (!actions.includes('container health_status: healthy') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
		} finally {
			controller.abort();
			await watching.catch(() => undefined);
			watcher.close();
		}

		assert.ok(actions.includes('service update'), actions.join(', '));
		assert.ok(actions.includes('container health_status: healthy'), actions.join(', '));
		assert.deepEqual(actions.filter(action => action.includes('exec')), []);
		// The next tests update this stack again: the forced update must be over first.
		for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise(resolve => setTimeout(resolve, 250))) {
			const {UpdateStatus} = await web.inspect() as {UpdateStatus?: {State?: string}};
			if (UpdateStatus?.State === undefined || UpdateStatus.State === 'completed') break;
		}
	});

	test('promotion dev → staging updates both services with update_config and verifies them', async () => {
		const earlier = commit('staging starts here');
		const deployedStaging = await ops('deploy', 'staging', '--yes', '--json');
		assert.equal(deployedStaging.code, 0, deployedStaging.stdout + deployedStaging.stderr);
		const next = commit('promote me');
		assert.equal((await ops('deploy', 'dev')).code, 0);
		const promoted = await ops('promote', 'dev', 'staging', '--yes', '--json');
		assert.equal(promoted.code, 0, promoted.stdout + promoted.stderr);
		const release = JSON.parse(promoted.stdout) as ReleaseRecord;
		assert.deepEqual(release.steps.map(step => [step.id, step.ok]), [['promote', true], ['deploy', true], ['verify', true], ['record', true]]);
		assert.equal(git(root, 'rev-parse', 'refs/heads/staging'), next);
		const staging = await status('staging');
		assert.equal(staging.health, 'healthy', staging.reasons.join('; '));
		assert.deepEqual(staging.swarm!.services.map(service => [service.service, service.commit, service.updateState]), [['api', next, 'completed'], ['web', next, 'completed']]);
		const inspected = await docker.listServices({filters: {label: [`com.docker.stack.namespace=${stacks.staging}`]}});
		for (const service of inspected) {
			const update = service.Spec!.UpdateConfig!;
			assert.deepEqual([update.Parallelism, update.FailureAction, update.Monitor, update.Order], [1, 'rollback', 2_000_000_000, 'start-first']);
		}

		const rolledBack = await ops('rollback', 'staging', '--to', earlier.slice(0, 10), '--yes', '--json');
		assert.equal(rolledBack.code, 0, rolledBack.stdout + rolledBack.stderr);
		const back = await status('staging');
		assert.equal(back.health, 'healthy', back.reasons.join('; '));
		assert.deepEqual(back.swarm!.services.map(service => service.commit), [earlier, earlier]);
		assert.equal(back.release, (JSON.parse(rolledBack.stdout) as ReleaseRecord).id);

		// The picker's source reads the stack the same way: what runs is marked, the promoted release is instant.
		const services = await composeServices({project: root, color: false, operator: 'swarm@example.test'});
		try {
			const source = createRollbackSource(services, 'staging');
			const candidates = await source.loadCandidates();
			assert.equal(candidates.find(candidate => candidate.running)?.commit, earlier);
			const promotedCandidate = candidates.find(candidate => candidate.commit === next)!;
			assert.equal(promotedCandidate.imagePresent, true);
		} finally {
			services.engines.close();
		}
	});

	test('a release whose second service fails its health check is rolled back as a whole', async () => {
		const good = commit('good before the break');
		assert.equal((await ops('deploy', 'dev')).code, 0);
		const goodRelease = (await status('dev')).release;
		writeFileSync(path.join(root, 'app', 'broken-api'), 'api fails its health check in this release\n');
		const broken = commit('break api, the second service the deploy updates (web, then api)');
		try {
			const deployed = await ops('deploy', 'dev', '--json');
			assert.equal(deployed.code, 1, deployed.stdout + deployed.stderr);
			const release = JSON.parse(deployed.stdout) as ReleaseRecord;
			assert.equal(release.outcome, 'rolled-back');
			assert.match(release.error ?? '', /api: the update failed and swarm rolled the service back/);
			assert.deepEqual(release.steps.map(step => [step.id, step.ok]).slice(0, 1), [['deploy', false]]);
			const recovery = JSON.parse((await ops('history', 'dev', '--json')).stdout) as {releases: ReleaseRecord[]};
			const rollback = recovery.releases.find(record => record.id === release.rolledBackTo)!;
			assert.equal(rollback.kind, 'rollback');
			assert.equal(rollback.outcome, 'succeeded');
			assert.equal(rollback.commit, good);
			const dev = await status('dev');
			assert.equal(dev.health, 'healthy', dev.reasons.join('; '));
			// web updated fine and was put back by the whole-stack rollback, not only api by swarm.
			assert.deepEqual(dev.swarm!.services.map(service => [service.service, service.commit]), [['api', good], ['web', good]]);
			const labels = await serviceLabels(stacks.dev);
			assert.equal(labels['web']!['opsconsole.release'], rollback.id);
			assert.notEqual(goodRelease, null);
			assert.notEqual(broken, good);
		} finally {
			rmSync(path.join(root, 'app', 'broken-api'));
			commit('api healthy again');
		}
	});
});
