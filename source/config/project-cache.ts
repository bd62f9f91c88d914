import {lstatSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {environmentsFolder} from './project-root.js';

/**
 * What validated environment files looked like, so a start whose files have not changed skips the
 * YAML parser and the schema (about a third of `status`'s start-up). The key is every file's
 * identity and timestamps (nanoseconds) plus the build that validated them: any edit, rename, new
 * file or rebuilt opsconsole misses, and a miss is simply the full load. Anything that is not a
 * plain regular file (a link, a pipe) is never cached, so the loader's own checks always see it.
 */
export type ProjectCache = {
	readonly file: string;
	readonly build: string;
};

type CacheContent = {
	readonly build: string;
	readonly fingerprint: string;
	readonly environments: readonly EnvironmentConfig[];
};

function fingerprint(root: string): string | undefined {
	const folder = path.join(root, environmentsFolder);
	try {
		const entries = readdirSync(folder).filter(name => /\.ya?ml$/.test(name)).sort().map(name => {
			const stats = lstatSync(path.join(folder, name), {bigint: true});
			if (!stats.isFile()) throw new Error('not a plain file');
			return [name, stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':');
		});
		return entries.length > 0 ? entries.join('/') : undefined;
	} catch {
		return undefined;
	}
}

/** The environments validated last time, when nothing about their files changed since. */
export function cachedEnvironments(root: string, cache: ProjectCache): readonly EnvironmentConfig[] | undefined {
	const current = fingerprint(root);
	if (!current) return undefined;
	try {
		const content = JSON.parse(readFileSync(cache.file, 'utf8')) as Partial<CacheContent>;
		if (content.build !== cache.build || content.fingerprint !== current || !Array.isArray(content.environments)) return undefined;
		return content.environments;
	} catch {
		return undefined;
	}
}

/** What to remember after a full load, or undefined when the files are not cacheable. Taken before validation reads them, so an edit meanwhile misses next time. */
export function cacheContent(root: string, cache: ProjectCache): ((environments: readonly EnvironmentConfig[]) => string) | undefined {
	const before = fingerprint(root);
	if (!before) return undefined;
	return environments => JSON.stringify({build: cache.build, fingerprint: before, environments} satisfies CacheContent);
}
