type SystemError = Error & {code?: string; statusCode?: number; address?: string; json?: {message?: string}};

/** A person's reading of a low-level connection error, with the likely remedy. */
export function describeEngineError(error: unknown, host: string, timeoutMs: number): string {
	const problem = error as SystemError;
	switch (problem.code) {
		case 'ENOENT':
			return `no socket at ${host.replace(/^unix:\/\//, '')} — is dockerd running?`;
		case 'ECONNREFUSED':
			return 'connection refused — is dockerd running and listening there?';
		case 'EACCES':
			return 'permission denied on the socket — is your user in the docker group?';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host name does not resolve';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'ECONNRESET':
			return 'connection reset by the engine';
		case 'ABORT_ERR':
			return `no answer within ${timeoutMs / 1000} s`;
		default:
			break;
	}

	if (problem.name === 'AbortError' || problem.name === 'TimeoutError' || /timeout|timed out/i.test(problem.message)) {
		return `no answer within ${timeoutMs / 1000} s`;
	}

	if (problem.statusCode) return `engine answered HTTP ${problem.statusCode}: ${problem.json?.message ?? problem.message}`;
	return problem.message || String(error);
}
