import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {EngineUnavailableError} from '../../source/core/errors.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();
const secret = `tok-${runId}-3f9a2c71`;

describe('engine verbs against the real engine', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const project = `oct-${runId}-verbs`;
	const docker = new EnginePool().engineFor({host: 'unix:///var/run/docker.sock', project});
	let id: string;

	before(async () => {
		const image = await buildWebImage(engine.docker!, runId, resources);
		removeRunContainersAfter(engine.docker!, runId, resources);
		const container = await startContainer(engine.docker!, {
			image, project, service: 'web', runId, healthcheck: 'none',
			env: ['PORT=8080', `API_TOKEN=${secret}`, `DATABASE_URL=postgres://app:${secret}@db/app`],
			// A shell as PID 1 that leaves on SIGTERM, so a restart takes moments rather than the kill timeout.
			cmd: ['/bin/busybox', 'sh', '-c', 'trap "exit 0" TERM; echo "starting with token $API_TOKEN"; echo "connecting to $DATABASE_URL"; echo ready; /bin/busybox sleep 3600 & wait'],
		});
		id = container.id;
		await waitForContainer(container, info => info.State.Running);
	});

	test('the log streams with the container\'s own secrets masked wherever they appear', async () => {
		const lines: string[] = [];
		const controller = new AbortController();
		const streaming = docker.streamLogs(id, line => {
			lines.push(line);
			if (line === 'ready') controller.abort();
		}, controller.signal);
		const timer = setTimeout(() => controller.abort(), 10_000);
		await streaming;
		clearTimeout(timer);
		assert.deepEqual(lines, ['starting with token ••••••', 'connecting to postgres://app:••••••@db/app', 'ready']);
	});

	test('inspect details mask secret-named variables and the same values elsewhere', async () => {
		const details = await docker.containerDetails(id);
		assert.ok(details);
		assert.deepEqual(details.environment.filter(assignment => !assignment.startsWith('PATH=')), ['PORT=8080', 'API_TOKEN=••••••', 'DATABASE_URL=postgres://app:••••••@db/app']);
		assert.doesNotMatch(details.command, new RegExp(secret));
		assert.equal(JSON.stringify(details).includes(secret), false, 'the secret appears nowhere in what `i` shows');
	});

	test('list, snapshot and restart speak in the domain; a gone container is undefined, not an error', async () => {
		const [listed] = await docker.listEnvironmentContainers(project);
		assert.equal(listed?.id, id);
		assert.equal(listed?.service, 'web');
		const before = await docker.containerSnapshot(id);
		await docker.restartContainer(id);
		const afterRestart = await docker.containerSnapshot(id);
		assert.equal(afterRestart?.state, 'running');
		assert.notEqual(afterRestart?.startedAt, before?.startedAt);
		assert.equal(await docker.containerSnapshot('0'.repeat(64)), undefined);
		assert.equal(await docker.imagePresent(`opsconsole-test-web:${runId}`), true);
		assert.equal(await docker.imagePresent(`opsconsole-test-web:${runId}-absent`), false);
	});

	test('the list is heard first, marked partial (start time and restarts not known), then the inspected snapshots', async () => {
		let heard: Awaited<ReturnType<typeof docker.listEnvironmentContainers>> | undefined;
		const [full] = await docker.listEnvironmentContainers(project, undefined, partial => {
			heard = partial;
		});
		assert.equal(heard?.length, 1);
		assert.deepEqual({...heard![0], createdAt: undefined}, {...full!, createdAt: undefined, startedAt: undefined, restarts: 0, partial: true});
		assert.equal(Date.parse(heard![0]!.createdAt) / 1000, Math.floor(Date.parse(full!.createdAt) / 1000), 'the list knows the creation time to the second');
		assert.equal(full?.partial, undefined);
		assert.ok(full?.startedAt);
		const [again] = await docker.listEnvironmentContainers(project, new Map([[heard![0]!.id, heard![0]!]]));
		assert.equal(again?.partial, undefined, 'a partial snapshot is never taken as known');
	});

	test('the events stream carries what changes the view, not the execs every health check runs', async () => {
		const events: Array<{id: string; action: string}> = [];
		const controller = new AbortController();
		let listening!: () => void;
		const established = new Promise<void>(resolve => {
			listening = resolve;
		});
		const watching = docker.watchEvents(event => events.push(event), controller.signal, listening);
		const heard = (id: string) => events.filter(event => event.id === id).map(event => event.action);
		try {
			await established;
			// Checked every second: each check is an exec, and its events come before the health they lead to.
			const checked = await startContainer(engine.docker!, {image: `opsconsole-test-web:${runId}`, project, service: 'checked', runId, healthcheck: 'image'});
			try {
				const deadline = Date.now() + 20_000;
				while (!heard(checked.id).includes('health_status: healthy') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
				assert.deepEqual(heard(checked.id).slice(0, 2), ['create', 'start']);
				assert.ok(heard(checked.id).includes('health_status: healthy'), heard(checked.id).join(', '));
				assert.deepEqual(heard(checked.id).filter(action => action.startsWith('exec_')), []);
			} finally {
				await checked.remove({force: true});
			}
		} finally {
			controller.abort();
			await watching.catch(() => undefined);
		}
	});

	test('an engine that is not there is an EngineUnavailableError naming it and the remedy', async () => {
		const socket = `unix://${path.join(temporaryFolder(resources), 'no.sock')}`;
		const missing = new EnginePool().engineFor({host: socket, project: 'x'});
		await assert.rejects(missing.listEnvironmentContainers('x'), (error: unknown) => error instanceof EngineUnavailableError && /no socket at .*no\.sock — is dockerd running\?/.test(error.message));
	});
});
