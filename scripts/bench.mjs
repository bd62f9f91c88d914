// Benchmarks opsconsole on this machine against the real Docker engine (run after `npm run build`).
// Prints a Markdown table for the README. Not a test: numbers vary by machine; read them, don't assert them.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer} from '../dist/test/helpers/docker.js';
import {initRepository} from '../dist/test/helpers/git.js';
import {Resources, temporaryFolder, writeFiles} from '../dist/test/helpers/temp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = path.join(root, 'bin', 'opsconsole.js');
const runs = Number(process.env.BENCH_RUNS ?? 10);
const rows = [];

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function timeCommand(label, args, options = {}) {
	const samples = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const result = spawnSync(process.execPath, args, {encoding: 'utf8', cwd: options.cwd ?? root, env: {...process.env, NO_COLOR: '1'}});
		samples.push(performance.now() - started);
		if (options.expectOutput && !options.expectOutput(result.stdout)) throw new Error(`${label}: unexpected output\n${result.stdout}\n${result.stderr}`);
	}

	rows.push([label, `${median(samples).toFixed(0)} ms`, `median of ${runs}`]);
}

/** Reads a process's user+system CPU time in clock ticks (Linux). */
function cpuTicks(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/**
 * Runs the dashboard in a real pseudo-terminal (util-linux `script`), reading every byte it
 * writes: time to the first containers, time from `docker stop` to the screen, idle output, idle CPU.
 */
function startDashboard(project) {
	return spawn('script', ['-qfec', `stty rows 40 cols 160; exec ${process.execPath} ${binary} --project ${project}`, '/dev/null'], {
		env: {...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'CI')), OPSCONSOLE_CONFIG_DIR: path.join(project, '.config'), TERM: 'xterm-256color'},
		stdio: ['pipe', 'pipe', 'inherit'],
	});
}

/** Launch → the first frame that lists the last of 60 containers, one launch. */
async function timeFirstContainers(project) {
	const started = performance.now();
	const child = startDashboard(project);
	let output = '';
	const shown = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the dashboard never listed svc19')), 15_000);
		child.stdout.on('data', chunk => {
			output += chunk.toString();
			if (!output.includes('svc19')) return;
			clearTimeout(timer);
			resolve(performance.now() - started);
		});
	});
	child.stdin.write('q');
	await new Promise(resolve => child.on('close', resolve));
	return shown;
}

async function measureDashboard(project, docker, devProject) {
	const launches = [];
	for (let run = 0; run < runs; run++) launches.push(await timeFirstContainers(project));
	const child = startDashboard(project);
	let output = '';
	let bytes = 0;
	child.stdout.on('data', chunk => {
		output += chunk.toString();
		bytes += chunk.length;
	});
	const waitFor = async (predicate, timeoutMs = 15_000) => {
		const deadline = Date.now() + timeoutMs;
		while (!predicate()) {
			if (Date.now() > deadline) throw new Error(`dashboard never showed what was expected; last output:\n${output.slice(-2000)}`);
			await new Promise(resolve => setTimeout(resolve, 2));
		}
	};

	await waitFor(() => output.includes('svc19'));
	await new Promise(resolve => setTimeout(resolve, 3000));

	const [target] = await docker.listContainers({filters: {label: [`com.docker.compose.project=${devProject}`, 'com.docker.compose.service=svc3']}});
	const seenBefore = output.length;
	const stopStarted = performance.now();
	await docker.getContainer(target.Id).stop({t: 0});
	await waitFor(() => output.slice(seenBefore).includes('exited'));
	const eventToScreen = performance.now() - stopStarted;
	await new Promise(resolve => setTimeout(resolve, 2000));

	const nodePid = Number(execFileSync('pgrep', ['-P', String(child.pid)], {encoding: 'utf8'}).trim().split('\n')[0]);
	const idleBytesBefore = bytes;
	const ticksBefore = cpuTicks(nodePid);
	await new Promise(resolve => setTimeout(resolve, 30_000));
	const idleBytes = bytes - idleBytesBefore;
	const idleCpu = (cpuTicks(nodePid) - ticksBefore) / 100 / 30 * 100;
	child.stdin.write('q');
	await new Promise(resolve => child.on('close', resolve));
	return [
		['dashboard: launch → first frame with all 60 containers (160×40)', `${median(launches).toFixed(0)} ms`, `median of ${runs} launches in a real pty`],
		['dashboard: `docker stop` → panel shows it', `${eventToScreen.toFixed(0)} ms`, 'from the stop call to the bytes on the terminal'],
		['dashboard: bytes written over 30 idle seconds', `${idleBytes} B`, 'after the screen settled'],
		['dashboard: CPU while idle', `${idleCpu.toFixed(2)} %`, 'user+system over the same 30 s'],
	];
}

