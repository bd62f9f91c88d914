import {existsSync, readFileSync} from 'node:fs';

/** Alive and not a zombie waiting to be reaped. */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}

	const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
	return !/^\d+ \(.*\) Z/.test(stat);
}
