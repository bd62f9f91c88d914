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

// Ink renders only its final frame when it believes it runs in CI, which would leave the UI tests
// nothing to look at. The tests get CI=false, and OPSCONSOLE_CI says whether it really is CI (where
// Docker tests must never be skipped).
const inCi = ['CI', 'CONTINUOUS_INTEGRATION'].some(key => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false');
const env = {...process.env, CI: 'false', OPSCONSOLE_CI: inCi ? '1' : ''};
delete env.CONTINUOUS_INTEGRATION;
// Two files at a time: most of the suite waits on the engine, health checks and git, so a second
// file uses the idle core (on 2 cores Node would run one file at a time); the suite then takes
// about 13 minutes instead of 18 on a busy 2-core machine.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {stdio: 'inherit', cwd: root, env});
process.exit(result.status ?? 1);
