import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {runCli, type CliResult} from '../helpers/cli.js';
import {initRepository} from '../helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const resources = new Resources();
after(async () => resources.release());

/** Issue 10 #10: environment files are input from outside too. */
type Case = {
	readonly title: string;
	readonly files: Record<string, string | {special: 'fifo' | 'dev-zero' | 'folder' | 'dangling' | 'loop'}>;
	/** What validation must say; `either` for input that is odd but legal (it must still read well). */
	readonly expect?: 'valid' | 'invalid' | 'either';
};

const valid = (fields: Record<string, string> = {}) => {
	const base: Record<string, string> = {
		name: 'dev', title: 'Development', branch: 'dev', promotesTo: 'null',
		docker: '\n  project: shop-dev',
		services: '\n  web: { image: shop-web, build: app, port: 18080, healthPath: /health }',
		probes: '\n  - { name: web, url: "http://127.0.0.1:18080/health", expectStatus: 200, timeoutMs: 2000 }',
		protection: '\n  confirm: yes\n  requireCleanTree: false',
		verify: '{ timeoutMs: 20000, autoRollback: true }',
		recipes: '{ promote: promote.mjs, deploy: deploy.mjs, rollback: rollback.mjs }',
		...fields,
	};
	return Object.entries(base).filter(([, value]) => value !== '<omit>').map(([key, value]) => `${key}: ${value}`).join('\n') + '\n';
};

/** Values that are wrong for most fields, and some that only look wrong. */
/** Field values among the odd ones that are legal all the same. */
const legal = new Set(['title ../../etc/passwd', 'title $(touch pwned)', 'promotesTo null', 'promotesTo ~', 'services {}', 'probes []', 'protection {}', 'verify {}', 'recipes {}']);

const badValues = ['42', '-1', '1e309', 'true', 'null', '[]', '[a, b]', '{}', '{a: 1}', '""', '"\\e[2J\\e]0;pwned\\a"', `"${'x'.repeat(5000)}"`, '"../../etc/passwd"', '"$(touch pwned)"', '"\\u202Eevil"', '~', '.inf', '0x1F'];

