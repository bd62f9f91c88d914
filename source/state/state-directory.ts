import {mkdirSync} from 'node:fs';
import path from 'node:path';

/** Creates a folder only its owner can read (state holds who did what, and logs that may quote secrets). */
export function ensurePrivateDirectory(directory: string): void {
	mkdirSync(directory, {recursive: true, mode: 0o700});
}

/** `.opsconsole/` in the project, or OPSCONSOLE_STATE_DIR. */
export function stateDirectory(projectRoot: string, environment: NodeJS.ProcessEnv = process.env): string {
	return environment['OPSCONSOLE_STATE_DIR'] ? path.resolve(environment['OPSCONSOLE_STATE_DIR']) : path.join(projectRoot, '.opsconsole');
}
