import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const binary = path.join(repositoryRoot, 'bin', 'opsconsole.js');

export type CliResult = {code: number | null; stdout: string; stderr: string; ms: number};

export type RunningCli = {
	readonly pid: number;
	/** Resolves once stdout or stderr contains `text`; rejects after `timeoutMs`. */
	waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
	signal(signal: NodeJS.Signals): void;
	readonly done: Promise<CliResult>;
};

/** Starts the real binary and lets a test watch its output and signal it mid-run. */
export function startCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): RunningCli {
	const started = performance.now();
	const child = spawn(process.execPath, [binary, ...args], {
		cwd: options.cwd ?? repositoryRoot,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	const watchers = new Set<() => void>();
	const notify = () => {
		for (const watcher of watchers) watcher();
	};

	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		notify();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		notify();
	});
	const done = new Promise<CliResult>(resolve => {
		child.on('close', code => resolve({code, stdout, stderr, ms: performance.now() - started}));
	});
	return {
		pid: child.pid!,
		done,
		signal: signal => child.kill(signal),
		async waitFor(text, timeoutMs = 30_000) {
			const seen = () => (typeof text === 'string' ? (stdout + stderr).includes(text) : text.test(stdout + stderr));
			if (seen()) return;
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => {
					watchers.delete(check);
					reject(new Error(`no "${String(text)}" in output within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
				}, timeoutMs);
				function check() {
					if (!seen()) return;
					clearTimeout(timer);
					watchers.delete(check);
					resolve();
				}

				watchers.add(check);
			});
		},
	};
}

/** Runs the real `bin/opsconsole.js` as a user would, without a TTY, killing it past `timeoutMs`. */
export async function runCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliResult> {
	const running = startCli(args, options);
	const timer = setTimeout(() => running.signal('SIGKILL'), options.timeoutMs ?? 60_000);
	const result = await running.done;
	clearTimeout(timer);
	return result;
}
