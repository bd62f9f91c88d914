import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import path from 'node:path';
import {after, afterEach, before, test} from 'node:test';
import {createChecklistSource} from '../../source/app/checklist-source.js';
import {createDashboardActions} from '../../source/app/dashboard-actions.js';
import type {CheckRun} from '../../source/core/checks.js';
import App from '../../source/ui/App.js';
import ChecklistScreen from '../../source/ui/checks/ChecklistScreen.js';
import {pipeline, shopWorld, type FakeWorld} from '../helpers/fakes.js';
import {Resources, temporaryFolder} from '../helpers/temp.js';
import {keys, waitFor} from './frames.js';
import {liveMonitor, renderScreen} from './harness.js';

const resources = new Resources();
after(async () => resources.release());
let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const step of cleanup.splice(0)) step();
});

/** A real local service whose booking journey answers only when the test lets it. */
let baseUrl = '';
let releaseBooking: () => void = () => undefined;
let bookingHeld = Promise.resolve();
const holdBooking = () => {
	bookingHeld = new Promise(resolve => {
		releaseBooking = resolve;
	});
};

before(async () => {
	const server = createServer((request, response) => {
		if (request.url === '/api/booking') void bookingHeld.then(() => response.end('{"booking":"confirmed"}'));
		else response.end('ok');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	resources.defer(async () => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	}));
	baseUrl = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
});

function checklistWorld(): FakeWorld {
	const world = shopWorld({environments: pipeline({staging: {checks: [
		{name: 'All services healthy', type: 'health', description: 'Every container runs and is healthy'},
		{name: 'Booking journey', type: 'http', url: `${baseUrl}/api/booking`, expectText: 'confirmed', description: 'A customer can book a seat'},
		{name: 'No errors logged', type: 'logs', pattern: 'ERROR|panic', description: 'Nothing went wrong since the release started'},
	]}})});
	world.engine.logLines = ['GET / 200', 'ERROR payment gateway timed out'];
	return world;
}

function renderChecklist(world: FakeWorld, options: {present?: boolean} = {}) {
	const reportDirectory = temporaryFolder(resources);
	const done: Array<CheckRun | undefined> = [];
	const instance = renderScreen(<ChecklistScreen source={createChecklistSource(world.services, 'staging', {reportDirectory})} width={80} height={23} present={options.present} onDone={run => done.push(run)}/>);
	cleanup.push(() => instance.unmount());
	return {...instance, done, reportDirectory};
}

test('each check shows a spinner while it runs and its mark, time and reason as it finishes, not all at once', async () => {
	holdBooking();
	const world = checklistWorld();
	const {lastFrame} = renderChecklist(world);
	let frame = await waitFor(lastFrame, /✔ PASS +All services healthy[\s\S]*✖ FAIL +No errors logged/);
	assert.match(frame, /^ {2}\S ….? +Booking journey +running$/m, 'the booking journey is still running');
	assert.match(frame, /checks · staging · staging-r1 · aaaaaaa First/);
	assert.match(frame, /2 of 3 done, 1 failed so far…/);
	releaseBooking();
	frame = await waitFor(lastFrame, /FAILED: 1 of 3 failed: No errors logged/);
	assert.match(frame, /✔ PASS +Booking journey +\d+ ms +HTTP 200 in \d+ ms/);
	assert.match(frame, /✖ FAIL +No errors logged +\d+ ms +1 line matches \/ERROR\|panic\/: \S*…$/m, 'the reason, cut to the width (Enter shows it whole)');
	assert.equal(world.checkRuns.runs.length, 1, 'the run is stored');
	assert.equal(world.checkRuns.runs[0]!.release, 'staging-r1');
});