function generatedCases(): Case[] {
	const cases: Case[] = [];
	for (const field of ['name', 'title', 'branch', 'promotesTo', 'docker', 'services', 'probes', 'protection', 'verify', 'recipes']) {
		for (const value of badValues) {
			const expect = legal.has(`${field} ${value.replaceAll('"', '')}`) ? 'valid' : 'invalid';
			cases.push({title: `${field}: ${value.slice(0, 30)}`, files: {'dev.yaml': valid({[field]: value})}, expect});
		}
	}

	for (const typo of ['nmae', 'branhc', 'promoteTo', 'dokcer', 'servces', 'probe', 'protections', 'verfy', 'recipe', 'check', 'readonly', 'Title']) {
		cases.push({title: `unknown field ${typo}`, files: {'dev.yaml': `${valid()}${typo}: x\n`}});
	}

	for (const field of ['name', 'branch', 'docker']) cases.push({title: `missing ${field}`, files: {'dev.yaml': valid({[field]: '<omit>'})}});
	const nested: Array<[string, string]> = [
		['docker', '\n  host: file:///etc/passwd\n  project: shop-dev'], ['docker', '\n  host: "tcp://$(reboot)"\n  project: shop-dev'], ['docker', '\n  host: http://x\n  project: shop-dev'],
		['docker', '\n  project: Shop Dev'], ['docker', '\n  project: "../.."'], ['docker', '\n  project: shop-dev\n  extra: 1'],
		['services', '\n  Web: { image: x }'], ['services', '\n  web: { image: "" }'], ['services', '\n  web: { image: x, port: 70000 }'], ['services', '\n  web: { image: x, port: 0 }'],
		['services', '\n  web: { image: x, healthPath: health }'], ['services', '\n  web: { image: x, environment: { A: 1 } }'], ['services', '\n  web: { image: x, extra: y }'],
		['probes', '\n  - { name: web, url: "ftp://x" }'], ['probes', '\n  - { name: web, url: "not a url" }'], ['probes', '\n  - { name: web, url: "http://x", expectStatus: 99 }'],
		['probes', '\n  - { name: web, url: "http://x", expectStatus: 600 }'], ['probes', '\n  - { name: web, url: "http://x", timeoutMs: 0 }'], ['probes', '\n  - { name: "", url: "http://x" }'],
		['probes', '\n  - { url: "http://x" }'], ['probes', '\n  - web'],
		['protection', '\n  confirm: always'], ['protection', '\n  confirm: YES'], ['protection', '\n  approvers: ana'], ['protection', '\n  freeze: 5'], ['protection', '\n  requireCleanTree: "yes"'],
		['verify', '{ timeoutMs: -5 }'], ['verify', '{ autoRollback: maybe }'], ['verify', '{ timeoutMs: 1.5 }'],
		['recipes', '{ deploy: ../../../../bin/sh }'], ['recipes', '{ deploy: /bin/sh }'], ['recipes', '{ deploy: "C:\\\\x.mjs" }'], ['recipes', '{ deploy: "a/../../b.mjs" }'],
		['recipes', '{ deploy: "" }'], ['recipes', '{ rollback: "checks//x.mjs" }'], ['recipes', '{ timeoutMs: 0 }'], ['recipes', '{ forcePush: "true" }'],
		['name', 'Dev'], ['name', '"dev prod"'], ['name', '-dev'], ['name', 'staging'], ['branch', '"-rf"'], ['branch', '"a..b"'], ['branch', '"x~1"'], ['branch', '"refs/heads/"'], ['branch', '"@"'], ['branch', '"a b"'],
	];
	for (const [field, value] of nested) {
		// A host that resolves nowhere is legal to write down: status says it is unreachable.
		const expect = value.includes('$(reboot)') ? 'either' : 'invalid';
		cases.push({title: `${field}: ${value.trim().slice(0, 40)}`, files: {'dev.yaml': valid({[field]: value})}, expect});
	}

	const raw: Array<[string, string]> = [
		['a tab for indentation', valid().replace('\n  project', '\n\tproject')],
		['an unclosed flow mapping', valid().replace('autoRollback: true }', 'autoRollback: true')],
		['a duplicate key', `${valid()}name: dev\n`],
		['an alias bomb', ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((letter, index) => `${letter}: &${letter} [${Array.from({length: 9}, () => `*${'abcdefghi'[index]}`).join(',')}]`), valid()].join('\n')],
		['a self-referencing alias', `x: &x [*x]\n${valid()}`],
		['an unknown tag', `${valid()}extra: !!python/object foo\n`],
		['a list at the top', '- name: dev\n'],
		['a bare string', 'just text\n'],
		['an empty file', ''],
		['only a comment', '# nothing\n'],
		['binary garbage', '\u0000\u0001\u0002\u00FF\u00FE'],
		['a byte order mark', `\uFEFF${valid()}`],
		['CRLF line ends', valid().replaceAll('\n', '\r\n')],
		['two documents', `${valid()}---\nname: other\n`],
		['terminal escapes in a key', `${valid()}"\u001B[2J": x\n`],
		['a very deep nesting', `${valid()}deep: ${'['.repeat(500)}${']'.repeat(500)}\n`],
		['a 300 KB file', `${valid()}# ${'x'.repeat(300 * 1024)}\n`],
		['a key of control characters', `${valid()}"\u0007\u0008": 1\n`],
	];
	for (const [title, text] of raw) cases.push({title, files: {'dev.yaml': text}, expect: ['a byte order mark', 'CRLF line ends'].includes(title) ? 'valid' : 'invalid'});

	cases.push(
		{title: 'a FIFO named like an environment file', files: {'dev.yaml': valid(), 'pipe.yaml': {special: 'fifo'}}},
		{title: 'a symbolic link to /dev/zero', files: {'dev.yaml': valid(), 'zero.yaml': {special: 'dev-zero'}}},
		{title: 'a folder named x.yaml', files: {'dev.yaml': valid(), 'x.yaml': {special: 'folder'}}},
		{title: 'a dangling symbolic link', files: {'dev.yaml': valid(), 'gone.yaml': {special: 'dangling'}}},
		{title: 'a symbolic link loop', files: {'dev.yaml': valid(), 'loop.yaml': {special: 'loop'}}},
		{title: 'no environment files at all', files: {}},
		{title: 'promotesTo an unknown environment', files: {'dev.yaml': valid({promotesTo: 'staging'})}},
		{title: 'promotesTo itself', files: {'dev.yaml': valid({promotesTo: 'dev'})}},
		{title: 'a cycle of two', files: {'dev.yaml': valid({promotesTo: 'staging'}), 'staging.yaml': valid({name: 'staging', branch: 'staging', promotesTo: 'dev', docker: '\n  project: shop-staging'})}},
		{title: 'a cycle of three', files: {
			'dev.yaml': valid({promotesTo: 'qa'}),
			'qa.yaml': valid({name: 'qa', branch: 'qa', promotesTo: 'staging', docker: '\n  project: shop-qa'}),
			'staging.yaml': valid({name: 'staging', branch: 'staging', promotesTo: 'dev', docker: '\n  project: shop-staging'}),
		}},
		{title: 'two environments promoting into one', files: {
			'dev.yaml': valid({promotesTo: 'staging'}),
			'qa.yaml': valid({name: 'qa', branch: 'qa', promotesTo: 'staging', docker: '\n  project: shop-qa'}),
			'staging.yaml': valid({name: 'staging', branch: 'staging', docker: '\n  project: shop-staging'}),
		}},
		{title: 'a name that is not its file\'s', files: {'prod.yaml': valid()}},
		{title: 'a valid file, for contrast', files: {'dev.yaml': valid()}, expect: 'valid'},
	);
	return cases;
}

