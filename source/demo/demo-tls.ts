import {execFileSync} from 'node:child_process';
import {copyFileSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** The demo certificate's life: long enough that the staging checklist's 14-day expiry check passes. */
const certificateDays = 90;

function whichOpenssl(): string {
	for (const candidate of ['/usr/bin/openssl', '/bin/openssl', '/usr/local/bin/openssl']) {
		try {
			execFileSync(candidate, ['version'], {stdio: 'ignore'});
			return candidate;
		} catch {
			// Not this one.
		}
	}

	throw new Error('the demo\'s TLS endpoint needs openssl on this machine (Debian: apt-get install openssl)');
}

/** The files `ldd` says a binary loads, the dynamic loader included. */
function sharedLibraries(binary: string): string[] {
	const listing = execFileSync('ldd', [binary], {encoding: 'utf8'});
	return listing.split('\n').flatMap(line => {
		const file = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
		return file ? [file] : [];
	});
}

/**
 * Fills the demo's `tls/` folder: openssl and the libraries it links under `rootfs/` (there are no
 * base images here), and a certificate for 127.0.0.1 and localhost signed by a CA made for this
 * demo alone, whose certificate the staging checklist trusts (`ca: tls/certs/ca.pem`). The CA's
 * key is thrown away once it has signed.
 */
export function prepareTlsEndpoint(folder: string): void {
	const openssl = whichOpenssl();
	const rootfs = path.join(folder, 'rootfs');
	for (const file of [openssl, ...sharedLibraries(openssl)]) {
		const target = path.join(rootfs, file);
		mkdirSync(path.dirname(target), {recursive: true});
		copyFileSync(file, target);
	}

	const certs = path.join(folder, 'certs');
	mkdirSync(certs, {recursive: true});
	const run = (...args: string[]) => execFileSync(openssl, args, {cwd: certs, stdio: ['ignore', 'ignore', 'pipe']});
	const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	run('req', '-x509', ...key, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', String(certificateDays * 2), '-subj', '/CN=opsconsole demo CA');
	writeFileSync(path.join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
	run('req', ...key, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=localhost');
	run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-set_serial', String(Date.now()), '-days', String(certificateDays), '-out', 'server.pem', '-extfile', 'server.ext');
	for (const leftover of ['ca-key.pem', 'server.csr', 'server.ext']) rmSync(path.join(certs, leftover), {force: true});
}
