import {printableLine} from '../core/terminal-text.js';
import {SshError} from './ssh-failure.js';
import {TlsMaterialError, type TlsSettings} from './tls-material.js';

type SystemError = Error & {code?: string; statusCode?: number; address?: string; reason?: string; json?: {message?: string}};

const unknownAuthority = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED']);
/** Alerts a server sends when it does not accept the client's certificate (or wanted one). */
const clientCertificateRefused = /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REQUIRED|DECRYPT_ERROR|ACCESS_DENIED|HANDSHAKE_FAILURE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED)/;

/** A reading of a TLS handshake failure naming the file involved, or undefined when it is not one. */
function describeTlsError(problem: SystemError, tls: TlsSettings): string | undefined {
	const code = problem.code ?? '';
	if (unknownAuthority.has(code)) {
		return tls.ca
			? `the engine's certificate is not signed by the CA in ${tls.ca} (${tls.origin}) — point ca at the CA that signed the engine's certificate`
			: `the engine's certificate is not signed by a CA this machine trusts — name the engine's CA (docker.tls.ca, or ca.pem in DOCKER_CERT_PATH)`;
	}

	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		return `the engine's certificate is not for this host name (${printableLine(problem.reason ?? problem.message)}) — connect by a name the certificate lists, or reissue it with this name in subjectAltName`;
	}

	if (code === 'CERT_HAS_EXPIRED') return 'the engine\'s certificate has expired — renew it on the engine (and check this machine\'s clock)';
	if (code === 'CERT_NOT_YET_VALID') return 'the engine\'s certificate is not valid yet — check the clocks of both machines';
	if (clientCertificateRefused.test(code) || /alert (bad certificate|unknown ca|certificate required|certificate unknown)/i.test(problem.message)) {
		return tls.cert
			? `the engine refused the client certificate ${tls.cert} (${tls.origin}) — is it signed by the CA the engine trusts (dockerd --tlscacert), and still valid?`
			: `the engine asks for a client certificate — set docker.tls cert and key (or DOCKER_CERT_PATH with cert.pem and key.pem)`;
	}

	if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(problem.message)) {
		return 'the engine does not speak TLS on this port — is this the plain port (2375), or is tls set by mistake?';
	}

	return undefined;
}

/** A person's reading of a low-level connection error, with the likely remedy; never a stack trace or a control character. */
export function describeEngineError(error: unknown, host: string, timeoutMs: number, tls?: TlsSettings): string {
	return printableLine(readEngineError(error, host, timeoutMs, tls));
}

function readEngineError(error: unknown, host: string, timeoutMs: number, tls: TlsSettings | undefined): string {
	const problem = error as SystemError;
	if (problem instanceof SshError || problem instanceof TlsMaterialError || problem?.name === 'DockerContextError') return problem.message;
	if (tls) {
		const reading = describeTlsError(problem, tls);
		if (reading) return reading;
	}

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
			if (tls) return 'the engine closed the connection during the TLS handshake — does it accept the client certificate, and speak TLS on this port?';
			return host.startsWith('tcp://') ? 'connection reset by the engine — if it expects TLS on this port, set docker.tls (or DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)' : 'connection reset by the engine';
		case 'ABORT_ERR':
			return `no answer within ${timeoutMs / 1000} s`;
		default:
			break;
	}

	if (problem.name === 'AbortError' || problem.name === 'TimeoutError' || /timeout|timed out/i.test(problem.message)) {
		return `no answer within ${timeoutMs / 1000} s`;
	}

	if (problem.statusCode === 400 && /HTTP request to an HTTPS server/i.test(JSON.stringify(problem.json ?? problem.message))) {
		return 'the engine speaks TLS on this port — set docker.tls (or DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)';
	}

	if (problem.statusCode) return `engine answered HTTP ${problem.statusCode}: ${problem.json?.message ?? problem.message}`;
	return problem.message || String(error);
}