function project(files: Case['files']): string {
	const root = temporaryFolder(resources);
	const folder = path.join(root, 'environments');
	mkdirSync(folder);
	for (const [name, content] of Object.entries(files)) {
		const file = path.join(folder, name);
		if (typeof content === 'string') writeFileSync(file, content);
		else if (content.special === 'fifo') execFileSync('mkfifo', [file]);
		else if (content.special === 'dev-zero') symlinkSync('/dev/zero', file);
		else if (content.special === 'folder') mkdirSync(file);
		else if (content.special === 'dangling') symlinkSync(path.join(folder, 'nowhere.yaml'), file);
		else symlinkSync(file, file);
	}

	return root;
}

/** Runs many short commands, a few at a time. */
async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>, width = 4): Promise<R[]> {
	const results: R[] = [];
	for (let index = 0; index < items.length; index += width) results.push(...await Promise.all(items.slice(index, index + width).map(run)));
	return results;
}

function assertPersonReadable(result: CliResult, what: string): void {
	assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at |TypeError|ReferenceError|RangeError|unexpected error/, `${what}: a stack trace or an internal error`);
	assert.doesNotMatch(result.stdout + result.stderr, /[\u0000-\u0008\u000B-\u001F\u007F\u202E]/, `${what}: a raw control character reached the terminal`);
	assert.ok(result.ms < 10_000, `${what}: took ${Math.round(result.ms)} ms`);
}

test(`${generatedCases().length} generated environment files: exit 2 with file:line for each problem, never a hang or a stack trace`, async () => {
	const cases = generatedCases();
	assert.ok(cases.length >= 200, `only ${cases.length} cases`);
	// Every case through validate; every third through status too (the same loader, a different face), to keep the suite quick.
	const results = await inBatches(cases, async (item: Case) => {
		const root = project(item.files);
		const index = cases.indexOf(item);
		const [validate, status] = await Promise.all([runCli(['validate'], {cwd: root, timeoutMs: 15_000}), index % 3 === 0 ? runCli(['status', '--json'], {cwd: root, timeoutMs: 15_000}) : undefined]);
		return {item, validate, status};
	});
	const failures: string[] = [];
	for (const {item, validate, status} of results) {
		try {
			assertPersonReadable(validate, `validate with ${item.title}`);
			if (status) assertPersonReadable(status, `status with ${item.title}`);
			if (item.expect === 'either') continue;
			if (item.expect === 'valid') {
				assert.equal(validate.code, 0, `${item.title}: ${validate.stderr}`);
				continue;
			}

			assert.equal(validate.code, 2, `${item.title}: validate exited ${validate.code}\n${validate.stdout}${validate.stderr}`);
			if (status) assert.equal(status.code, 2, `${item.title}: status exited ${status.code}`);
			const lines = validate.stderr.trim().split('\n');
			assert.match(lines.at(-1)!, /^\d+ problems? found$/, item.title);
			for (const line of lines.slice(0, -1)) assert.match(line, /^environments\/\S*?(:\d+)?: \S/, `${item.title}: "${line}" does not say file:line`);
		} catch (error) {
			failures.push((error as Error).message.split('\n').slice(0, 4).join(' | '));
		}
	}

	assert.deepEqual(failures, []);
});

