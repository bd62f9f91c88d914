import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {binary, repositoryRoot, runCli} from '../helpers/cli.js';
import {initRepository} from '../helpers/git.js';
import {temporaryFolder, writeFiles} from '../helpers/temp.js';

const tracer = path.join(repositoryRoot, 'test', 'fixtures', 'trace-imports.mjs');
const inspectCounter = path.join(repositoryRoot, 'test', 'fixtures', 'count-inspects.mjs');

type Metafile = {outputs: Record<string, {inputs: Record<string, unknown>}>};

/** Bundle chunks (by file name) that carry code of the given packages, from esbuild's metafile. */
function chunksWith(packages: RegExp): Set<string> {
	const meta = JSON.parse(readFileSync(path.join(repositoryRoot, 'dist', 'bundle', 'meta.json'), 'utf8')) as Metafile;
	return new Set(Object.entries(meta.outputs).filter(([, output]) => Object.keys(output.inputs).some(input => packages.test(input))).map(([file]) => path.basename(file)));
}

test('status --json loads neither Ink nor React, nor string-width\'s tables', async () => {
	const trace = path.join(temporaryFolder(), 'imports.txt');
	const result = await runCli(['status', '--json'], {env: {NODE_OPTIONS: `--import=${tracer}`, OPSCONSOLE_TRACE_IMPORTS: trace}});
	assert.match(result.stdout, /"environments"/);
	const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean).map(url => path.basename(url));
	const uiChunks = chunksWith(/node_modules\/(ink|react|react-reconciler|yoga-layout)\//);
	assert.ok(uiChunks.size > 0, 'the metafile names the chunks that hold Ink');
	assert.ok(chunksWith(/source\/cli\/status-command\.ts$/).size > 0 && loaded.some(file => chunksWith(/source\/cli\/status-command\.ts$/).has(file)), 'the trace saw the status command load');
	assert.deepEqual(loaded.filter(file => uiChunks.has(file)), []);
	const widthChunks = chunksWith(/node_modules\/(string-width|emoji-regex|get-east-asian-width)\//);
	assert.ok(widthChunks.size > 0);
	assert.deepEqual(loaded.filter(file => widthChunks.has(file)), [], 'only the text output fits columns');
});

test('Engine API requests are not formatted for a debug log that is off, and are when DEBUG names it', async () => {
	const counted = path.join(temporaryFolder(), 'inspects.txt');
	const quiet = await runCli(['status', '--json'], {env: {DEBUG: '', NODE_OPTIONS: `--import=${inspectCounter}`, OPSCONSOLE_COUNT_INSPECTS: counted}});
	assert.match(quiet.stdout, /"environments"/);
	assert.equal(readFileSync(counted, 'utf8'), '0');
	const debugging = await runCli(['status', '--json'], {env: {DEBUG: 'modem'}});
	assert.match(debugging.stderr, /modem Sending: /);
});

test('the bundle carries no ssh2 (dockerode\'s built-in SSH, ssh:// engines go through OpenSSH) and no BuildKit session code', () => {
	assert.deepEqual([...chunksWith(/node_modules\/(ssh2|cpu-features|@grpc|protobufjs)\//)], []);
	assert.ok(chunksWith(/node_modules\/docker-modem\//).size > 0, 'the metafile does list docker-modem');
});

test('--version and --help answer without a project', async () => {
	const cwd = temporaryFolder();
	const version = await runCli(['--version'], {cwd});
	assert.equal(version.code, 0);
	assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
	const help = await runCli(['--help'], {cwd});
	assert.equal(help.code, 0);
	for (const command of ['status', 'promote', 'rollback', 'check', 'history', 'lock', 'unlock', 'locks', 'validate', 'demo']) {
		assert.match(help.stdout, new RegExp(`^  ${command}\\b.*\\S`, 'm'), `help lists ${command}`);
	}
});

test('check of an environment without checks says how to add them and exits 2', async () => {
	const result = await runCli(['check', 'dev']);
	assert.equal(result.code, 2);
	assert.match(result.stderr, /dev has no checks: add a checks: list to environments\/dev\.yaml/);
	assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('promote without FROM and TO says why no wizard asks: no terminal, or a flag that skips it', async () => {
	const piped = await runCli(['promote', '--json']);
	assert.equal(piped.code, 2);
	assert.match(piped.stderr, /promote needs FROM and TO without a terminal for the wizard to ask in/);
	// util-linux's script gives the command a real terminal.
	const inTerminal = spawnSync('script', ['-qfec', `${process.execPath} ${binary} promote --json; echo "exit=$?"`, '/dev/null'], {cwd: repositoryRoot, encoding: 'utf8', timeout: 30_000});
	assert.match(inTerminal.stdout, /promote needs FROM and TO with --yes, --confirm, --json or --dry-run, which skip the wizard that asks/);
	assert.match(inTerminal.stdout, /exit=2/);
});

test('bad arguments exit 2 with a message, not a stack trace', async () => {
	const result = await runCli(['status', '--jsno']);
	assert.equal(result.code, 2);
	assert.match(result.stderr, /unknown option '--jsno'/);
	assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('unchanged environment files are not parsed or validated again; an edit, valid or not, is seen at once', async () => {
	const root = temporaryFolder();
	const file = (title: string) => `name: dev\ntitle: ${title}\nbranch: main\ndocker:\n  project: oct-cache-${path.basename(root).toLowerCase().replace(/[^a-z0-9_-]/g, "-")}\n`;
	writeFiles(root, {'environments/dev.yaml': file('First')});
	initRepository(root);
	const validationChunks = chunksWith(/node_modules\/(zod|yaml)\//);
	const status = async () => {
		const trace = path.join(temporaryFolder(), 'imports.txt');
		const result = await runCli(['status', '--json', '--project', root], {env: {NODE_OPTIONS: `--import=${tracer}`, OPSCONSOLE_TRACE_IMPORTS: trace}});
		const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean).map(url => path.basename(url));
		return {...result, validated: loaded.some(chunk => validationChunks.has(chunk))};
	};

	const first = await status();
	assert.equal(first.code, 1, first.stderr);
	assert.equal(JSON.parse(first.stdout).environments[0].title, 'First');
	assert.ok(first.validated, 'the first run parses and validates');
	assert.equal(statSync(path.join(root, '.opsconsole', 'cache', 'project.json')).mode & 0o777, 0o600);
	const second = await status();
	assert.equal(JSON.parse(second.stdout).environments[0].title, 'First');
	assert.ok(!second.validated, 'the second run takes the validated environments as they were');

	writeFileSync(path.join(root, 'environments', 'dev.yaml'), file('Second'));
	const edited = await status();
	assert.ok(edited.validated);
	assert.equal(JSON.parse(edited.stdout).environments[0].title, 'Second');
	writeFileSync(path.join(root, 'environments', 'dev.yaml'), `${file('Second')}bogus: 1\n`);
	const broken = await status();
	assert.equal(broken.code, 2);
	assert.match(broken.stderr, /environments\/dev\.yaml:6: bogus/);
});
