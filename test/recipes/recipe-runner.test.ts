import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {RecipeEvent} from '../../source/core/recipe-context.js';
import {runRecipe} from '../../source/recipes/recipe-runner.js';
import {processAlive} from '../helpers/processes.js';
import {temporaryFolder, writeFiles} from '../helpers/temp.js';

function project(recipes: Record<string, string>): string {
	const root = temporaryFolder();
	writeFiles(root, Object.fromEntries(Object.entries(recipes).map(([name, text]) => [`recipes/${name}`, text])));
	return root;
}

const request = (root: string, recipe: string, extra: Partial<Parameters<typeof runRecipe>[0]> = {}) => ({
	projectRoot: root,
	recipe,
	variables: {OPSCONSOLE_ENV: 'staging', OPSCONSOLE_COMMIT: 'abc123'},
	context: {environment: {name: 'staging'}},
	contextFile: path.join(root, 'context.json'),
	timeoutMs: 20_000,
	...extra,
});

test('streams lines, turns ::step:: into steps and passes the context', async () => {
	const root = project({'ok.mjs': [
		'console.log("::step::first");',
		'console.log("hello from", process.env.OPSCONSOLE_ENV, process.cwd());',
		'console.error("a warning");',
		'console.log("::step::second");',
		'const context = JSON.parse(fs.readFileSync(process.env.OPSCONSOLE_CONTEXT, "utf8"));',
		'console.log("context env", context.environment.name);',
		'console.log((await $`echo ${process.env.OPSCONSOLE_COMMIT}`).stdout.trim());',
	].join('\n')});
	const events: RecipeEvent[] = [];
	const result = await runRecipe(request(root, 'ok.mjs', {onEvent: event => events.push(event)}));
	assert.equal(result.ok, true, result.tail.join('\n'));
	assert.deepEqual(result.steps.map(step => step.name), ['first', 'second']);
	const lines = events.filter(event => event.type === 'line').map(event => (event as {text: string}).text);
	// stdout and stderr are separate pipes: order within each is kept, not across them.
	assert.deepEqual(lines.filter(line => line !== 'a warning'), [`hello from staging ${root}`, 'context env staging', 'abc123']);
	assert.ok(lines.includes('a warning'));
	assert.deepEqual(JSON.parse(readFileSync(path.join(root, 'context.json'), 'utf8')), {environment: {name: 'staging'}});
});

test('a failing recipe reports its exit code and last lines', async () => {
	const root = project({'fail.mjs': 'console.log("about to fail");\nprocess.exit(4);\n'});
	const result = await runRecipe(request(root, 'fail.mjs'));
	assert.equal(result.ok, false);
	assert.equal(result.exitCode, 4);
	assert.deepEqual(result.tail, ['about to fail']);
});

test('cancelling stops the whole process group, even a child that ignores SIGTERM', async () => {
	const root = project({'slow.mjs': [
		'console.log("::step::waiting");',
		'const script = \'echo $$ > "$MARKER.pid"; trap "" TERM; sleep 30; touch "$MARKER"\';',
		'await $`sh -c ${script}`.nothrow();',
	].join('\n')});
	const marker = path.join(root, 'finished');
	const controller = new AbortController();
	const started = performance.now();
	const pending = runRecipe(request(root, 'slow.mjs', {
		variables: {MARKER: marker},
		signal: controller.signal,
		graceMs: 500,
		onEvent: event => {
			if (event.type === 'step') setTimeout(() => controller.abort(), 200);
		},
	}));
	const result = await pending;
	assert.equal(result.cancelled, true);
	assert.equal(result.ok, false);
	assert.ok(performance.now() - started < 10_000, 'cancel does not wait for the recipe');
	await new Promise(resolve => setTimeout(resolve, 300));
	const shellPid = Number(readFileSync(`${marker}.pid`, 'utf8'));
	assert.equal(processAlive(shellPid), false, 'the recipe\'s shell survived the cancel');
	assert.equal(existsSync(marker), false);
});

test('a recipe that runs too long is timed out', async () => {
	const root = project({'hang.mjs': 'await sleep(30_000);\n'});
	const result = await runRecipe(request(root, 'hang.mjs', {timeoutMs: 500, graceMs: 200}));
	assert.equal(result.timedOut, true);
	assert.equal(result.ok, false);
});

test('a missing recipe is a clear error', async () => {
	await assert.rejects(runRecipe(request(project({}), 'nope.mjs')), /recipe recipes\/nope\.mjs does not exist/);
});
