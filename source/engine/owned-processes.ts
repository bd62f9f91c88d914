import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import path from 'node:path';

const owned = new Set<ChildProcess>();
let exitHookInstalled = false;
let setpriv: string | null | undefined;

/** util-linux's setpriv, which can give a child a parent-death signal (prctl PR_SET_PDEATHSIG) before exec. */
function findSetpriv(): string | null {
	if (setpriv !== undefined) return setpriv;
	setpriv = null;
	if (process.platform !== 'linux') return setpriv;
	for (const folder of (process.env['PATH'] ?? '/usr/bin:/bin').split(path.delimiter)) {
		const candidate = path.join(folder || '.', 'setpriv');
		try {
			accessSync(candidate, constants.X_OK);
			setpriv = candidate;
			break;
		} catch {
			// Not in this folder.
		}
	}

	return setpriv;
}

function killOwned(): void {
	for (const child of owned) child.kill('SIGTERM');
}

/**
 * Starts a helper process (ssh) that must not outlive opsconsole. It leads a session of its own,
 * so it has no terminal to prompt on and Ctrl-C in the terminal reaches opsconsole only, which then
 * ends it. It is ended on every way out: the owner's close, process exit (normal or after a signal
 * opsconsole handles), and — where setpriv exists (Linux) — the kernel's parent-death signal when
 * opsconsole is killed outright (SIGKILL), as the Docker CLI does for its ssh helper.
 */
export function spawnOwned(command: string, args: readonly string[], stdio: StdioOptions): ChildProcess {
	if (!exitHookInstalled) {
		process.once('exit', killOwned);
		exitHookInstalled = true;
	}

	const wrapper = findSetpriv();
	const child = wrapper
		? spawn(wrapper, ['--pdeathsig', 'TERM', '--', command, ...args], {detached: true, stdio})
		: spawn(command, args, {detached: true, stdio});
	owned.add(child);
	child.once('exit', () => owned.delete(child));
	// A spawn failure (no ssh installed) is reported by the owner through 'error'; it must not crash.
	child.on('error', () => owned.delete(child));
	return child;
}
