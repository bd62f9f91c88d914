import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {binary} from '../helpers/cli.js';
import {createDemo, demoOperator, type Demo} from '../helpers/demo.js';
import {engineForTests, newRunId} from '../helpers/docker.js';
import {TmuxSession} from '../helpers/tmux.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();

type JsonReport = {env: string; release: string; checks: Array<{name: string; type: string; status: string; detail: string}>};

describe('the demo\'s staging checklist: every check type against the real demo stack, and present mode in a terminal', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	let webPort: number;

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
		const staging = readFileSync(path.join(demo.root, 'environments', 'staging.yaml'), 'utf8');
		webPort = Number(/http:\/\/127\.0\.0\.1:(\d+)\/api\/booking/.exec(staging)![1]);
	});

	test('after demo up, check staging passes every check type', async () => {
		const result = await demo.ops(['check', 'staging', '--json']);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		const report = JSON.parse(result.stdout) as JsonReport;
		assert.deepEqual(new Set(report.checks.map(check => check.type)), new Set(['health', 'http', 'latency', 'tcp', 'tls', 'headers', 'logs', 'recipe']));
		assert.ok(report.checks.every(check => check.status === 'pass'), JSON.stringify(report.checks, null, 2));
		assert.match(report.checks.find(check => check.type === 'tls')!.detail, /^valid for localhost, expires \d{4}-\d{2}-\d{2} \(8\d days\)$/);
		assert.equal(report.checks.find(check => check.type === 'headers')!.detail, '4 of 4 present');
		assert.match(report.release, /^staging-/);
	});

	test('present mode in a real terminal at 80×24: banner, one check per key, summary slide; --ascii and NO_COLOR clean', async () => {
		const tmux = new TmuxSession(`${runId}-present`);
		resources.defer(() => tmux.kill());
		const exitFile = path.join(demo.root, 'present-exit');
		tmux.start(`env -u CI NO_COLOR=1 ${process.execPath} ${binary} --project ${demo.root} --operator ${demoOperator} --ascii check staging --present; echo $? > ${exitFile}; sleep 60`, 80, 24);
		let screen = await tmux.waitFor(/STAGING - RELEASE CHECKS\n {2}staging-\d{8}-\d{6}-[0-9a-f]{7} - [0-9a-f]{7} Demo web app[\s\S]*Press Space to reveal the first/, 15_000);
		assert.match(screen, /^=+$/m, 'the banner rule drawn in ASCII');
		tmux.sendKeys('Space');
		screen = await tmux.waitFor(/\+ PASS +All services healthy[\s\S]*Every container runs and passes its health check/, 15_000);
		assert.doesNotMatch(screen, /Homepage answers/, 'one check at a time');
		for (let index = 2; index <= 9; index++) {
			tmux.sendKeys('Space');
			await tmux.waitFor(new RegExp(`check ${index} of 9`));
		}

		screen = await tmux.waitFor(/\+ PASS +No errors in the logs/, 15_000);
		tmux.sendKeys('Space');
		screen = await tmux.waitFor(/ALL 9 CHECKS PASSED/, 15_000);
		assert.match(screen, /9 passed - 0 failed - 0 skipped/);
		const text = screen.trimEnd().split('\n');
		assert.ok(text.length <= 24 && text.every(line => line.length <= 80));
		assert.doesNotMatch(screen, /[^\x20-\x7E\n]/, 'nothing but ASCII on the screen');
		tmux.sendKeys('q');
		const deadline = Date.now() + 5000;
		while (!existsSync(exitFile) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
	});

	test('a failure on purpose: POST /api/fault fails the booking journey, the recipe and the logs check, exit 1', async () => {
		const fault = await fetch(`http://127.0.0.1:${webPort}/api/fault`, {method: 'POST'});
		assert.equal(fault.status, 200);
		try {
			const result = await demo.ops(['check', 'staging', '--json']);
			assert.equal(result.code, 1, result.stdout + result.stderr);
			const report = JSON.parse(result.stdout) as JsonReport;
			const failed = report.checks.filter(check => check.status === 'fail');
			assert.deepEqual(failed.map(check => check.name).sort(), ['Booking journey', 'Journey and analytics', 'No errors in the logs']);
			assert.match(failed.find(check => check.type === 'http')!.detail, /HTTP 503, expected 201/);
			assert.match(failed.find(check => check.type === 'logs')!.detail, /ERROR booking failed: payment provider unavailable/);
		} finally {
			await fetch(`http://127.0.0.1:${webPort}/api/fault`, {method: 'DELETE'});
		}
	});
});