const resources = new Resources();
try {
	const engine = await engineForTests();
	const docker = engine.docker;
	const runId = newRunId();
	const image = await buildWebImage(docker, runId, resources);
	removeRunContainersAfter(docker, runId, resources);

	const project = temporaryFolder(resources);
	const environments = ['dev', 'staging', 'production'];
	writeFiles(project, Object.fromEntries(environments.map((name, index) => [
		`environments/${name}.yaml`,
		`name: ${name}\nbranch: ${name}\n${environments[index + 1] ? `promotesTo: ${environments[index + 1]}\n` : ''}docker:\n  project: bench-${runId}-${name}\n`,
	])));
	initRepository(project, environments);
	const perEnvironment = 20;
	for (const name of environments) {
		await Promise.all(Array.from({length: perEnvironment}, async (_, index) =>
			startContainer(docker, {image, project: `bench-${runId}-${name}`, service: `svc${index}`, runId, healthcheck: 'none'})));
	}

	timeCommand('`node -e 0` (baseline)', ['-e', '0']);
	timeCommand('`opsconsole --version`', [binary, '--version']);
	timeCommand('`opsconsole validate` (3 environments)', [binary, 'validate', '--project', project]);
	timeCommand(`\`opsconsole status --json\` (3 environments, ${environments.length * perEnvironment} containers)`, [binary, 'status', '--json', '--project', project], {
		expectOutput: stdout => JSON.parse(stdout).environments.reduce((sum, environment) => sum + environment.containers.length, 0) === environments.length * perEnvironment,
	});

	rows.push(...await measureDashboard(project, docker, `bench-${runId}-dev`));

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
	const stepMs = name => record.steps.filter(step => step.name.startsWith(name)).reduce((sum, step) => sum + (step.ms ?? 0), 0);
	const recipesMs = stepMs('promote recipe') + stepMs('deploy recipe');
	const verifyMs = stepMs('verify');
	rows.push(['promotion dev → staging, wall time', `${promotion.ms.toFixed(0)} ms`, `recipes ${recipesMs} ms, verification ${verifyMs} ms (health check interval 1 s)`]);
	rows.push(['console overhead on that promotion', `${(promotion.ms - recipesMs - verifyMs).toFixed(0)} ms`, 'wall − recipes − verification: start-up, plan, preflight, lock, records']);

	writeFileSync(path.join(demoRoot, 'app', 'broken-staging'), '');
	gitIn('add', '-A');
	gitIn('commit', '-qm', 'break staging');
	ops('deploy', 'dev');
	const broken = JSON.parse(ops('promote', 'dev', 'staging', '--yes', '--json').stdout);
	const verifyFailed = broken.steps.find(step => step.name.startsWith('verify') && step.ok === false);
	const rollbackVerified = broken.steps.filter(step => step.name.startsWith('verify') && step.ok === true).at(-1);
	if (broken.outcome !== 'rolled-back' || !verifyFailed || !rollbackVerified) throw new Error(`expected a rolled-back promotion: ${JSON.stringify(broken)}`);
	const rollback = ops('rollback', 'dev', '--json');
	const rollbackRecord = JSON.parse(rollback.stdout);
	if (rollbackRecord.outcome !== 'succeeded') throw new Error(`expected a succeeded rollback: ${rollback.stdout}${rollback.stderr}`);
	const rollbackRecipe = rollbackRecord.steps.find(step => step.name.startsWith('rollback recipe'));
	const rollbackVerify = rollbackRecord.steps.find(step => step.name.startsWith('verify'));
	rows.push(['`opsconsole rollback dev` (image present), wall time', `${rollback.ms.toFixed(0)} ms`, `recipe ${rollbackRecipe.ms} ms (no build), verification ${rollbackVerify.ms} ms`]);
	rows.push(['unhealthy verification → healthy rolled-back environment', `${Date.parse(rollbackVerified.finishedAt) - Date.parse(verifyFailed.finishedAt)} ms`, 'image reused, no rebuild; includes the health check\'s own interval']);
} finally {
	await resources.release();
}

console.log('| what | time | how |\n| --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
