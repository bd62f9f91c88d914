import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parseDocument} from 'yaml';
import type {ReleaseRecord} from '../../source/core/release.js';
import {EnginePool} from '../../source/engine/docker-engine.js';
import {runCli} from '../helpers/cli.js';
import {createDemo, type Demo} from '../helpers/demo.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';

const engine = await engineForTests();
const escape = '\u001B';
const hostile = `${escape}]0;pwned${escape}\\${escape}[2J${escape}[H\u202Eevil`;

/** Issue 10 #7, #8 and #9: state files that break, secrets that must not rest in clear text, hostile text. */
describe('reliability: state files, secrets and text from outside', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const stateDirectory = () => path.join(demo.root, '.opsconsole');
	const history = async (env: string) => JSON.parse((await demo.ops(['history', env, '--json'])).stdout) as {releases: ReleaseRecord[]};

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
	});

	test('a torn last line of the audit log does not swallow the next entry', async () => {
		const audit = path.join(stateDirectory(), 'audit.jsonl');
		appendFileSync(audit, '{"at":"2026-11-23T00:00:00Z","operator":"torn","act');
		assert.equal((await demo.ops(['lock', 'dev', '--message', 'after the tear'])).code, 0);
		assert.equal((await demo.ops(['unlock', 'dev'])).code, 0);
		const lines = readFileSync(audit, 'utf8').trim().split('\n');
		const parsed = lines.slice(-2).map(line => JSON.parse(line) as {action: string; outcome: string});
		assert.deepEqual(parsed.map(entry => [entry.action, entry.outcome]), [['lock', 'succeeded'], ['unlock', 'succeeded']]);
		assert.ok(lines.includes('{"at":"2026-11-23T00:00:00Z","operator":"torn","act'), 'the torn line stays as it was, on a line of its own');
	});

	test('torn and malformed release files are skipped with a warning naming them; promote, rollback and history still work', async () => {
		const releases = path.join(stateDirectory(), 'releases');
		writeFileSync(path.join(releases, 'staging-torn.json'), '{"id": "staging-torn", "env": "stag');
		writeFileSync(path.join(releases, 'staging-odd.json'), JSON.stringify({id: 5, env: 'staging', steps: 'none'}));
		writeFileSync(path.join(releases, 'staging-null.json'), 'null');
		const listed = await demo.ops(['history', 'staging']);
		assert.equal(listed.code, 0, listed.stderr);
		assert.match(listed.stderr, /skipped .*staging-torn\.json: not valid JSON/);
		assert.match(listed.stderr, /skipped .*staging-odd\.json: not a release record/);
		await demo.newDevRelease('Past damaged history');
		const promoted = await demo.ops(['promote', 'dev', 'staging', '--yes']);
		assert.equal(promoted.code, 0, promoted.stdout + promoted.stderr);
		const rolledBack = await demo.ops(['rollback', 'staging', '--yes']);
		assert.equal(rolledBack.code, 0, rolledBack.stdout + rolledBack.stderr);
		for (const result of [listed, promoted, rolledBack]) assert.doesNotMatch(result.stderr, /\n\s+at |is not a function/);
		for (const name of ['staging-torn.json', 'staging-odd.json', 'staging-null.json']) rmSync(path.join(releases, name));
	});

	test('a state folder on a read-only file system: refused before anything changes, a readable reason, no stack trace, no half-written audit', async () => {
		const readOnly = temporaryFolder(resources);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly]);
		resources.defer(() => execFileSync('umount', [readOnly]));
		const env = {OPSCONSOLE_STATE_DIR: path.join(readOnly, 'state')};
		const deploy = await demo.ops(['deploy', 'dev'], env);
		assert.equal(deploy.code, 3, deploy.stdout + deploy.stderr);
		assert.match(deploy.stdout, /✖ history, audit log and locks writable: cannot create the folder .*state: the file system is read-only — set OPSCONSOLE_STATE_DIR to a writable folder/);
		const lock = await demo.ops(['lock', 'dev'], env);
		assert.notEqual(lock.code, 0);
		assert.match(lock.stderr, /cannot .* the file system is read-only/);
		for (const result of [deploy, lock]) assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /);
		assert.deepEqual(readdirSync(readOnly), []);
	});

	test('an immutable release file is read, and a run that cannot record is refused, not half done', async () => {
		const [latest] = (await history('dev')).releases;
		const file = path.join(stateDirectory(), 'releases', `${latest!.id}.json`);
		execFileSync('chattr', ['+i', file]);
		resources.defer(() => execFileSync('chattr', ['-i', file]));
		assert.equal((await demo.ops(['history', 'dev'])).code, 0);
		const releasesFolder = path.join(stateDirectory(), 'releases');
		execFileSync('chattr', ['+i', releasesFolder]);
		try {
			const deploy = await demo.ops(['deploy', 'dev']);
			assert.equal(deploy.code, 3, deploy.stdout);
			assert.match(deploy.stdout, /✖ history, audit log and locks writable: cannot write .*releases.*: not permitted/);
		} finally {
			execFileSync('chattr', ['-i', releasesFolder]);
		}
	});

	test('state is private: files 0600, folders 0700', async () => {
		await demo.newDevRelease('Private state');
		const modes: string[] = [];
		const walk = (folder: string) => {
			for (const entry of readdirSync(folder, {withFileTypes: true})) {
				const full = path.join(folder, entry.name);
				const mode = (statSync(full).mode & 0o777).toString(8);
				modes.push(`${path.relative(stateDirectory(), full)} ${mode}`);
				if (entry.isDirectory()) walk(full);
			}
		};

		walk(stateDirectory());
		const loose = modes.filter(line => !/ (600|700)$/.test(line));
		assert.deepEqual(loose, []);
		assert.ok(modes.some(line => line.startsWith('releases ')) && modes.some(line => line.startsWith('logs ')));
	});

	test('secrets: an environment file\'s secret and a container\'s are masked in recipe output and the log; context files are gone after the run', async () => {
		const fileSecret = `tok-file-${newRunId()}`;
		const withToken = (text: string) => {
			const document = parseDocument(text);
			document.setIn(['services', 'web', 'environment'], {API_TOKEN: fileSecret});
			return document.toString();
		};

		await demo.withEnvironmentFile('dev', withToken, async () => {
			await demo.withRecipe('deploy.mjs', `${readFileSync(path.join(demo.root, 'recipes', 'deploy.mjs'), 'utf8')}\nconsole.log("the token is", kit.context().environment.services.web.environment.API_TOKEN);\n`, async () => {
				const result = await demo.ops(['deploy', 'dev', '--json']);
				assert.equal(result.code, 0, result.stderr);
				assert.match(result.stderr, /the token is ••••••/);
				assert.doesNotMatch(result.stdout + result.stderr, new RegExp(fileSecret));
				const release = JSON.parse(result.stdout) as ReleaseRecord;
				assert.doesNotMatch(readFileSync(release.logFile!, 'utf8'), new RegExp(fileSecret));
			});

			// The container now carries the secret: a recipe printing it from the engine is masked too.
			const printFromEngine = `const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);\nconst inspect = JSON.parse((await $\`docker inspect ${demo.slug}-dev-web\`).stdout);\nconsole.log("engine says", inspect[0].Config.Env.join(" "));\nthrow new Error("stop here");\n`;
			await demo.withRecipe('deploy.mjs', printFromEngine, async () => {
				const result = await demo.ops(['deploy', 'dev', '--json']);
				assert.match(result.stderr, /engine says .*API_TOKEN=••••••/);
				assert.doesNotMatch(result.stderr, new RegExp(fileSecret));
			});
		});

		const leftovers = readdirSync(path.join(stateDirectory(), 'logs')).filter(name => name.endsWith('.context.json'));
		assert.deepEqual(leftovers, [], 'no context file (with the environment definition in it) rests after a run');
	});

	test('hostile text from a lock message, an operator name, container labels and log lines reaches no terminal raw', async () => {
		const locked = await runCli(['--operator', `mallory${hostile}`, 'lock', 'staging', '--message', `maintenance${hostile}`], {cwd: demo.root});
		assert.equal(locked.code, 0, locked.stderr);
		try {
			for (const args of [['locks'], ['status', 'staging'], ['deploy', 'staging', '--yes']]) {
				const result = await demo.ops(args);
				assert.doesNotMatch(result.stdout + result.stderr, /\u001B\]|\u001B\[2J|\u001B\[H|\u202E/, `${args.join(' ')} printed a raw escape`);
			}

			assert.match((await demo.ops(['locks'])).stdout, /mallory\\x1b\]0;pwned\\x1b\\\\x1b\[2J\\x1b\[H\\u202eevil/);
		} finally {
			assert.equal((await demo.ops(['unlock', 'staging', '--force'])).code, 0);
		}

		const runId = newRunId();
		const image = await buildWebImage(engine.docker!, runId, resources);
		removeRunContainersAfter(engine.docker!, runId, resources);
		const project = `oct-${runId}-hostile`;
		const container = await startContainer(engine.docker!, {
			image, project, service: 'web', runId, healthcheck: 'none',
			labels: {'opsconsole.release': `r1${hostile}`, 'opsconsole.commit': `c0ffee${hostile}`},
			cmd: ['/bin/busybox', 'sh', '-c', "printf 'log line \\033]0;pwned\\007\\033[2J\\n'; echo ready; exec /bin/busybox sleep 3600"],
		});
		await waitForContainer(container, info => info.State.Running);
		const lines: string[] = [];
		const controller = new AbortController();
		await new EnginePool().engineFor({project}).streamLogs(container.id, line => {
			lines.push(line);
			if (line === 'ready') controller.abort();
		}, controller.signal);
		assert.equal(lines[0], 'log line \\x1b]0;pwned\\x07\\x1b[2J');
		const folder = path.join(temporaryFolder(resources), 'hostile');
		mkdirSync(path.join(folder, 'environments'), {recursive: true});
		writeFileSync(path.join(folder, 'environments', 'hostile.yaml'), `name: hostile\nbranch: main\ndocker:\n  project: ${project}\n`);
		execFileSync('git', ['init', '-q'], {cwd: folder});
		const shown = await runCli(['status'], {cwd: folder});
		assert.doesNotMatch(shown.stdout + shown.stderr, /\u001B\]|\u001B\[2J|\u202E/);
		assert.match(shown.stdout, /release r1\\x1b\]0;pwned/);
		assert.ok(existsSync(folder));
	});
});
