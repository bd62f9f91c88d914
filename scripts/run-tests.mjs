// Runs every compiled test file with node's own test runner (after `npm run build`).
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const testRoot = path.join(root, 'dist', 'test');
const only = process.argv.slice(2);

function collect(folder) {
	return readdirSync(folder, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) return collect(full);
		return entry.name.endsWith('.test.js') ? [full] : [];
	});
}

const files = collect(testRoot).filter(file => only.length === 0 || only.some(pattern => file.includes(pattern))).sort();
if (files.length === 0) {
	console.error('run-tests: no test files found under dist/test — did the build run?');
	process.exit(1);
}

const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {stdio: 'inherit', cwd: root});
process.exit(result.status ?? 1);
