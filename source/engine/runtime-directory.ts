import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const prefix = 'opsconsole-ssh-';
let directory: string | undefined;

function processGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

/** Folders left by an opsconsole that was killed outright (its exit handler never ran). */
function sweepLeftovers(base: string): void {
	let names: string[];
	try {
		names = readdirSync(base);
	} catch {
		return;
	}

	for (const name of names) {
		const pid = Number(/^opsconsole-ssh-(\d+)-/.exec(name)?.[1]);
		if (!pid || pid === process.pid || !processGone(pid)) continue;
		try {
			rmSync(path.join(base, name), {recursive: true, force: true});
		} catch {
			// Someone else's, or already going: not ours to insist on.
		}
	}
}

/**
 * A folder only this user can enter (mkdtemp makes it 0700), for the ssh masters' control
 * sockets: whoever can reach a control socket can run commands on the remote host. It is
 * removed when the process exits. Short, since a socket's path may not exceed about 100 bytes.
 */
export function privateRuntimeDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	if (directory) return directory;
	// XDG_RUNTIME_DIR may belong to someone else (sudo -E); then the temporary folder serves.
	const bases = [environment['XDG_RUNTIME_DIR'], tmpdir()].filter((base): base is string => Boolean(base));
	let failure: unknown;
	for (const base of bases) {
		try {
			sweepLeftovers(base);
			const created = mkdtempSync(path.join(base, `${prefix}${process.pid}-`));
			process.once('exit', () => rmSync(created, {recursive: true, force: true}));
			directory = created;
			return created;
		} catch (error) {
			failure = error;
		}
	}

	throw new Error(`cannot create a private folder for ssh control sockets in ${bases.join(' or ')}: ${(failure as Error).message}`);
}
