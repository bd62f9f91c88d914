import {accessSync, constants, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {resolveConfigPath} from '../core/config-path.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';

const roles = {ca: 'CA certificate', cert: 'client certificate', key: 'client key'} as const;

/** Why a file cannot be read, or undefined when it can. */
function unreadable(file: string): string | undefined {
	try {
		if (!statSync(file).isFile()) return 'is not a file';
		accessSync(file, constants.R_OK);
		return undefined;
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
	}
}

/**
 * The certificate files an environment names that cannot be read here, by field. `validate`
 * reports them; other commands report them as the engine's error, so one operator's missing
 * certificate never stops them from seeing the other environments.
 */
export function engineFileProblems(environment: EnvironmentConfig, root: string, home = process.env['HOME'] || homedir()): Array<{fieldPath: string[]; message: string}> {
	const {tls} = environment.docker;
	if (!tls) return [];
	return (['ca', 'cert', 'key'] as const).flatMap(role => {
		const value = tls[role];
		if (value === undefined) return [];
		const file = resolveConfigPath(value, {root, home});
		const why = unreadable(file);
		const where = file === value ? '' : ` (${file})`;
		return why ? [{fieldPath: ['docker', 'tls', role], message: `the TLS ${roles[role]} ${value}${where} cannot be read: ${why} — relative paths start at the project root, ~ is your home folder`}] : [];
	});
}