test('Enter shows a check\'s whole output; e writes the report; r re-runs only the failed ones', async () => {
	const world = checklistWorld();
	const {lastFrame, stdin, reportDirectory} = renderChecklist(world);
	await waitFor(lastFrame, /FAILED: 1 of 3 failed/);
	stdin.write(keys.down);
	stdin.write(keys.down);
	await waitFor(lastFrame, /▸ ✖ FAIL +No errors logged/);
	assert.match(lastFrame() ?? '', /^Nothing went wrong since the release started$/m, 'the selected check\'s description under the list');
	stdin.write(keys.enter);
	let frame = await waitFor(lastFrame, /lines 1-1 of 1/);
	assert.match(frame, /Nothing went wrong since the release started — 1 line matches/);
	assert.match(frame, /^shop-staging-web: ERROR payment gateway timed out$/m);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /▸ ✖ FAIL +No errors logged/);

	stdin.write('e');
	frame = await waitFor(lastFrame, /report written: /);
	const file = /report written: (\S+)/.exec(frame.replace(/\n/g, ''))![1]!;
	const written = path.join(reportDirectory, `${world.checkRuns.runs[0]!.id}.md`);
	assert.ok(file.length > 0 && existsSync(written), `report at ${written}`);
	assert.match(readFileSync(written, 'utf8'), /\*\*FAILED\*\* — 1 of 3 failed: No errors logged/);

	world.engine.logLines = ['GET / 200', 'booking confirmed'];
	const bookingsBefore = world.checkRuns.runs[0]!.checks[1]!;
	stdin.write('r');
	frame = await waitFor(lastFrame, /PASSED: all 3 of 3 passed/);
	assert.match(frame, /✔ PASS +No errors logged/);
	assert.equal(world.checkRuns.runs.length, 2);
	assert.deepEqual(world.checkRuns.runs[1]!.checks[1], bookingsBefore, 'a check that passed is kept, not run again');
	stdin.write('r');
	await waitFor(lastFrame, /nothing failed: nothing to re-run/);
});

test('present mode: a banner, one check per key press with its description, then a summary slide, within 80×24', async () => {
	const world = checklistWorld();
	const {lastFrame, stdin, done} = renderChecklist(world, {present: true});
	let frame = await waitFor(lastFrame, /STAGING · RELEASE CHECKS[\s\S]*staging-r1 · aaaaaaa First[\s\S]*Press Space to reveal the first/);
	assert.match(frame, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
	stdin.write(' ');
	frame = await waitFor(lastFrame, /✔ PASS +All services healthy[\s\S]*Every container runs and is healthy/);
	assert.doesNotMatch(frame, /Booking journey/, 'one check at a time');
	stdin.write(' ');
	await waitFor(lastFrame, /Booking journey[\s\S]*A customer can book a seat/);
	stdin.write(' ');
	frame = await waitFor(lastFrame, /✖ FAIL +No errors logged[\s\S]*Nothing went wrong[\s\S]*1 line matches/);
	assert.match(frame, /check 3 of 3/);
	stdin.write(' ');
	frame = await waitFor(lastFrame, /1 OF 3 CHECKS FAILED/);
	assert.match(frame, /2 passed · 1 failed · 0 skipped/);
	assert.match(frame, /✖ No errors logged/);
	for (const line of frame.split('\n')) assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
	assert.ok(frame.split('\n').length <= 24);
	stdin.write(keys.left);
	await waitFor(lastFrame, /check 3 of 3/);
	stdin.write(keys.escape);
	await waitFor(lastFrame, /checks · staging[\s\S]*P present/);
	stdin.write('P');
	await waitFor(lastFrame, /Press Space to reveal the first/);
	stdin.write('q');
	await waitFor(() => String(done.length), /1/);
	assert.equal(done[0]?.env, 'staging');
});

test('c on the dashboard opens the selected environment\'s checklist; q returns; an environment without checks says how to add them', async () => {
	const world = checklistWorld();
	const monitor = liveMonitor(world);
	const instance = renderScreen(<App live={monitor} actions={createDashboardActions(world.services)} project="shop" operator="ana@example.test" readOnly={false} onQuit={() => undefined}/>);
	cleanup.push(() => instance.unmount(), () => monitor.stop());
	const {lastFrame, stdin} = instance;
	await waitFor(lastFrame, /── Development/);
	stdin.write('c');
	await waitFor(lastFrame, /dev has no checks: add a checks: list to environments\/dev\.yaml/);
	stdin.write(keys.tab);
	await waitFor(lastFrame, /── Staging/);
	holdBooking();
	stdin.write('c');
	await waitFor(lastFrame, /checks · staging[\s\S]*2 of 3 done/);
	const web = [...world.engine.containers.values()].find(container => container.project === 'shop-staging')!;
	world.engine.change(web.id, {restarts: 1});
	world.engine.change(web.id, {restarts: 2});
	await new Promise(resolve => setTimeout(resolve, 200));
	releaseBooking();
	await waitFor(lastFrame, /checks · staging[\s\S]*FAILED: 1 of 3 failed/);
	assert.equal(world.checkRuns.runs.length, 1, 'live events redraw the dashboard behind the checklist without starting it again');
	stdin.write('q');
	await waitFor(lastFrame, /── Staging/);
});
