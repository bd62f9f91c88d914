import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after} from 'node:test';

/**
 * Things a test made that must go when it ends (folders, containers, images), released last-made
 * first. Register `after(() => resources.release())` where the test's scope is declared, since
 * hooks registered inside other hooks do not wait for the tests.
 */
export class Resources {
	readonly #releases: Array<() => unknown> = [];

	defer(release: () => unknown): void {
		this.#releases.push(release);
	}

	async release(): Promise<void> {
		for (const release of this.#releases.splice(0).reverse()) {
			try {
				await release();
			} catch (error) {
				console.error('cleanup failed:', error);
			}
		}
	}
}

/** A temporary folder, removed when `resources` are released (or after the calling scope when omitted). */
export function temporaryFolder(resources?: Resources, prefix = 'opsconsole-test-'): string {
	const folder = mkdtempSync(path.join(tmpdir(), prefix));
	const remove = () => rmSync(folder, {recursive: true, force: true});
	if (resources) resources.defer(remove);
	else after(remove);
	return folder;
}

/** Writes `files` (relative path → content) under `root`, creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
	for (const [relative, content] of Object.entries(files)) {
		const full = path.join(root, relative);
		mkdirSync(path.dirname(full), {recursive: true});
		writeFileSync(full, content);
	}
}