test('60 hostile arguments: a clear refusal or answer, never a hang, a stack trace, a raw escape or a command run', async () => {
	const root = temporaryFolder(resources);
	writeFiles(root, {'environments/dev.yaml': valid().replace('project: shop-dev', `host: unix://${path.join(root, 'no-engine.sock')}\n  project: shop-dev`)});
	initRepository(root);
	const escape = '\u001B[2J\u001B]0;pwned\u0007';
	const arguments_: string[][] = [
		['status', escape], ['status', '$(touch pwned)'], ['status', '../../etc'], ['status', 'dev', 'extra'], ['status', '-'], ['status', '--'], ['status', '--json=yes'],
		['promote', '$(touch pwned)', 'dev'], ['promote', 'dev', escape], ['promote', 'dev', 'dev', '--yes'], ['promote', '--confirm'], ['promote', 'dev', 'x'.repeat(100_000)],
		['deploy', escape], ['deploy', ''], ['deploy', ' dev'], ['deploy', 'DEV'], ['deploy', 'dev', '--confirm', escape, '--yes'], ['deploy', '\u202Eved'],
		['rollback', 'dev', '--to', '../../etc/passwd'], ['rollback', 'dev', '--to', escape], ['rollback', 'dev', '--to', '-1'], ['rollback', 'dev', '--to', 'HEAD~1;reboot'], ['rollback', 'dev', '--to', ''], ['rollback', 'dev', '--to', 'f'.repeat(41)],
		['history', '--limit', '-1'], ['history', '--limit', '1e309'], ['history', '--limit', 'NaN'], ['history', '--limit', '0x10'], ['history', escape], ['history', '--limit', '99999999999999999999'],
		['lock', escape], ['lock', 'dev', '--message', escape], ['lock', 'x'.repeat(5000)], ['unlock', '../dev'], ['unlock', 'dev', '--force', '--force'], ['locks', '--json', escape],
		['--project', '/dev/zero', 'status'], ['--project', '/proc/self', 'status'], ['--project', escape, 'status'], ['--project', '', 'status'], ['--project', 'x'.repeat(5000), 'validate'],
		['--operator', escape, 'locks'], ['--operator', '', 'locks'], ['--operator', `ana\nbo`, 'locks'], ['--read-only', '--read-only', 'deploy', 'dev'],
		[escape], ['statsu'], ['$(touch pwned)'], ['--unknown-flag'], ['-x'], ['--help', escape], ['help'], ['--version', 'extra'],
		['demo', 'sideways'], ['demo', 'down', '--dir', '/'], ['demo', 'down', '--dir', escape], ['check', 'dev', escape], ['validate', escape], ['status', '--no-color', '--ascii', '--no-ascii', 'dev'],
	];
	assert.ok(arguments_.length >= 50);
	const results = await inBatches(arguments_, async args => ({args, result: await runCli(args, {cwd: root, timeoutMs: 20_000})}));
	const failures: string[] = [];
	for (const {args, result} of results) {
		try {
			assertPersonReadable(result, JSON.stringify(args).slice(0, 80));
			assert.ok([0, 1, 2, 3].includes(result.code ?? -1), `${JSON.stringify(args).slice(0, 80)} exited ${result.code}`);
		} catch (error) {
			failures.push((error as Error).message.split('\n')[0]!);
		}
	}

	assert.deepEqual(failures, []);
	assert.deepEqual(readdirSync(root).filter(name => name.startsWith('pwned')), [], 'no argument ran as a command');
});
