/** DESIGN.md §5: the exit codes every command and face shares. */
export const exitCodes = {
	done: 0,
	failed: 1,
	usage: 2,
	refused: 3,
	interrupted: 130,
} as const;

/** The signals that end opsconsole, and the exit code each leaves behind (128 + its number, as a shell reports it). */
export const signalExitCodes = {SIGINT: exitCodes.interrupted, SIGTERM: 143, SIGHUP: 129} as const;
export type EndingSignal = keyof typeof signalExitCodes;
