import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {repositoryRoot} from './helpers/cli.js';

function sourceFiles(folder: string): string[] {
	return readdirSync(path.join(repositoryRoot, 'source', folder), {withFileTypes: true, recursive: true})
		.filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name))
		.map(entry => path.join(entry.parentPath, entry.name));
}

function importsOf(file: string): string[] {
	return [...readFileSync(file, 'utf8').matchAll(/^import\s(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map(match => match[1]!);
}

const rules: Array<{folder: string; forbidden: RegExp; why: string}> = [
	{folder: 'core', forbidden: /^(node:|dockerode|simple-git|zx|conf|ink|react|yaml)|\/(engine|vcs|recipes|state|config|app|cli|ui)\//, why: 'core is pure: no I/O, no SDKs, no faces'},
	{folder: 'ui', forbidden: /^(dockerode|simple-git|zx)$|\/(engine|vcs|recipes|cli)\//, why: 'the UI knows nothing of Docker or git; it gets data and actions'},
	{folder: 'cli', forbidden: /^(ink|react|dockerode)|\/ui\//, why: 'the scriptable face loads no Ink and speaks to Docker only through app/'},
];

for (const rule of rules) {
	test(`layering: ${rule.why}`, () => {
		const violations = sourceFiles(rule.folder).flatMap(file => importsOf(file).filter(specifier => rule.forbidden.test(specifier)).map(specifier => `${path.relative(repositoryRoot, file)} imports ${specifier}`));
		assert.deepEqual(violations, []);
	});
}
