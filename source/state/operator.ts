import {readFileSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';

import type {OperatorIdentity} from '../core/audit.js';
import {printableLine} from '../core/terminal-text.js';

/** The client address of an SSH login, from SSH_CONNECTION ("client port server port") or SSH_CLIENT ("client port port"). */
function sshClientOf(environment: Readonly<Record<string, string | undefined>>): string | null {
	return (environment['SSH_CONNECTION'] ?? environment['SSH_CLIENT'])?.trim().split(/\s+/)[0] || null;
}

/** The parent of a process, from /proc (Linux). */
function parentOf(pid: number): number | undefined {
	try {
		// The command name is in parentheses and may contain spaces; the parent pid follows the closing one.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		return parent > 1 ? parent : undefined;
	} catch {
		return undefined;
	}
}

/**
 * sudo resets the environment, so SSH_CONNECTION is gone by the time opsconsole runs as root; the
 * login shell above sudo still has it. Looks a few processes up (readable by root only).
 */
function sshClientAboveSudo(): string | null {
	let pid = parentOf(process.pid);
	for (let level = 0; pid !== undefined && level < 8; level++, pid = parentOf(pid)) {
		try {
			const variables = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').map(entry => {
				const separator = entry.indexOf('=');
				return [entry.slice(0, separator), entry.slice(separator + 1)];
			}));
			const client = sshClientOf(variables);
			if (client) return client;
		} catch {
			return null;
		}
	}

	return null;
}

/**
 * `--operator`, else git's user.email, else the person at the keyboard (the user behind sudo,
 * else the OS user); plus the host, the SSH client they came from, and the real user when sudo
 * is in between — what the audit log and the header show.
 */
export function resolveOperator(explicit: string | undefined, gitEmail: string | undefined, environment: NodeJS.ProcessEnv = process.env): OperatorIdentity {
	let osUser = environment['USER'] ?? environment['LOGNAME'];
	if (!osUser) {
		try {
			osUser = userInfo().username;
		} catch {
			osUser = 'unknown';
		}
	}

	const sudoUser = environment['SUDO_USER'] && environment['SUDO_USER'] !== osUser ? printableLine(environment['SUDO_USER']) : null;
	const sshClient = sshClientOf(environment) ?? (sudoUser ? sshClientAboveSudo() : null);
	return {operator: printableLine(explicit ?? gitEmail ?? sudoUser ?? osUser), host: printableLine(hostname()), sshClient, sudoUser};
}
