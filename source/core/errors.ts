/** The operator asked for something malformed or unknown (exit 2). */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** Policy, a lock or a missing confirmation refused the operation; nothing changed (exit 3). */
export class RefusedError extends Error {
	override name = 'RefusedError';
}

/** The engine of an environment could not be reached or did not answer in time. */
export class EngineUnavailableError extends Error {
	override name = 'EngineUnavailableError';
	constructor(readonly host: string, readonly reason: string) {
		super(`engine at ${host} unreachable: ${reason}`);
	}
}

/** opsconsole's own state (history, audit log, locks, logs) cannot be read or written; the message says which file and what to do. */
export class StateError extends Error {
	override name = 'StateError';
}
