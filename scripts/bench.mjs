// Benchmarks opsconsole against the real Docker engine, each figure beside a baseline measured in
// the same run, and prints a Markdown table for the README. Not a test: numbers vary by machine and
// load; read them, don't assert them. Run after `npm run build`.
//
//   BENCH_RUNS=7          launches per timing (median reported)
//   BENCH_SIZES=30q,30,300  container counts (3 environments each; 300 spreads them over 3 engines).
//                         30q: health checks every 30 s, a quiet machine; 30: every second, which
//                         keeps this 2-core machine's dockerd busy (the load lazydocker is timed under)
//   BENCH_IDLE_S=15       seconds of idle output/CPU measured
//   BENCH_OPERATIONS=0    skip the promotion/rollback timings (they bring the demo up)
//   LAZYDOCKER=path       a lazydocker binary to time side by side (else `lazydocker` on PATH, if any)
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer} from '../dist/test/helpers/docker.js';
import {initRepository} from '../dist/test/helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../dist/test/helpers/temp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = path.join(root, 'bin', 'opsconsole.js');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const sizes = (process.env.BENCH_SIZES ?? '30q,30,300').split(',').map(size => ({total: Number.parseInt(size, 10), quiet: size.endsWith('q')}));
const idleSeconds = Number(process.env.BENCH_IDLE_S ?? 15);
const lazydocker = process.env.LAZYDOCKER ?? (spawnSync('sh', ['-c', 'command -v lazydocker'], {encoding: 'utf8'}).stdout.trim() || undefined);
const rows = [];
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = value => `${value.toFixed(0)} ms`;
const ratio = (value, baseline) => `${(value / baseline).toFixed(2)} ×`;
// eslint-disable-next-line no-control-regex
const plainText = text => text.replace(/\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B[()][A-Z0-9]|\u001B[=>78]/g, '');

function timeSync(command, args, options = {}) {
	const samples = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const result = spawnSync(command, args, {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, maxBuffer: 64 * 1024 * 1024});
		samples.push(performance.now() - started);
		if (options.check && !options.check(result)) throw new Error(`${command} ${args.join(' ')}: unexpected result\n${result.stdout}\n${result.stderr}`);
	}

	return median(samples);
}

/** The largest resident set of a command, from GNU time when the machine has it. */
function peakRss(command, args) {
	if (!existsSync('/usr/bin/time')) return undefined;
	const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	return Number(result.stderr.trim().split('\n').at(-1)) / 1024;
}

const procStatus = (pid, field) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))[1]) / 1024;
const cpuTicks = pid => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
};

/** A program in a real pseudo-terminal (util-linux `script`) at 160×40, every byte it writes kept. */
function inTerminal(commandLine, env = {}) {
	const child = spawn('script', ['-qfec', `stty rows 40 cols 160; exec ${commandLine}`, '/dev/null'], {
		env: {...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'CI')), TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env},
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const session = {child, output: '', bytes: 0, closed: new Promise(resolve => child.on('close', resolve))};
	child.stdout.on('data', chunk => {
		session.output += chunk.toString();
		session.bytes += chunk.length;
	});
	session.waitFor = async (test, timeoutMs = 30_000) => {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			if (test(plainText(session.output))) return performance.now();
			if (performance.now() > deadline) throw new Error(`the terminal never showed what was expected; it shows:\n${plainText(session.output).slice(-3000)}`);
			await sleep(2);
		}
	};

	session.pid = () => Number(execFileSync('pgrep', ['-P', String(child.pid)], {encoding: 'utf8'}).trim().split('\n')[0]);
	return session;
}

// As a user runs it: the executable, so its shebang's V8 flags apply.
const consoleLine = project => `${binary} --project ${project}`;

/** Launch → the first frame, and → every environment's health read with the selected one's containers listed. */
async function timeLaunch(project, containersShown) {
	const firstFrames = [];
	const filled = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const session = inTerminal(consoleLine(project), {OPSCONSOLE_CONFIG_DIR: path.join(project, '.config')});
		firstFrames.push(await session.waitFor(text => text.includes('q quit')) - started);
		filled.push(await session.waitFor(containersShown) - started);
		session.child.stdin.write('q');
		await session.closed;
	}

	return {firstFrame: median(firstFrames), filled: median(filled)};
}

async function timeLazydocker(containerName) {
	const samples = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const session = inTerminal(lazydocker, {HOME: temporaryFolder(resources, 'lazydocker-home-')});
		samples.push(await session.waitFor(text => text.includes(containerName)) - started);
		const rss = procStatus(session.pid(), 'VmRSS');
		session.child.stdin.write('q');
		const closedInTime = await Promise.race([session.closed.then(() => true), sleep(3000).then(() => false)]);
		if (!closedInTime) session.child.kill('SIGKILL');
		if (run === runs - 1) return {launch: median(samples), rss};
	}
}

