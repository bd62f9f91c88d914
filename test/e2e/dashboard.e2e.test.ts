import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {binary} from '../helpers/cli.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';
import {TmuxSession} from '../helpers/tmux.js';

const engine = await engineForTests();
const runId = newRunId();

describe('the real binary in a real terminal (tmux)', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const tmux = new TmuxSession(runId);
	let root: string;
	let exitFile: string;
	const project = `oct-${runId}-e2e`;

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const containers = await Promise.all(['web', 'api'].map(async service => startContainer(docker, {image, project, service, runId})));
		await Promise.all(containers.map(async container => waitForContainer(container, info => info.State.Health?.Status === 'healthy')));
		root = temporaryFolder(resources);
		writeFiles(root, {
			'environments/dev.yaml': `name: dev\nbranch: main\npromotesTo: live\ndocker:\n  project: ${project}-dev\n`,
			'environments/live.yaml': `name: live\ntitle: Live\nbranch: main\ndocker:\n  project: ${project}\n`,
		});
		initRepository(root);
		exitFile = path.join(root, 'exit-code');
		resources.defer(() => tmux.kill());
		// CI is unset so Ink draws every frame, as it does for a person at a terminal.
		tmux.start(`env -u CI OPSCONSOLE_CONFIG_DIR=${root}/config ${process.execPath} ${binary} --project ${root}; echo $? > ${exitFile}; sleep 60`);
	});

	test('shows the containers, follows a stop, opens help, and quits with exit 0', async () => {
		let screen = await tmux.waitFor(/Live[\s\S]*api +healthy[\s\S]*web +healthy/);
		assert.match(screen, /● healthy {2}Live/);
		assert.match(screen, /✖ down {2}dev/);

		const [web] = await engine.docker!.listContainers({filters: {label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=web']}});
		await engine.docker!.getContainer(web!.Id).stop({t: 0});
		screen = await tmux.waitFor(/web +exited/, 3000);
		assert.match(screen, /▲ degraded {2}Live/);
		assert.match(screen, /web is exited/);

		tmux.sendKeys('?');
		screen = await tmux.waitFor(/Keys/);
		assert.match(screen, /R +restart the selected container/);
		tmux.sendKeys('Escape');
		await tmux.waitFor(/^(?![\s\S]*Keys)[\s\S]*Live/);

		tmux.sendKeys('q');
		const deadline = Date.now() + 5000;
		while (!existsSync(exitFile) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
	});
});
