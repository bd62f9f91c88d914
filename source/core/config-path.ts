/**
 * Where a path written in an environment file points: `~/…` under the operator's home folder,
 * absolute paths as written, anything else under the project root (so a project can carry its own
 * files and every operator's checkout resolves them alike).
 */
export function resolveConfigPath(value: string, base: {readonly root: string; readonly home: string}): string {
	if (value === '~') return base.home;
	if (value.startsWith('~/')) return `${base.home.replace(/\/+$/, '')}/${value.slice(2)}`;
	if (value.startsWith('/')) return value;
	return `${base.root.replace(/\/+$/, '')}/${value.replace(/^\.\//, '')}`;
}
