/** The operator asked for something malformed or unknown (exit 2). */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** Policy, a lock or a missing confirmation refused the operation; nothing changed (exit 3). */
export class RefusedError extends Error {
	override name = 'RefusedError';
}

/** The operation ran and failed; the message says whether it was rolled back (exit 1). */
export class OperationFailedError extends Error {
	override name = 'OperationFailedError';
}

/** The operator interrupted the operation (exit 130). */
export class InterruptedError extends Error {
	override name = 'InterruptedError';
}
