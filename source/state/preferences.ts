import {readFileSync} from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import type {PreferenceStore, Preferences} from '../core/adapters.js';

const projectName = 'opsconsole';

/** Where conf keeps them: the user's config folder (as conf computes it), or OPSCONSOLE_CONFIG_DIR. */
function preferencesFolder(environment: NodeJS.ProcessEnv): string {
	return environment['OPSCONSOLE_CONFIG_DIR'] ?? envPaths(projectName, {suffix: ''}).config;
}

/** Only fields of the right type: a hand-edited file with a typo must not switch read-only off by accident. */
function sanitize(raw: unknown): Preferences {
	if (raw === null || typeof raw !== 'object') return {};
	const value = raw as Record<string, unknown>;
	return {
		...(typeof value['lastEnvironment'] === 'string' ? {lastEnvironment: value['lastEnvironment']} : {}),
		...(typeof value['ascii'] === 'boolean' ? {ascii: value['ascii']} : {}),
		...(value['readOnly'] === true ? {readOnly: true} : {}),
		...(Array.isArray(value['readOnlyEnvironments']) ? {readOnlyEnvironments: value['readOnlyEnvironments'].filter(name => typeof name === 'string')} : {}),
	};
}

/**
 * Preferences in conf's file. Reading is one small JSON file read, so every command can honour
 * read-only without paying for conf's start-up; conf itself is loaded only to write.
 */
export function openPreferences(environment: NodeJS.ProcessEnv = process.env): PreferenceStore {
	const folder = preferencesFolder(environment);
	let current: Preferences | undefined;
	let writes = Promise.resolve();
	const read = (): Preferences => {
		if (current) return current;
		try {
			current = sanitize(JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')));
		} catch {
			// Missing or unreadable: no preferences, which is the default.
			current = {};
		}

		return current;
	};

	return {
		read,
		update(change) {
			current = {...read(), ...change};
			writes = writes.then(async () => {
				const {default: Conf} = await import('conf');
				new Conf<Preferences>({projectName, projectSuffix: '', cwd: folder}).set(change as Preferences);
			}).catch(() => undefined);
		},
		flush: async () => writes,
	};
}
