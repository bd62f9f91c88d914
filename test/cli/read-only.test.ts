import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const resources = new Resources();
after(async () => resources.release());
let root: string;
let config: string;

before(() => {
	root = temporaryFolder(resources);
	// An engine that is not there: a refusal must come before anything is read from it.
	const docker = `docker:\n  host: unix://${path.join(root, 'no-engine.sock')}\n  project: ro`;
	writeFiles(root, {
		'environments/dev.yaml': `name: dev\nbranch: main\npromotesTo: staging\n${docker}-dev\n`,
		'environments/staging.yaml': `name: staging\nbranch: main\n${docker}-staging\n`,
	});
	initRepository(root);
	config = temporaryFolder(resources);
});

const ops = async (args: string[], preferences: object) => {
	writeFileSync(path.join(config, 'config.json'), JSON.stringify(preferences));
	return runCli(['--operator', 'ana@example.test', ...args], {cwd: root, env: {OPSCONSOLE_CONFIG_DIR: config, OPSCONSOLE_STATE_DIR: path.join(root, 'state')}});
};

const audited = () => readFileSync(path.join(root, 'state', 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {action: string; env: string; outcome: string; detail: string});

test('{"readOnly": true} in the preferences refuses every mutating command with exit 3, audited, before touching anything', async () => {
	for (const args of [['promote', 'dev', 'staging', '--yes'], ['deploy', 'dev'], ['rollback', 'staging', '--yes'], ['rollback', 'staging', '--to', 'abc1234', '--yes'], ['lock', 'dev'], ['unlock', 'dev', '--force']]) {
		const result = await ops(args, {readOnly: true});
		assert.equal(result.code, 3, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
		assert.match(result.stderr, /refused, nothing changed: opsconsole runs read-only \(your preferences say readOnly\)/);
		assert.doesNotMatch(result.stderr + result.stdout, /engine|no-engine\.sock/, 'refused before any engine was asked');
	}

	assert.deepEqual(audited().map(entry => [entry.action, entry.env, entry.outcome]), [
		['promote dev→staging', 'staging', 'refused'], ['deploy', 'dev', 'refused'], ['rollback', 'staging', 'refused'], ['rollback', 'staging', 'refused'], ['lock', 'dev', 'refused'], ['unlock --force', 'dev', 'refused'],
	]);
});

test('readOnlyEnvironments refuses only the environments it lists', async () => {
	const refused = await ops(['deploy', 'staging'], {readOnlyEnvironments: ['staging']});
	assert.equal(refused.code, 3);
	assert.match(refused.stderr, /staging is read-only \(your preferences list it in readOnlyEnvironments\)/);
	const allowed = await ops(['deploy', 'dev'], {readOnlyEnvironments: ['staging']});
	assert.match(allowed.stdout, /✔ not read-only/, 'dev is not read-only; it fails on its missing engine instead');
	assert.match(allowed.stdout, /engine reachable: dev: engine at .* unreachable/);
});

test('an environment file\'s readOnly refuses lock and unlock too', async () => {
	const file = path.join(root, 'environments', 'staging.yaml');
	const original = readFileSync(file, 'utf8');
	writeFileSync(file, `${original}readOnly: true\n`);
	try {
		for (const args of [['lock', 'staging'], ['unlock', 'staging']]) {
			const result = await ops(args, {});
			assert.equal(result.code, 3, result.stderr);
			assert.match(result.stderr, /staging is read-only \(its environment file says so\)/);
		}
	} finally {
		writeFileSync(file, original);
	}
});

test('--read-only says so', async () => {
	const result = await ops(['--read-only', 'deploy', 'dev'], {});
	assert.equal(result.code, 3);
	assert.match(result.stderr, /opsconsole runs read-only \(--read-only\)/);
});
