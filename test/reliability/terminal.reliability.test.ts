import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import {binary} from '../helpers/cli.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests, newRunId} from '../helpers/docker.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';
import {TmuxSession} from '../helpers/tmux.js';

const engine = await engineForTests();

/**
 * Issue 10 #4 and #5 with the real binary in a real terminal: typed confirmations under pastes and
 * key bursts, keys typed right after a screen opens, Ctrl-C inside the dashboard's wizard.
 */
describe('reliability: typing as people do, in a real terminal', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const history = async (env: string) => (JSON.parse((await demo.ops(['history', env, '--json'])).stdout) as {releases: ReleaseRecord[]}).releases;

	/** Runs opsconsole in its own tmux, and resolves its exit code when it ends. */
	const inTerminal = (args: string, columns = 120, rows = 40) => {
		const tmux = new TmuxSession(newRunId());
		resources.defer(() => tmux.kill());
		// Outside the project (a file there would make its tree unclean), with preferences of its own.
		const outside = temporaryFolder(resources);
		const exitFile = path.join(outside, 'exit');
		tmux.start(`cd ${demo.root} && env -u CI OPSCONSOLE_CONFIG_DIR=${outside}/config ${process.execPath} ${binary} --operator ${demoOperator} ${args} 2>${exitFile}.stderr; echo $? > ${exitFile}; sleep 120`, columns, rows);
		const exited = async (timeoutMs = 30_000) => {
			const deadline = Date.now() + timeoutMs;
			while (!existsSync(exitFile) || readFileSync(exitFile, 'utf8').trim() === '') {
				if (Date.now() > deadline) throw new Error(`still running after ${timeoutMs} ms:\n${tmux.capture()}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}

			return {code: Number(readFileSync(exitFile, 'utf8')), stderr: readFileSync(`${exitFile}.stderr`, 'utf8')};
		};

		/** Pastes text as a terminal does: one write, Enter included when the text has it. */
		const paste = (text: string) => {
			execFileSync('tmux', ['-L', tmux.socket, 'set-buffer', '--', text]);
			execFileSync('tmux', ['-L', tmux.socket, 'paste-buffer', '-t', tmux.name]);
		};

		return {tmux, exited, paste};
	};

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
		await demo.newDevRelease('For production');
		assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0);
		assert.equal((await demo.ops(['promote', 'staging', 'production', '--confirm', 'production'])).code, 0);
	});

	test('the typed confirmation in the rollback picker: what is typed stays visible; only the exact name at Enter confirms', async () => {
		const productionBefore = demo.branchHead('main');
		const {tmux, exited, paste} = inTerminal('rollback production');
		await tmux.waitFor(/❯ [0-9a-f]{7}/, 15_000);
		tmux.sendKeys('Enter');
		await tmux.waitFor(/Type the environment's name \(production\) to confirm/, 15_000);

		tmux.sendKeys('Enter');
		await tmux.waitFor(/nothing typed; type it exactly, or Esc/);

		paste('productio\r');
		let screen = await tmux.waitFor(/"productio" is not "production"/);
		assert.match(screen, /Type the environment's name \(production\) to confirm/, 'the prompt stays on screen');

		paste('prodx');
		await tmux.waitFor(/> prodx/);
		tmux.sendKeys('BSpace', 'BSpace');
		await tmux.waitFor(/> pro\b/);
		paste('duction');
		screen = await tmux.waitFor(/> production/);
		assert.match(screen, /Type the environment's name/);
		assert.equal(demo.branchHead('main'), productionBefore, 'nothing has happened yet');

		paste('production\r');
		await tmux.waitFor(/"productionproduction" is not "production"/);
		paste('production\r');
		await tmux.waitFor(/succeeded: release production-/, 60_000);
		tmux.sendKeys('x');
		assert.equal((await exited()).code, 0);
		const [rollback] = await history('production');
		assert.equal(rollback?.kind, 'rollback');
		assert.equal(rollback?.outcome, 'succeeded');
	});

	test('keys typed in one burst right after a screen opens: ?, Esc and q open help, close it, and quit', async () => {
		const {tmux, exited} = inTerminal('');
		await tmux.waitFor(/ production /, 15_000);
		tmux.sendKeys('?', 'Escape', 'q');
		assert.equal((await exited(10_000)).code, 0);
	});

	test('at 80×24 the dashboard draws and quits cleanly', async () => {
		const {tmux, exited} = inTerminal('', 80, 24);
		const screen = await tmux.waitFor(/q quit/, 15_000);
		assert.ok(screen.split('\n').every(line => line.length <= 80));
		tmux.sendKeys('q');
		assert.equal((await exited(10_000)).code, 0);
	});

	test('Ctrl-C inside the dashboard\'s wizard cancels the running promotion, records it, frees the lock, prints what happened, exits 130', async () => {
		await demo.newDevRelease('Cancelled from the dashboard');
		const slow = readFileSync(path.join(demo.root, 'recipes', 'deploy.mjs'), 'utf8').replace('const images = {};', () => 'kit.step("slow");\nawait $`sleep 30`;\nconst images = {};');
		await demo.withRecipe('deploy.mjs', slow, async () => {
			const {tmux, exited} = inTerminal('');
			await tmux.waitFor(/Development/, 15_000);
			tmux.sendKeys('p');
			await tmux.waitFor(/Enter continue to preflight/, 15_000);
			tmux.sendKeys('Enter');
			await tmux.waitFor(/Go ahead\? \[y\/N\]/, 15_000);
			tmux.sendKeys('y');
			await tmux.waitFor(/• slow/, 30_000);
			tmux.sendKeys('C-c');
			const {code, stderr} = await exited(60_000);
			assert.equal(code, 130);
			assert.match(stderr, /opsconsole: promotion dev → staging: aborted — deploy\.mjs was cancelled; rolled back to [0-9a-f]{7} \(release staging-/);
		});

		const promotion = (await history('staging')).find(record => record.kind === 'promotion');
		assert.equal(promotion?.outcome, 'aborted');
		assert.match((await demo.ops(['locks'])).stdout, /no locks held/);
	});
});
