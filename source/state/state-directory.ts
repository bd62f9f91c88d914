import {mkdirSync} from 'node:fs';
import path from 'node:path';

/** `.opsconsole/` in the project, or OPSCONSOLE_STATE_DIR; created on first use. */
export function stateDirectory(projectRoot: string, environment: NodeJS.ProcessEnv = process.env): string {
	const directory = environment['OPSCONSOLE_STATE_DIR'] ? path.resolve(environment['OPSCONSOLE_STATE_DIR']) : path.join(projectRoot, '.opsconsole');
	mkdirSync(directory, {recursive: true});
	return directory;
}
