import {printableLine} from '../core/terminal-text.js';

/**
 * A failed request or connection in words an operator acts on, for probes and checks alike: a
 * deadline (an abort with a TimeoutError or AbortError), a refusal, a name that does not resolve.
 */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
	const problem = error as Error & {code?: string; cause?: {code?: string; message?: string}};
	if (problem.name === 'TimeoutError' || problem.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
	const code = problem.cause?.code ?? problem.code;
	if (code === 'ECONNREFUSED') return 'connection refused';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name does not resolve';
	if (code === 'ECONNRESET') return 'the connection was reset';
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no route to the host';
	return printableLine(problem.cause?.message ?? problem.message);
}
