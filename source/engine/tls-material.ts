import {readFileSync} from 'node:fs';
import {createSecureContext, type SecureContext} from 'node:tls';

/** A tcp:// engine's TLS settings, paths already resolved. */
export type TlsSettings = {
	readonly ca: string | undefined;
	readonly cert: string | undefined;
	readonly key: string | undefined;
	readonly verify: boolean;
	/** Where these came from, for messages: `docker.tls`, `DOCKER_CERT_PATH`, `context "stg"`. */
	readonly origin: string;
};

/** TLS material that cannot be used, named by file and with the remedy. */
export class TlsMaterialError extends Error {
	override name = 'TlsMaterialError';
}

const roles = {ca: 'CA certificate', cert: 'client certificate', key: 'client key'} as const;

function readPem(settings: TlsSettings, role: keyof typeof roles): Buffer | undefined {
	const file = settings[role];
	if (!file) return undefined;
	let content: Buffer;
	try {
		content = readFileSync(file);
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : (error as Error).message;
		throw new TlsMaterialError(`cannot read the TLS ${roles[role]} ${file} (${settings.origin}): ${why} — fix the path (relative paths start at the project root) or the file's permissions`);
	}

	if (!content.includes('-----BEGIN')) throw new TlsMaterialError(`the TLS ${roles[role]} ${file} (${settings.origin}) is not a PEM file — it should start with -----BEGIN`);
	return content;
}

/**
 * Reads the certificate files and checks that they make a working TLS context, so a bad file is
 * reported by name before any connection is tried.
 */
export function loadTlsContext(settings: TlsSettings): SecureContext {
	const ca = readPem(settings, 'ca');
	const cert = readPem(settings, 'cert');
	const key = readPem(settings, 'key');
	try {
		// Without a CA file, the engine's certificate is checked against the system's CAs.
		return createSecureContext({...(ca ? {ca} : {}), ...(cert ? {cert} : {}), ...(key ? {key} : {})});
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') throw new TlsMaterialError(`the client certificate ${settings.cert} and key ${settings.key} (${settings.origin}) do not belong together — use the key the certificate was made for`);
		throw new TlsMaterialError(`the TLS files of ${settings.origin} cannot be used (${(error as Error).message}) — check that ca, cert and key are PEM certificates and an unencrypted key`);
	}
}
