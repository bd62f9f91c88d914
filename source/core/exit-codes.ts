/** DESIGN.md §5: the exit codes every command and face shares. */
export const exitCodes = {
	done: 0,
	failed: 1,
	usage: 2,
	refused: 3,
	interrupted: 130,
} as const;