/** A socat unix-socket proxy in front of the local engine: another engine address, so another connection and event stream. */
function engineProxy(folder, name) {
	const socket = path.join(folder, `${name}.sock`);
	const proxy = spawn('socat', [`UNIX-LISTEN:${socket},fork,backlog=1024`, 'UNIX-CONNECT:/var/run/docker.sock'], {stdio: 'ignore'});
	resources.defer(() => proxy.kill());
	return socket;
}

async function benchSize(docker, image, runId, {total, quiet}) {
	const environments = ['dev', 'staging', 'production'];
	const perEnvironment = total / environments.length;
	// 30 containers check their health every second, as in the issue, or every 30 s for a quiet
	// machine; 300 such checks a second would measure the machine's dockerd, so the 300 run without.
	const healthcheck = total > 30 ? 'none' : quiet ? 'slow' : 'image';
	const scenario = `${total}${quiet ? 'q' : ''}`;
	const project = temporaryFolder(resources, `opsconsole-bench-${scenario}-`);
	const engines = total > 30 ? environments.map(name => `unix://${engineProxy(project, name)}`) : [];
	writeFiles(project, Object.fromEntries(environments.map((name, index) => [
		`environments/${name}.yaml`,
		`name: ${name}\nbranch: ${name}\n${environments[index + 1] ? `promotesTo: ${environments[index + 1]}\n` : ''}docker:\n  project: bench-${runId}-${scenario}-${name}\n${engines[index] ? `  host: ${engines[index]}\n` : ''}`,
	])));
	initRepository(project, environments);
	for (const name of environments) {
		for (let first = 0; first < perEnvironment; first += 10) {
			await Promise.all(Array.from({length: Math.min(10, perEnvironment - first)}, async (_, offset) =>
				startContainer(docker, {image, project: `bench-${runId}-${scenario}-${name}`, service: `svc${first + offset + 1}`, runId, healthcheck})));
		}
	}

	if (healthcheck !== 'none') {
		for (;;) {
			const starting = await docker.listContainers({filters: {label: [`opsconsole.test=${runId}`], health: ['starting']}});
			if (starting.length === 0) break;
			await sleep(500);
		}
	}

	const label = `${total} containers${healthcheck === 'none' ? '' : `, checks every ${quiet ? '30' : '1'} s`}`;
	const node = timeSync(process.execPath, ['-e', '0']);
	const dockerPs = timeSync('docker', ['ps', '-a']);
	const status = timeSync(binary, ['status', '--json', '--project', project], {
		check: result => JSON.parse(result.stdout).environments.reduce((sum, environment) => sum + environment.containers.length, 0) === total,
	});
	rows.push(
		[`\`node -e 0\` (baseline)`, label, ms(node), '1.00 ×', ''],
		[`\`docker ps -a\` (baseline)`, label, ms(dockerPs), ratio(dockerPs, node), 'Docker\'s own Go CLI, all containers'],
		[`\`opsconsole status --json\``, label, ms(status), ratio(status, node), 'vs `node -e 0`; target ≤ 2 ×'],
	);
	const statusRss = peakRss(binary, ['status', '--json', '--project', project]);
	if (statusRss) rows.push(['`status --json` peak RSS', label, `${statusRss.toFixed(0)} MB`, '', '']);

	const lastService = `svc${perEnvironment}`;
	const shown = text => /healthy +production/.test(text) && (text.includes(lastService) || text.includes('healthy containers folded'));
	const launch = await timeLaunch(project, shown);
	rows.push(
		['dashboard: launch → first frame', label, ms(launch.firstFrame), ratio(launch.firstFrame, dockerPs), 'header, every environment "connecting", footer; vs `docker ps -a`'],
		['dashboard: launch → containers on screen', label, ms(launch.filled), ratio(launch.filled, dockerPs), `every environment's health and the selected one's containers; target ≤ 300 ms at 30`],
	);
	if (lazydocker) {
		const lazy = await timeLazydocker(`bench-${runId}-${scenario}-dev-svc1-`);
		rows.push(
			['lazydocker: launch → containers on screen', label, ms(lazy.launch), ratio(lazy.launch, dockerPs), `opsconsole/lazydocker = ${(launch.filled / lazy.launch).toFixed(2)}`],
			['lazydocker: RSS once drawn', label, `${lazy.rss.toFixed(0)} MB`, '', ''],
		);
	}

	const session = inTerminal(consoleLine(project), {OPSCONSOLE_CONFIG_DIR: path.join(project, '.config')});
	await session.waitFor(shown);
	await sleep(3000);
	const consolePid = session.pid();
	rows.push(['dashboard: RSS once drawn (peak)', label, `${procStatus(consolePid, 'VmRSS').toFixed(0)} MB (${procStatus(consolePid, 'VmHWM').toFixed(0)} MB)`, '', `target ≤ ${total <= 30 ? 80 : 120} MB`]);

	const [target] = await docker.listContainers({filters: {label: [`com.docker.compose.project=bench-${runId}-${scenario}-dev`, 'com.docker.compose.service=svc3']}});
	const events = spawn('docker', ['events', '--filter', `container=${target.Id}`, '--filter', 'event=die', '--format', '{{.Status}}']);
	let eventSeen;
	events.stdout.on('data', () => {
		eventSeen ??= performance.now();
	});
	await sleep(500);
	const seenBefore = session.output.length;
	const stopped = performance.now();
	await docker.getContainer(target.Id).kill();
	const onScreen = await session.waitFor(() => /svc3 +exited/.test(plainText(session.output.slice(seenBefore))));
	await sleep(300);
	events.kill();
	rows.push(
		['`docker events` sees the container die (baseline)', label, ms(eventSeen - stopped), '', 'from the kill call'],
		['dashboard: event → screen', label, ms(onScreen - eventSeen), '', 'the die event printed by `docker events` → the row on the terminal; target ≤ 100 ms'],
	);
	await docker.getContainer(target.Id).start();
	await sleep(3000);

	const idleBytes = session.bytes;
	const idleTicks = cpuTicks(consolePid);
	await sleep(idleSeconds * 1000);
	rows.push(
		[`dashboard: bytes written over ${idleSeconds} idle s`, label, `${session.bytes - idleBytes} B`, '', healthcheck === 'image' ? 'health checks every second keep Docker busy meanwhile' : ''],
		[`dashboard: CPU while idle`, label, `${((cpuTicks(consolePid) - idleTicks) / idleSeconds).toFixed(2)} %`, '', 'user+system of the console'],
	);
	session.child.stdin.write('q');
	await session.closed;
	// The next size is measured without these.
	const ours = (await docker.listContainers({all: true, filters: {label: [`opsconsole.test=${runId}`]}}))
		.filter(container => container.Labels['com.docker.compose.project']?.startsWith(`bench-${runId}-${scenario}-`));
	await Promise.all(ours.map(async container => docker.getContainer(container.Id).remove({force: true})));
}

