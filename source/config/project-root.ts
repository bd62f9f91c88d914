import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {ConfigError} from './project-problems.js';

export const environmentsFolder = 'environments';

/** The nearest folder at or above `start` that holds `environments/`. */
export function findProjectRoot(start: string): string | undefined {
	let current = path.resolve(start);
	for (;;) {
		const candidate = path.join(current, environmentsFolder);
		if (existsSync(candidate) && statSync(candidate).isDirectory()) return current;
		const parent = path.dirname(current);
		if (parent === current) return undefined;
		current = parent;
	}
}

/** Resolves `--project` (or the working directory) to a project root, or throws a ConfigError that says what to do. */
export function resolveProjectRoot(projectOption: string | undefined, cwd = process.cwd()): string {
	if (projectOption) {
		const root = path.resolve(cwd, projectOption);
		if (!existsSync(path.join(root, environmentsFolder))) {
			throw new ConfigError([{file: root, line: 0, field: '', message: `no ${environmentsFolder}/ folder here; is --project pointing at a deployment project?`}]);
		}

		return root;
	}

	const root = findProjectRoot(cwd);
	if (!root) {
		throw new ConfigError([{
			file: cwd,
			line: 0,
			field: '',
			message: `no ${environmentsFolder}/ folder here or in any parent; run inside a deployment project, pass --project DIR, or create one with \`opsconsole demo up\``,
		}]);
	}

	return root;
}

