/** The deployment project's slug, from its folder's name: the `opsconsole.project` label of what it starts. */
export function projectSlug(root: string): string {
	const folder = root.split(/[\\/]+/).filter(Boolean).at(-1) ?? '';
	return folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
}
