import {hostname, userInfo} from 'node:os';

import type {OperatorIdentity} from '../core/audit.js';
import {printableLine} from '../core/terminal-text.js';

/** `--operator`, else git's user.email, else the OS user; plus the host and the SSH client. */
export function resolveOperator(explicit: string | undefined, gitEmail: string | undefined, environment: NodeJS.ProcessEnv = process.env): OperatorIdentity {
	let osUser = environment['USER'] ?? environment['LOGNAME'];
	if (!osUser) {
		try {
			osUser = userInfo().username;
		} catch {
			osUser = 'unknown';
		}
	}

	const sshClient = environment['SSH_CLIENT']?.split(' ')[0] ?? environment['SSH_CONNECTION']?.split(' ')[0] ?? null;
	return {operator: printableLine(explicit ?? gitEmail ?? osUser), host: printableLine(hostname()), sshClient};
}
