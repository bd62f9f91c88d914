import {spawn} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import type {RecipeRunner} from '../core/adapters.js';
import type {RecipeRequest, RecipeResult} from '../core/recipe-context.js';
import {UsageError} from '../core/errors.js';
import {packageRoot} from '../package-root.js';
import {LineSplitter} from './line-splitter.js';
import {printable} from '../core/terminal-text.js';

const require = createRequire(import.meta.url);
const zxCli = require.resolve('zx/cli');
const compiled = (file: string) => path.join(packageRoot(), 'dist', 'source', 'recipes', file);
const recipeKit = () => pathToFileURL(compiled('recipe-kit.js')).href;

export const stepMarker = '::step::';

/** A recipe's file, which must stay inside the project's `recipes/` folder. */
export function recipePath(projectRoot: string, recipe: string): string {
	const folder = path.resolve(projectRoot, 'recipes');
	const file = path.resolve(folder, recipe);
	if (!file.startsWith(`${folder}${path.sep}`)) throw new UsageError(`recipe "${recipe}" is outside recipes/; recipes are files under ${folder}`);
	return file;
}

/**
 * Runs one recipe with zx under a supervisor that leads its own process group, streaming its
 * output line by line. Cancelling (signal) or timing out sends SIGTERM to the whole group, then
 * SIGKILL after the grace period, so no build or shell it started is left behind; and should
 * opsconsole itself die, the supervisor stops the group (recipe-supervisor.ts).
 */
export async function runRecipe(request: RecipeRequest): Promise<RecipeResult> {
	const file = recipePath(request.projectRoot, request.recipe);
	if (!existsSync(file)) throw new UsageError(`recipe ${path.relative(request.projectRoot, file)} does not exist`);
	// The context may carry secrets from the environment file: readable by the operator only, and removed after the run.
	writeFileSync(request.contextFile, `${JSON.stringify(request.context, null, 2)}\n`, {mode: 0o600});

	const started = performance.now();
	const graceMs = request.graceMs ?? 5000;
	const child = spawn(process.execPath, [compiled('recipe-supervisor.js'), String(graceMs), process.execPath, zxCli, file], {
		cwd: request.projectRoot,
		detached: true,
		// stdin is the supervisor's lifeline to this process: held open, never written.
		stdio: ['pipe', 'pipe', 'pipe'],
		env: {
			...process.env,
			...request.variables,
			OPSCONSOLE_CONTEXT: request.contextFile,
			OPSCONSOLE_RECIPE_KIT: recipeKit(),
			FORCE_COLOR: '0',
		},
	});

	const steps: Array<{name: string; started: number; ms: number}> = [];
	const tail: string[] = [];
	const finishStep = () => {
		const last = steps.at(-1);
		if (last && last.ms < 0) last.ms = Math.round(performance.now() - last.started);
	};

	const readLines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => new Promise<void>(resolve => {
		const lines = new LineSplitter(raw => {
			const text = printable(raw);
			if (name === 'stdout' && text.startsWith(stepMarker)) {
				finishStep();
				const stepName = text.slice(stepMarker.length).trim();
				steps.push({name: stepName, started: performance.now(), ms: -1});
				request.onEvent?.({type: 'step', name: stepName, at: Date.now()});
				return;
			}

			tail.push(text);
			if (tail.length > 20) tail.shift();
			request.onEvent?.({type: 'line', stream: name, text});
		});
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => lines.push(chunk));
		stream.on('end', () => {
			lines.end();
			resolve();
		});
	});

	let cancelled = false;
	let timedOut = false;
	let killTimer: NodeJS.Timeout | undefined;
	const stopGroup = () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		signalGroup(child.pid, 'SIGTERM');
		killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
	};

	const onAbort = () => {
		cancelled = true;
		stopGroup();
	};

	const onKill = () => {
		cancelled = true;
		signalGroup(child.pid, 'SIGKILL');
	};

	request.signal?.addEventListener('abort', onAbort, {once: true});
	request.killSignal?.addEventListener('abort', onKill, {once: true});
	if (request.signal?.aborted) onAbort();
	if (request.killSignal?.aborted) onKill();
	const timeout = setTimeout(() => {
		timedOut = true;
		stopGroup();
	}, request.timeoutMs);

	const [exit] = await Promise.all([
		new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code, signal) => resolve({code, signal}));
		}),
		readLines(child.stdout, 'stdout'),
		readLines(child.stderr, 'stderr'),
	]);
	// The leader has exited; anything it left in its group goes too.
	signalGroup(child.pid, 'SIGKILL');
	child.stdin?.destroy();
	clearTimeout(timeout);
	clearTimeout(killTimer);
	request.signal?.removeEventListener('abort', onAbort);
	request.killSignal?.removeEventListener('abort', onKill);
	finishStep();

	return {
		ok: exit.code === 0 && !cancelled && !timedOut,
		exitCode: exit.code,
		signal: exit.signal,
		cancelled,
		timedOut,
		ms: Math.round(performance.now() - started),
		steps: steps.map(step => ({name: step.name, ms: step.ms})),
		tail,
	};
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// The group is already gone.
	}
}

/** The recipe runner app/ is given: zx in a process group of its own. */
export const zxRecipeRunner: RecipeRunner = {run: runRecipe};
