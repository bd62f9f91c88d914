import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {createServer as createHttpServer} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createTcpServer, type Server} from 'node:net';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runCli, startCli} from '../helpers/cli.js';
import {processAlive} from '../helpers/processes.js';
import {buildWebImage, engineForTests, newRunId, publishedPort, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {freePort, makeCertificates, startSilentListener} from '../helpers/remote-engines.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';

const engine = await engineForTests();
const runId = newRunId();

type JsonReport = {env: string; release: string | null; commit: string | null; at: string; operator: string; checks: Array<{name: string; type: string; status: string; ms: number; detail: string}>};

describe('opsconsole check against real containers, servers and recipes', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let root: string;
	let goodRelease: string;
	let goodCommit: string;

	async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		resources.defer(async () => new Promise(resolve => {
			(server as {closeAllConnections?: () => void}).closeAllConnections?.();
			server.close(resolve);
		}));
		return (server.address() as {port: number}).port;
	}

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		const project = (name: string) => `oct-${runId}-${name}`;
		// The containers carry the release and commit opsconsole's recipes would give them: a real commit of the project.
		root = temporaryFolder(resources, 'opsconsole-checks-');
		goodCommit = initRepository(root, ['good', 'bad']);
		goodRelease = `good-20261123-100000-${goodCommit.slice(0, 7)}`;
		const good = await startContainer(docker, {
			image, project: project('good'), service: 'web', runId, publish: true,
			labels: {'opsconsole.release': goodRelease, 'opsconsole.commit': goodCommit},
			cmd: ['/bin/busybox', 'sh', '-c', 'echo "booking service ready"; exec /bin/busybox httpd -f -p 8080 -h /www'],
		});
		const bad = await startContainer(docker, {
			image, project: project('bad'), service: 'web', runId, healthcheck: 'failing',
			cmd: ['/bin/busybox', 'sh', '-c', 'echo "ERROR payment gateway timed out"; exec /bin/busybox httpd -f -p 8080 -h /www'],
		});
		await waitForContainer(good, info => info.State.Health?.Status === 'healthy');
		await waitForContainer(bad, info => info.State.Health?.Status === 'unhealthy');
		const webPort = await publishedPort(good);

		const certificates = makeCertificates(resources);
		const secure = {'Strict-Transport-Security': 'max-age=63072000', 'Content-Security-Policy': 'default-src \'self\'', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY'};
		const httpsPort = await listen(createHttpsServer({cert: readFileSync(certificates.serverCert), key: readFileSync(certificates.serverKey)}, (_request, response) => response.writeHead(200, secure).end('ok')));
		const headersPort = await listen(createHttpServer((_request, response) => response.writeHead(200, secure).end('ok')));
		const tcpPort = await listen(createTcpServer(socket => socket.end()));
		const refusing = await freePort();
		const hanging = await startSilentListener(resources);

		writeFiles(root, {
			'environments/good.yaml': [
				'name: good', 'branch: good', 'promotesTo: bad',
				`docker: { project: ${project('good')} }`,
				'protection: { confirm: none, requireChecks: true, checksMaxAge: 1h }',
				'checks:',
				'  - { name: All services healthy, type: health, description: Every container runs and passes its health check }',
				`  - { name: Homepage answers, type: http, url: "http://127.0.0.1:${webPort}/", expectText: "opsconsole test", maxLatencyMs: 2000 }`,
				`  - { name: Homepage is fast, type: latency, url: "http://127.0.0.1:${webPort}/", requests: 10, p95Ms: 1000 }`,
				`  - { name: Database port open, type: tcp, host: 127.0.0.1, port: ${tcpPort} }`,
				`  - { name: TLS certificate, type: tls, host: 127.0.0.1, port: ${httpsPort}, ca: ${path.join(certificates.folder, 'ca.pem')}, minDaysValid: 1 }`,
				`  - { name: Security headers, type: headers, url: "http://127.0.0.1:${headersPort}/" }`,
				'  - { name: No errors logged, type: logs, pattern: "ERROR|panic" }',
				'  - { name: Integration tests, type: recipe, recipe: checks/integration.mjs }',
				'',
			].join('\n'),
			'environments/bad.yaml': [
				'name: bad', 'branch: bad',
				`docker: { project: ${project('bad')} }`,
				'checks:',
				'  - { name: All services healthy, type: health }',
				`  - { name: Booking journey, type: http, url: "http://127.0.0.1:${hanging}/api/booking", timeoutMs: 500 }`,
				`  - { name: Cache port open, type: tcp, host: 127.0.0.1, port: ${refusing} }`,
				`  - { name: Security headers, type: headers, url: "http://127.0.0.1:${webPort}/" }`,
				'  - { name: No errors logged, type: logs, pattern: "ERROR|panic" }',
				'  - { name: Integration tests, type: recipe, recipe: checks/failing.mjs }',
				'',
			].join('\n'),
			'recipes/checks/integration.mjs': 'console.log(`checking ${process.env.OPSCONSOLE_ENV} on ${process.env.OPSCONSOLE_RELEASE}`);\nconsole.log("::step::booking");\nconsole.log("booked seat 12A");\n',
			'recipes/checks/failing.mjs': 'console.log("booking a seat");\nthrow new Error("no seat was booked");\n',
			'environments/slow.yaml': [
				'name: slow', 'branch: good',
				`docker: { project: ${project('slow')} }`,
				'checks:',
				...[1, 2, 3].map(index => `  - { name: Soak ${index}, type: recipe, recipe: checks/slow.mjs }`),
				`  - { name: Port 4, type: tcp, host: 127.0.0.1, port: ${tcpPort} }`,
				`  - { name: Port 5, type: tcp, host: 127.0.0.1, port: ${tcpPort} }`,
				'',
			].join('\n'),
			'recipes/checks/slow.mjs': 'import {writeFileSync} from "node:fs";\nwriteFileSync(`${process.env.OPSCONSOLE_CONTEXT}.pid`, String(process.pid));\nawait sleep(60_000);\n',
		});
	});

	const ops = async (...args: string[]) => runCli(['--operator', 'ana@example.test', ...args], {cwd: root, timeoutMs: 60_000});

	test('all passing: exit 0, one line per check as it finishes, a JSON report that reads back', async () => {
		const result = await ops('check', 'good', '--report', 'good.json');
		assert.equal(result.code, 0, result.stdout + result.stderr);
		const lines = result.stdout.split('\n').filter(line => /^\[\d\/8\]/.test(line));
		assert.equal(lines.length, 8);
		assert.deepEqual(lines.map(line => /^\[(\d)\/8\]/.exec(line)![1]), ['1', '2', '3', '4', '5', '6', '7', '8']);
		assert.ok(lines.every(line => line.includes('PASS')), result.stdout);
		assert.match(result.stdout, new RegExp(`PASSED: all 8 of 8 passed — good on ${goodRelease} \\(${goodCommit.slice(0, 7)} initial\\)`));
		const report = JSON.parse(readFileSync(path.join(root, 'good.json'), 'utf8')) as JsonReport;
		assert.equal(report.env, 'good');
		assert.equal(report.release, goodRelease);
		assert.equal(report.commit, goodCommit);
		assert.equal(report.operator, 'ana@example.test');
		assert.ok(Math.abs(Date.parse(report.at) - Date.now()) < 60_000);
		assert.deepEqual(report.checks.map(check => check.type), ['health', 'http', 'latency', 'tcp', 'tls', 'headers', 'logs', 'recipe']);
		assert.ok(report.checks.every(check => check.status === 'pass' && check.ms >= 0));
		assert.match(report.checks[4]!.detail, /^valid for 127\.0\.0\.1, expires \d{4}-\d{2}-\d{2}/);
		assert.match(report.checks[6]!.detail, /none of 1 line in 1 container match/);
	});

	test('failures: exit 1, each failing check with its reason, the hanging URL bounded, Markdown and JUnit reports', async () => {
		const started = Date.now();
		const result = await ops('check', 'bad', '--report', 'bad.xml');
		assert.equal(result.code, 1, result.stdout + result.stderr);
		assert.ok(Date.now() - started < 20_000, 'the hanging URL is bounded by its timeout');
		assert.match(result.stdout, /FAIL {2}Booking journey .* GET http:\/\/127\.0\.0\.1:\d+\/api\/booking: no answer within 500 ms/);
		assert.match(result.stdout, /FAIL {2}Cache port open .*connection refused/);
		assert.match(result.stdout, /FAIL {2}All services healthy .*degraded: .*unhealthy/);
		assert.match(result.stdout, /FAIL {2}Security headers .*missing: strict-transport-security, content-security-policy, x-content-type-options, x-frame-options/);
		assert.match(result.stdout, /FAIL {2}No errors logged .*1 line matches \/ERROR\|panic\/: .*ERROR payment gateway timed out/);
		assert.match(result.stdout, /FAIL {2}Integration tests .*checks\/failing\.mjs exited with code 1: Error: no seat was booked/);
		assert.match(result.stdout, /FAILED: 6 of 6 failed: All services healthy, Booking journey, Cache port open, Security headers, No errors logged, Integration tests/);
		const xml = readFileSync(path.join(root, 'bad.xml'), 'utf8');
		assert.match(xml, /<testsuite name="bad" tests="6" failures="6" errors="0" skipped="0"/);
		assert.equal([...xml.matchAll(/<testcase /g)].length, 6);
		assert.match(xml, /<failure message="checks\/failing\.mjs exited with code 1: Error: no seat was booked" type="recipe">booking a seat/);

		const markdown = await ops('check', 'bad', '--report', 'bad.md');
		assert.equal(markdown.code, 1);
		const text = readFileSync(path.join(root, 'bad.md'), 'utf8');
		assert.match(text, /^\*\*FAILED\*\* — 6 of 6 failed: All services healthy, Booking journey/m);
		assert.match(text, /^- Operator: ana@example\.test$/m);
		assert.deepEqual(text.split('\n').filter(line => /^\| \d \|/.test(line)).map(line => line.split(' | ')[3]), ['FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL']);
	});

	test('--json prints the run on stdout, progress on stderr; a bad report name is refused before anything runs', async () => {
		const result = await ops('check', 'bad', '--json');
		assert.equal(result.code, 1);
		const report = JSON.parse(result.stdout) as JsonReport;
		assert.deepEqual(report.checks.map(check => check.name), ['All services healthy', 'Booking journey', 'Cache port open', 'Security headers', 'No errors logged', 'Integration tests']);
		assert.ok(report.checks.every(check => check.status === 'fail'));
		assert.match(result.stderr, /\[6\/6\]/);
		const badName = await ops('check', 'good', '--report', 'report.pdf');
		assert.equal(badName.code, 2);
		assert.match(badName.stderr, /name it \.md \(Markdown\), \.json or \.xml \(JUnit\)/);
		const unknown = await ops('check', 'nowhere');
		assert.equal(unknown.code, 2);
	});

	test('Ctrl-C stops the checks under way (their recipes end), skips the rest, still reports, exit 130', async () => {
		const running = startCli(['--operator', 'ana@example.test', 'check', 'slow', '--report', 'slow.json'], {cwd: root});
		const logs = path.join(root, '.opsconsole', 'logs');
		const pidFiles = () => (existsSync(logs) ? readdirSync(logs).filter(name => name.endsWith('.pid')) : []);
		const deadline = Date.now() + 20_000;
		while (pidFiles().length < 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
		const pids = pidFiles().map(name => Number(readFileSync(path.join(logs, name), 'utf8')));
		assert.equal(pids.length, 3, 'three at a time');
		running.signal('SIGINT');
		const result = await running.done;
		assert.equal(result.code, 130, result.stdout + result.stderr);
		assert.equal((result.stdout.match(/FAIL {2}Soak \d .*stopped before it finished \(checks\/slow\.mjs was cancelled\)/g) ?? []).length, 3, result.stdout);
		assert.match(result.stdout, /FAILED: 3 of 5 failed: Soak 1, Soak 2, Soak 3, 2 skipped/);
		const report = JSON.parse(readFileSync(path.join(root, 'slow.json'), 'utf8')) as JsonReport;
		assert.deepEqual(report.checks.map(check => check.status), ['fail', 'fail', 'fail', 'skip', 'skip']);
		await new Promise(resolve => setTimeout(resolve, 500));
		assert.deepEqual(pids.filter(pid => processAlive(pid)), [], 'no recipe outlives the run');
	});

	test('the gate: promoting out of an environment that requires checks is refused without a fresh passing run on its release', async () => {
		const checksFolder = path.join(root, '.opsconsole', 'checks');
		const {rmSync} = await import('node:fs');
		rmSync(checksFolder, {recursive: true, force: true});
		const refused = await ops('promote', 'good', 'bad', '--yes');
		assert.equal(refused.code, 3, refused.stdout + refused.stderr);
		assert.match(refused.stdout + refused.stderr, new RegExp(`no checklist run on ${goodRelease} yet`));
		assert.match(refused.stdout + refused.stderr, /opsconsole check good/);
		const checked = await ops('check', 'good');
		assert.equal(checked.code, 0, checked.stdout);
		const again = await ops('promote', 'good', 'bad', '--yes', '--dry-run');
		assert.doesNotMatch(again.stdout + again.stderr, /no checklist run|checks passed.*✖|checklist run on .* failed/);
		assert.match(again.stdout + again.stderr, /good's checks passed \(run chk-good-\S+ by ana@example\.test, just now\)/);
	});
});
