import {ConfigError} from '../config/project-problems.js';
import {RefusedError, UsageError} from '../core/errors.js';
import {exitCodes} from '../core/exit-codes.js';

export {exitCodes} from '../core/exit-codes.js';

/** The one place that maps an error's kind to the process's exit code. */
export function exitCodeFor(error: unknown): number {
	if (error instanceof ConfigError || error instanceof UsageError) return exitCodes.usage;
	if (error instanceof RefusedError) return exitCodes.refused;
	return exitCodes.failed;
}
