/** `1a2b3c4` from a full sha; `none` (an em dash unless told) when there is no sha. */
export function shortSha(sha: string | null | undefined, none = '—'): string {
	return sha ? sha.slice(0, 7) : none;
}

/** `1.3 s`: step and run times, to a tenth of a second. */
export function formatSeconds(milliseconds: number): string {
	return `${(milliseconds / 1000).toFixed(1)} s`;
}

/** `1 commit`, `2 commits`. */
export function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
