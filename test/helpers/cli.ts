import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const binary = path.join(repositoryRoot, 'bin', 'opsconsole.js');

export type CliResult = {code: number | null; stdout: string; stderr: string; ms: number};

/** Runs the real `bin/opsconsole.js` as a user would, without a TTY. */
export async function runCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliResult> {
	const started = performance.now();
	const child = spawn(process.execPath, [binary, ...args], {
		cwd: options.cwd ?? repositoryRoot,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	clearTimeout(timer);
	return {code, stdout, stderr, ms: performance.now() - started};
}
