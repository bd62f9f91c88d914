import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import path from 'node:path';
import {test} from 'node:test';
import {formatSeconds, plural, shortSha} from '../../source/core/words.js';
import stringWidth from 'string-width';
import {columns, fit, formatAge, formatDuration, imageTag} from '../../source/presentation/format.js';
import {narrowText} from '../../source/presentation/narrow-text.js';
import {colorWanted, environmentHealthSymbol, paint} from '../../source/presentation/style.js';

const durations: Array<[number, string]> = [[0, '0s'], [59_000, '59s'], [60_000, '1m'], [3_599_000, '59m'], [3_600_000, '1h'], [47 * 3_600_000, '47h'], [72 * 3_600_000, '3d'], [-5000, '0s']];
for (const [milliseconds, text] of durations) {
	test(`formatDuration(${milliseconds}) is ${text}`, () => assert.equal(formatDuration(milliseconds), text));
}

const tags: Array<[string, string]> = [
	['demo-web:1a2b3c4', '1a2b3c4'],
	['demo-web', 'latest'],
	['registry.local:5000/team/web:v2', 'v2'],
	['registry.local:5000/team/web', 'latest'],
	['sha256:0123456789abcdef0123', '0123456789ab'],
];
for (const [image, tag] of tags) {
	test(`imageTag(${image}) is ${tag}`, () => assert.equal(imageTag(image), tag));
}

test('shortSha, plural, formatSeconds, formatAge and fit', () => {
	assert.equal(shortSha('0123456789abcdef'), '0123456');
	assert.equal(shortSha(null), '—');
	assert.equal(shortSha(undefined, 'nothing'), 'nothing');
	assert.equal(plural(1, 'commit'), '1 commit');
	assert.equal(plural(2, 'commit'), '2 commits');
	assert.equal(formatSeconds(1349), '1.3 s');
	assert.equal(formatAge('2026-11-23T00:00:00Z', Date.parse('2026-11-23T00:05:00Z')), '5m');
	assert.equal(formatAge(undefined, 0), '—');
	assert.equal(fit('abc', 5), 'abc  ');
	assert.equal(fit('abcdef', 4), 'abc…');
	assert.equal(fit('abcdef', 4, true), 'abc~');
});

const wide: Array<[text: string, width: number, fitted: string]> = [
	['日本語のテキスト', 6, '日本 …'],
	['日本', 5, '日本 '],
	['日本語', 4, '日 …'],
	['ab日', 3, 'ab…'],
	['👍🏽ok', 4, '👍🏽ok'],
	['e\u0301tat', 3, 'e\u0301t…'],
];
for (const [text, width, fitted] of wide) {
	test(`fit measures display columns: ${JSON.stringify(text)} in ${width} → ${JSON.stringify(fitted)}`, async () => {
		const {default: stringWidth} = await import('string-width');
		assert.equal(fit(text, width), fitted);
		assert.equal(stringWidth(fit(text, width)), width);
	});
}

test('health symbols read without colour, and ASCII is one switch', () => {
	assert.equal(environmentHealthSymbol('healthy', {ascii: false}), '●');
	assert.equal(environmentHealthSymbol('healthy', {ascii: true}), '+');
	assert.equal(environmentHealthSymbol('down', {ascii: true}), 'x');
	assert.equal(paint('ok', 'good', {color: false}), 'ok');
	assert.equal(paint('ok', 'good', {color: true}), '\u001B[32mok\u001B[39m');
});

test('colour only on a TTY, never with NO_COLOR or --no-color', () => {
	assert.equal(colorWanted({isTTY: true}, true, {}), true);
	assert.equal(colorWanted({isTTY: false}, true, {}), false);
	assert.equal(colorWanted({isTTY: true}, false, {}), false);
	assert.equal(colorWanted({isTTY: true}, true, {NO_COLOR: '1'}), false);
});

const shortForms: Array<[string, string, string]> = [
	['shortRelease', 'staging-20261123-065142-b7dc12e', '11-23 06:51 b7dc12e'],
	['shortRelease', 'my-env-2-20260102-030405-0123456789', '01-02 03:04 0123456'],
	['shortRelease', 'hand-made', 'hand-made'],
	['shortImageTag', 'demo-web:1a2b3c4d5e6f', '1a2b3c4'],
	['shortImageTag', 'registry:5000/team/web:v2.3.1', 'v2.3.1'],
	['shortImageTag', 'busybox', 'latest'],
];
for (const [name, input, output] of shortForms) {
	test(`${name}(${input}) is ${output}`, async () => {
		const format = await import('../../source/presentation/format.js');
		assert.equal((format as unknown as Record<string, (value: string) => string>)[name]!(input), output);
	});
}

test('containers sort naturally: svc2 before svc10', async () => {
	const {compareContainers} = await import('../../source/core/container.js');
	const named = (service: string) => ({id: service, name: `shop-${service}`, service, image: 'x', state: 'running' as const, health: 'none' as const, restarts: 0, startedAt: undefined, createdAt: '', commit: undefined, release: undefined});
	assert.deepEqual(['svc10', 'svc1', 'svc2', 'svc11', 'Svc3'].map(named).sort(compareContainers).map(container => container.service), ['svc1', 'svc2', 'Svc3', 'svc10', 'svc11']);
});

test('the narrow fast path agrees with string-width on every character it covers', () => {
	const disagreements: string[] = [];
	for (let code = 0x20; code <= 0x27BF; code++) {
		const character = String.fromCodePoint(code);
		if (narrowText.test(character) && stringWidth(character) !== 1) disagreements.push(`U+${code.toString(16).toUpperCase()}`);
	}

	assert.deepEqual(disagreements, []);
	assert.equal(columns('── Development · dev@1a2b3c4 ▸ ● ✔ ⚠ ✖ ❯ −'), stringWidth('── Development · dev@1a2b3c4 ▸ ● ✔ ⚠ ✖ ❯ −'));
	assert.equal(narrowText.test('⚠\uFE0F'), false, 'an emoji presentation selector goes to string-width');
	assert.equal(columns('日本 web 🚀'), stringWidth('日本 web 🚀'), 'wide text still goes to string-width');
	assert.equal(fit('── staging · ready', 8), '── stag…');
});

test('the bundle\'s narrow-first string-width measures as string-width does', async () => {
	const {build} = await import('esbuild');
	const {repositoryRoot} = await import('../helpers/cli.js');
	const built = await build({entryPoints: [path.join(repositoryRoot, 'scripts', 'narrow-first-string-width.cjs')], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent'});
	const module = {exports: {} as unknown};
	new Function('module', 'exports', 'require', built.outputFiles[0]!.text)(module, module.exports, createRequire(import.meta.url));
	const narrowFirst = module.exports as (text: unknown, options?: object) => number;
	const samples = ['', 'web', '── staging · ready ▸ ● ✔ ⚠ ✖ ❯ −', '\u001B[31m● down\u001B[39m', '\u001B]8;;https://x\u0007link\u001B]8;;\u0007', '日本 web', 'deploy 🚀', '⚠\uFE0F', 'e\u0301', '±≤', '\t'];
	for (const options of [undefined, {ambiguousIsNarrow: false}, {countAnsiEscapeCodes: true}]) {
		for (const sample of samples) assert.equal(narrowFirst(sample, options), stringWidth(sample, options), `${JSON.stringify(sample)} with ${JSON.stringify(options)}`);
	}
});
