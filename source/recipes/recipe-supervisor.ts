/**
 * Leads a recipe's process group: `node recipe-supervisor.js GRACE_MS COMMAND ARGS…`. opsconsole
 * holds this process's stdin open and never writes to it. When opsconsole is gone — it exited,
 * crashed or was killed with SIGKILL, which no handler sees — the pipe closes, and the supervisor
 * stops the whole group: SIGTERM, then SIGKILL after the grace period. Nothing runs unwatched.
 */
import {spawn} from 'node:child_process';

const [graceArgument = '5000', command, ...args] = process.argv.slice(2);
if (!command) {
	console.error('recipe-supervisor: no command to run');
	process.exit(2);
}

const graceMs = Number(graceArgument);
const child = spawn(command, args, {stdio: ['ignore', 'inherit', 'inherit']});

function signalGroup(signal: NodeJS.Signals): void {
	try {
		process.kill(-process.pid, signal);
	} catch {
		// The group is already gone.
	}
}

let orphaned = false;
function stopGroupForGood(): void {
	if (orphaned) return;
	orphaned = true;
	signalGroup('SIGTERM');
	setTimeout(() => signalGroup('SIGKILL'), graceMs);
}

process.stdin.on('end', stopGroupForGood);
process.stdin.on('close', stopGroupForGood);
process.stdin.on('error', stopGroupForGood);
process.stdin.resume();

// A cancel signals the whole group: the supervisor outlives it to report the recipe's own end.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

child.on('error', error => {
	console.error(`cannot start the recipe: ${error.message}`);
	process.exit(127);
});

child.on('exit', (code, signal) => {
	process.stdin.destroy();
	if (signal) {
		process.removeAllListeners(signal);
		process.kill(process.pid, signal);
		return;
	}

	process.exit(code ?? 1);
});
