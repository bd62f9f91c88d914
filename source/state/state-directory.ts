import path from 'node:path';

/** `.opsconsole/` in the project, or OPSCONSOLE_STATE_DIR. */
export function stateDirectory(projectRoot: string, environment: NodeJS.ProcessEnv = process.env): string {
	return environment['OPSCONSOLE_STATE_DIR'] ? path.resolve(environment['OPSCONSOLE_STATE_DIR']) : path.join(projectRoot, '.opsconsole');
}