async function benchOperations() {
	const runId = newRunId();
	const demoRoot = path.join(temporaryFolder(resources, 'opsconsole-bench-'), `benchdemo-${runId}`);
	resources.defer(() => spawnSync(process.execPath, [binary, 'demo', 'down', '--dir', demoRoot]));
	const ops = (...args) => {
		const started = performance.now();
		const result = spawnSync(process.execPath, [binary, ...args], {cwd: demoRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
		return {...result, ms: performance.now() - started};
	};
	const gitIn = (...args) => spawnSync('git', args, {cwd: demoRoot, encoding: 'utf8'});
	const demoUp = spawnSync(process.execPath, [binary, 'demo', 'up', '--dir', demoRoot, '--free-ports'], {encoding: 'utf8'});
	if (demoUp.status !== 0) throw new Error(`demo up failed:\n${demoUp.stdout}${demoUp.stderr}`);
	writeFileSync(path.join(demoRoot, 'app', 'index.html'), '<h1>bench @ENV@</h1>\n');
	gitIn('commit', '-qam', 'bench change');
	ops('deploy', 'dev');
	const promotion = ops('promote', 'dev', 'staging', '--yes', '--json');
	const record = JSON.parse(promotion.stdout);
	const stepMs = kind => record.steps.filter(step => step.id === kind).reduce((sum, step) => sum + (step.ms ?? 0), 0);
	const recipesMs = stepMs('promote') + stepMs('deploy');
	const verifyMs = stepMs('verify');
	rows.push(
		['promotion dev → staging, wall time', 'demo', ms(promotion.ms), '', `recipes ${recipesMs} ms, verification ${verifyMs} ms (health checks every 1 s)`],
		['console overhead on that promotion', 'demo', ms(promotion.ms - recipesMs - verifyMs), '', 'wall − recipes − verification: start-up, plan, preflight, lock, records'],
	);
	const rollback = ops('rollback', 'staging', '--yes', '--json');
	const rollbackRecord = JSON.parse(rollback.stdout);
	if (rollbackRecord.outcome !== 'succeeded') throw new Error(`expected a succeeded rollback: ${rollback.stdout}${rollback.stderr}`);
	const stepOf = id => rollbackRecord.steps.find(step => step.id === id);
	rows.push(['`opsconsole rollback staging` (image present), wall time', 'demo', ms(rollback.ms), '', `recipe ${stepOf('rollback')?.ms} ms (no build), verification ${stepOf('verify')?.ms} ms`]);
}

const resources = new Resources();
try {
	const {docker} = await engineForTests();
	const runId = newRunId();
	const image = await buildWebImage(docker, runId, resources);
	removeRunContainersAfter(docker, runId, resources);
	for (const size of sizes) await benchSize(docker, image, runId, size);
	if (process.env.BENCH_OPERATIONS !== '0') await benchOperations();
} finally {
	await resources.release();
	printRows();
}

/** The table, also when a part failed half way: what was measured is still worth reading. */
function printRows() {
	console.log(`${runs} runs each, ${new Date().toISOString().slice(0, 10)}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
	console.log('| what | with | result | ratio | note |\n| --- | --- | --- | --- | --- |');
	for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
