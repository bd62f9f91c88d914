import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let cached: string | undefined;

/**
 * The opsconsole installation's folder (the one holding its package.json), found from wherever
 * this code runs — the compiled tree or the bundle — so files it ships (recipes' kit, the demo
 * template, the version) are found the same way from both.
 */
export function packageRoot(): string {
	if (cached) return cached;
	let folder = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const manifest = path.join(folder, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'opsconsole') {
			cached = folder;
			return folder;
		}

		const parent = path.dirname(folder);
		if (parent === folder) throw new Error('cannot find the opsconsole package.json above the running code');
		folder = parent;
	}
}
