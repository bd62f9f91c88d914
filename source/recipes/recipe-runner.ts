import {spawn} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {pathToFileURL} from 'node:url';
import {UsageError} from '../core/errors.js';
import {packageRoot} from '../package-root.js';

const require = createRequire(import.meta.url);
const zxCli = require.resolve('zx/cli');
const recipeKit = () => pathToFileURL(path.join(packageRoot(), 'dist', 'source', 'recipes', 'recipe-kit.js')).href;

export const stepMarker = '::step::';

export type RecipeEvent =
	| {readonly type: 'line'; readonly stream: 'stdout' | 'stderr'; readonly text: string}
	| {readonly type: 'step'; readonly name: string; readonly at: number};

export type RecipeRequest = {
	readonly projectRoot: string;
	/** Relative to `recipes/`, e.g. `deploy.mjs` or `checks/integration.mjs`. */
	readonly recipe: string;
	/** OPSCONSOLE_* variables (ACTION, ENV, COMMIT, …); merged over the parent's environment. */
	readonly variables: Readonly<Record<string, string>>;
	/** Written to a JSON file whose path the recipe finds in OPSCONSOLE_CONTEXT. */
	readonly context: unknown;
	readonly contextFile: string;
	readonly timeoutMs: number;
	/** How long SIGTERM gets before SIGKILL when cancelling. */
	readonly graceMs?: number;
	readonly signal?: AbortSignal;
	readonly onEvent?: (event: RecipeEvent) => void;
};

export type RecipeResult = {
	readonly ok: boolean;
	readonly exitCode: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly cancelled: boolean;
	readonly timedOut: boolean;
	readonly ms: number;
	readonly steps: ReadonlyArray<{name: string; ms: number}>;
	/** The last lines of output, for an error message. */
	readonly tail: readonly string[];
};

export function recipePath(projectRoot: string, recipe: string): string {
	return path.join(projectRoot, 'recipes', recipe);
}

/** The line of a failed recipe's output that says most: its error message, not a stack frame. */
function mostTellingLine(tail: readonly string[]): string | undefined {
	const meaningful = tail.map(line => line.trim()).filter(line => line && !/^at\s/.test(line) && !/^Node\.js v\d/.test(line) && !/^\^+$/.test(line));
	return meaningful.findLast(line => /\b\w*Error\b:/.test(line)) ?? meaningful.at(-1);
}

/** A one-line reason a recipe did not succeed. */
export function describeRecipeFailure(recipe: string, result: RecipeResult): string {
	if (result.cancelled) return `${recipe} was cancelled`;
	if (result.timedOut) return `${recipe} timed out after ${Math.round(result.ms / 1000)} s`;
	const last = mostTellingLine(result.tail);
	const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
	return `${recipe} ${how}${last ? `: ${last}` : ''}`;
}

/**
 * Runs one recipe with zx in a child process that leads its own process group, streaming its
 * output line by line. Cancelling (signal) or timing out sends SIGTERM to the whole group, then
 * SIGKILL after the grace period, so no build or shell it started is left behind.
 */
export async function runRecipe(request: RecipeRequest): Promise<RecipeResult> {
	const file = recipePath(request.projectRoot, request.recipe);
	if (!existsSync(file)) throw new UsageError(`recipe ${path.relative(request.projectRoot, file)} does not exist`);
	writeFileSync(request.contextFile, `${JSON.stringify(request.context, null, 2)}\n`);

	const started = performance.now();
	const child = spawn(process.execPath, [zxCli, file], {
		cwd: request.projectRoot,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
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
		const lines = createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY});
		lines.on('line', text => {
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
		lines.on('close', resolve);
	});

	let cancelled = false;
	let timedOut = false;
	let killTimer: NodeJS.Timeout | undefined;
	const stopGroup = () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		signalGroup(child.pid, 'SIGTERM');
		killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), request.graceMs ?? 5000);
	};

	const onAbort = () => {
		cancelled = true;
		stopGroup();
	};

	request.signal?.addEventListener('abort', onAbort, {once: true});
	if (request.signal?.aborted) onAbort();
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
	clearTimeout(timeout);
	clearTimeout(killTimer);
	request.signal?.removeEventListener('abort', onAbort);
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
