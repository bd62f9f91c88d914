import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {repositoryRoot} from './helpers/cli.js';

/**
 * The import rules of DESIGN.md §6 and STYLE.md, checked over every way a module can reach another:
 * `import … from`, a bare `import '…'`, `export … from`, and dynamic `import(…)`. Type-only imports
 * and exports are not dependencies at run time and are allowed.
 */
export function runtimeImports(text: string): string[] {
	const code = text
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
	const specifiers: string[] = [];
	const patterns = [
		/^\s*import\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
		/^\s*export\s+(?!type\b)[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm,
		/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
	];
	for (const pattern of patterns) for (const match of code.matchAll(pattern)) specifiers.push(match[1]!);
	return specifiers;
}

function sourceFiles(root: string, folder: string): string[] {
	return readdirSync(path.join(root, folder), {withFileTypes: true, recursive: true})
		.filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name))
		.map(entry => path.join(entry.parentPath, entry.name));
}

const rules: Array<{folder: string; forbidden: RegExp; why: string}> = [
	{folder: 'core', forbidden: /^(node:|dockerode|simple-git|zx|conf|ink|react|yaml|commander)|\/(engine|vcs|recipes|state|config|probes|demo|app|cli|ui)\//, why: 'core is pure: no I/O, no SDKs, no faces'},
	{folder: 'app', forbidden: /^(dockerode|ink|react)|\/(cli|ui)\//, why: 'app speaks to Docker only through engine/ and knows no face'},
	{folder: 'cli', forbidden: /^(ink|react|dockerode)|\/(ui|engine)\//, why: 'the scriptable face loads no Ink and never imports the screens; the launcher picks the face'},
	{folder: 'ui', forbidden: /^(dockerode|simple-git|zx)$|\/(engine|vcs|recipes|state|cli)\//, why: 'the UI knows nothing of Docker, git or files; it gets data and actions'},
	...['vcs', 'recipes', 'state', 'config', 'probes', 'demo'].map(folder => ({folder, forbidden: /^dockerode$|\/(app|cli|ui)\//, why: `${folder}/ is an adapter: no Docker client of its own and no faces`})),
];

function violations(root: string, rule: (typeof rules)[number]): string[] {
	return sourceFiles(root, rule.folder).flatMap(file => runtimeImports(readFileSync(file, 'utf8'))
		.filter(specifier => rule.forbidden.test(specifier))
		.map(specifier => `${path.relative(root, file)} imports ${specifier}`));
}

for (const rule of rules) {
	test(`layering: ${rule.why}`, () => {
		assert.deepEqual(violations(path.join(repositoryRoot, 'source'), rule), []);
	});
}

test('layering: only engine/ imports dockerode', () => {
	const root = path.join(repositoryRoot, 'source');
	const importers = readdirSync(root, {withFileTypes: true}).filter(entry => entry.isDirectory() && entry.name !== 'engine')
		.flatMap(entry => sourceFiles(root, entry.name))
		.filter(file => runtimeImports(readFileSync(file, 'utf8')).includes('dockerode'));
	assert.deepEqual(importers, []);
});

test('the layering check sees every import form, and only runtime imports', () => {
	const fixtures = path.join(repositoryRoot, 'test', 'fixtures', 'layering');
	const cli = rules.find(rule => rule.folder === 'cli')!;
	assert.deepEqual(violations(fixtures, cli).sort(), [
		'cli/sneaky.ts imports ../ui/App.js',
		'cli/sneaky.ts imports ../ui/keys.js',
		'cli/sneaky.ts imports ../ui/run-dashboard.js',
		'cli/sneaky.ts imports ../ui/side-effect.js',
		'cli/sneaky.ts imports dockerode',
	]);
	assert.deepEqual(violations(fixtures, rules.find(rule => rule.folder === 'core')!), ['core/impure.ts imports node:fs']);
	assert.deepEqual(violations(fixtures, rules.find(rule => rule.folder === 'app')!), [], 'type-only imports and mentions in comments or strings are not dependencies');
});
