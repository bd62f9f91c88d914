/** Every dashboard key, once: the footer and the help overlay both read this list. */
export type KeyHelp = {
	readonly keys: string;
	readonly does: string;
	/** One word for the footer. */
	readonly label: string;
	/** Changes something: hidden from the footer and refused when read-only. */
	readonly mutating?: boolean;
	/** Shown in the footer (the rest only in `?` help). */
	readonly footer?: boolean;
};

export const dashboardKeys: readonly KeyHelp[] = [
	{keys: 'Tab ←/→', label: 'env', does: 'next / previous environment', footer: true},
	{keys: '1-9', label: 'env', does: 'the environment of that line'},
	{keys: '↑/↓ j/k', label: 'container', does: 'select a container (PgUp/PgDn a page)', footer: true},
	{keys: 'e', label: 'expand', does: 'list every container / fold healthy ones when they do not fit'},
	{keys: 'l', label: 'logs', does: 'logs of the selected container (streamed; Esc back)', footer: true},
	{keys: 'i', label: 'inspect', does: 'inspect the selected container (secrets masked)', footer: true},
	{keys: 'R', label: 'restart', does: 'restart the selected container (asks first)', mutating: true, footer: true},
	{keys: 'g', label: 'git', does: 'refresh git state now'},
	{keys: '/', label: 'filter', does: 'filter containers (Enter keeps, Esc clears)', footer: true},
	{keys: 'p', label: 'promote', does: 'promote the selected environment to the next (wizard)', mutating: true, footer: true},
	{keys: 'r', label: 'rollback', does: 'roll the selected environment back (picker)', mutating: true},
	{keys: 'c', label: 'checks', does: 'run the environment\'s checklist (report, re-run, present)', footer: true},
	{keys: 'h', label: 'history', does: 'release history: steps, errors, logs, roll back to one'},
	{keys: '?', label: 'help', does: 'this help', footer: true},
	{keys: 'q Ctrl-C', label: 'quit', does: 'quit', footer: true},
];

const alwaysShown = new Set(['?', 'q Ctrl-C']);

/**
 * The footer for a width: every footer key that works, and where they do not all fit, the ones
 * that fit — help and quit always, at the end, where a person looks for them.
 */
export function footerLine(readOnly: boolean, width: number): string {
	const shown = dashboardKeys.filter(key => key.footer && !(readOnly && key.mutating)).map(key => ({text: `${key.keys.split(' ')[0]} ${key.label}`, kept: alwaysShown.has(key.keys)}));
	const line = (keys: typeof shown) => keys.map(key => key.text).join('  ');
	while (line(shown).length > width && shown.some(key => !key.kept)) {
		shown.splice(shown.findLastIndex(key => !key.kept), 1);
	}

	return line(shown);
}
