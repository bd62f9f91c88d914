import assert from 'node:assert/strict';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {binary, runCli} from '../helpers/cli.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';
import {TmuxSession} from '../helpers/tmux.js';

const engine = await engineForTests();
const runId = newRunId();

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
	return condition();
}

describe('the real binary in a real terminal (tmux)', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let root: string;
	const project = `oct-${runId}-e2e`;
	let sessions = 0;

	/** Runs the console in a terminal of the given size; the exit code lands in a file beside the project. */
	function startConsole(options: {columns: number; rows: number; env?: string; args?: string}): {tmux: TmuxSession; exitFile: string} {
		sessions += 1;
		const tmux = new TmuxSession(`${runId}${sessions}`);
		resources.defer(() => tmux.kill());
		const exitFile = path.join(root, `exit-${sessions}`);
		// CI is unset so Ink draws every frame, as it does for a person at a terminal.
		tmux.start(`env -u CI ${options.env ?? ''} OPSCONSOLE_CONFIG_DIR=${root}/config ${binary} --project ${root} ${options.args ?? ''}; echo $? > ${exitFile}; sleep 60`, options.columns, options.rows);
		return {tmux, exitFile};
	}

	async function quit(tmux: TmuxSession, exitFile: string): Promise<string> {
		tmux.sendKeys('q');
		assert.ok(await until(() => existsSync(exitFile), 5000), 'the console left after q');
		return readFileSync(exitFile, 'utf8').trim();
	}

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const containers = await Promise.all([
			...['web', 'api'].map(async service => startContainer(docker, {image, project, service, runId})),
			startContainer(docker, {image, project: `${project}-prod`, service: 'web', runId}),
		]);
		await Promise.all(containers.map(async container => waitForContainer(container, info => info.State.Health?.Status === 'healthy')));
		root = temporaryFolder(resources);
		writeFiles(root, {
			'environments/dev.yaml': `name: dev\nbranch: main\npromotesTo: live\ndocker:\n  project: ${project}-dev\n`,
			'environments/live.yaml': `name: live\ntitle: Live\nbranch: main\npromotesTo: prod\ndocker:\n  project: ${project}\n`,
			'environments/prod.yaml': `name: prod\ntitle: Production\nbranch: main\ndocker:\n  project: ${project}-prod\n`,
		});
		initRepository(root);
		const locked = await runCli(['--project', root, '--operator', 'ana@example.test', 'lock', 'prod', '--message', 'db migration'], {env: {...process.env, OPSCONSOLE_CONFIG_DIR: `${root}/config`}});
		assert.equal(locked.code, 0, locked.stderr);
	});

	test('at 80x24 every environment shows its health, release and lock at once; the selected one follows a stop; help; q exits 0', async () => {
		const {tmux, exitFile} = startConsole({columns: 80, rows: 24});
		let screen = await tmux.waitFor(/healthy +live[\s\S]*healthy +prod/);
		assert.match(screen, /✖ down +dev +no release/);
		assert.match(screen, /● healthy +live +no release/);
		assert.match(screen, /● healthy +prod +no release +locked by ana@example\.test, .*db migration/);
		assert.match(screen, /q quit/, 'the quit key is always on screen');
		assert.ok(screen.split('\n').every(line => line.length <= 80), 'nothing runs past 80 columns');

		tmux.sendKeys('2');
		screen = await tmux.waitFor(/── Live[\s\S]*api +healthy[\s\S]*web +healthy/);

		const [web] = await engine.docker!.listContainers({filters: {label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=web']}});
		await engine.docker!.getContainer(web!.Id).stop({t: 0});
		screen = await tmux.waitFor(/web +exited/, 3000);
		assert.match(screen, /▲ degraded +live/);
		assert.match(screen, /web is exited/);
		await engine.docker!.getContainer(web!.Id).start();

		tmux.sendKeys('?');
		screen = await tmux.waitFor(/Keys/);
		assert.match(screen, /R +restart the selected container/);
		tmux.sendKeys('Escape');
		await tmux.waitFor(/^(?![\s\S]*Keys)[\s\S]*── Live/);
		assert.equal(await quit(tmux, exitFile), '0');
	});

	test('a terminal without Unicode (TERM=vt100, LANG=C) gets ASCII; --ascii for one run does not stick unless --remember', async () => {
		const plain = startConsole({columns: 80, rows: 24, env: 'TERM=vt100 LANG=C LC_ALL= LC_CTYPE='});
		const screen = await plain.tmux.waitFor(/healthy +prod/);
		assert.doesNotMatch(screen, /[^\u0020-\u007E\n]/, `only ASCII on screen:\n${screen}`);
		assert.match(screen, /> x down +dev|x down +dev/);
		assert.equal(await quit(plain.tmux, plain.exitFile), '0');

		const once = startConsole({columns: 80, rows: 24, env: 'LANG=C.UTF-8', args: '--ascii'});
		await once.tmux.waitFor(/healthy +prod/);
		assert.equal(await quit(once.tmux, once.exitFile), '0');
		const later = startConsole({columns: 80, rows: 24, env: 'LANG=C.UTF-8'});
		await later.tmux.waitFor(/● healthy +prod/);
		assert.equal(await quit(later.tmux, later.exitFile), '0');

		const remembered = startConsole({columns: 80, rows: 24, env: 'LANG=C.UTF-8', args: '--ascii --remember'});
		await remembered.tmux.waitFor(/healthy +prod/);
		assert.equal(await quit(remembered.tmux, remembered.exitFile), '0');
		const afterRemembering = startConsole({columns: 80, rows: 24, env: 'LANG=C.UTF-8'});
		const asciiScreen = await afterRemembering.tmux.waitFor(/healthy +prod/);
		assert.doesNotMatch(asciiScreen, /●/, 'remembered --ascii applies to later runs');
		assert.equal(await quit(afterRemembering.tmux, afterRemembering.exitFile), '0');
		rmSync(path.join(root, 'config'), {recursive: true, force: true});
	});

	test('--once prints every environment once, as plain text at --width, and exits by health', async () => {
		const result = await runCli(['--project', root, '--once', '--width', '80'], {env: {...process.env, OPSCONSOLE_CONFIG_DIR: `${root}/config`, LANG: 'C.UTF-8'}});
		assert.equal(result.code, 1, 'dev is down, so the pipeline is not healthy');
		assert.doesNotMatch(result.stdout, /\u001B\[/, 'no escape sequences in pasted text');
		for (const name of ['dev', 'live', 'prod']) assert.match(result.stdout, new RegExp(`(healthy|down|degraded) +${name}`));
		assert.match(result.stdout, /── Production/);
		assert.match(result.stdout, /locked by ana@example\.test/);
		assert.ok(result.stdout.split('\n').every(line => line.length <= 80), result.stdout);
	});
});
