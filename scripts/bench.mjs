// Benchmarks opsconsole on this machine against the real Docker engine (run after `npm run build`).
// Prints a Markdown table for the README. Not a test: numbers vary by machine; read them, don't assert them.
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
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

	const demoRoot = path.join(temporaryFolder(resources, 'opsconsole-bench-'), `bench-${runId}`);
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
	rows.push(['unhealthy verification → healthy rolled-back environment', `${Date.parse(rollbackVerified.finishedAt) - Date.parse(verifyFailed.finishedAt)} ms`, 'image reused, no rebuild; includes the health check\'s own interval']);
} finally {
	await resources.release();
}

console.log('| what | time | how |\n| --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
