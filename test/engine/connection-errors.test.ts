import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describeEngineError} from '../../source/engine/engine-errors.js';
import {describeSshFailure} from '../../source/engine/ssh-failure.js';

/** What OpenSSH (9.x) and the remote Docker CLI print, and the sentence a person gets. */
const sshFailures: Array<{stderr: string; code: number | null; expected: RegExp}> = [
	{stderr: 'ssh: connect to host stg-1 port 22: Connection refused\r\n', code: 255, expected: /^ssh: connect to host stg-1 port 22: Connection refused — is sshd running there, and on that port\?$/},
	{stderr: 'deploy@stg-1: Permission denied (publickey).\r\n', code: 255, expected: /^deploy@stg-1: Permission denied \(publickey\) — authentication failed; opsconsole cannot ask for a password or passphrase: load your key into ssh-agent \(ssh-add\)/},
	{stderr: 'No ED25519 host key is known for stg-1 and you have requested strict checking.\r\nHost key verification failed.\r\n', code: 255, expected: /^No ED25519 host key is known for stg-1 and you have requested strict checking — deploy@stg-1's host key is not in known_hosts yet — connect once with `ssh deploy@stg-1`/},
	{stderr: '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\nHost key verification failed.\r\n', code: 255, expected: /^@ {4}WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! {5}@ — the host key of deploy@stg-1 has CHANGED .* this can be an attack/},
	{stderr: 'Connection timed out during banner exchange\r\nConnection to 10.0.0.5 port 22 timed out\r\n', code: 255, expected: /^Connection timed out during banner exchange — the host does not answer/},
	{stderr: 'ssh: Could not resolve hostname stg-x: Name or service not known\r\n', code: 255, expected: /^ssh: Could not resolve hostname stg-x: Name or service not known — check the host name, or its Host entry in your ssh config$/},
	{stderr: 'sh: 1: docker: not found\n', code: 127, expected: /^sh: 1: docker: not found — the Docker CLI is not installed on deploy@stg-1/},
	{stderr: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/_ping": dial unix /var/run/docker.sock: connect: permission denied\n', code: 1, expected: /— the remote user cannot use the engine's socket: add them to the docker group on deploy@stg-1$/},
	{stderr: 'setpriv: failed to execute ssh: No such file or directory\n', code: 127, expected: /— OpenSSH's ssh is not installed here: install openssh-client$/},
	{stderr: '', code: 255, expected: /^ssh exited with code 255 and said nothing$/},
	{stderr: 'evil \u001B]0;owned\u0007\u001B[2Jbanner\r\n', code: 1, expected: /^evil \\x1b\]0;owned\\x07\\x1b\[2Jbanner$/},
];

for (const failure of sshFailures) {
	test(`ssh failure read for people: ${failure.expected.source.slice(1, 50)}`, () => {
		assert.match(describeSshFailure(failure.stderr, failure.code, 'deploy@stg-1'), failure.expected);
	});
}

const tls = {ca: '/etc/opsconsole/ca.pem', cert: '/home/ana/.docker/cert.pem', key: '/home/ana/.docker/key.pem', verify: true, origin: 'docker.tls'};
const tlsError = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(extra['message'] ?? code), {code, ...extra});

const tlsFailures: Array<{error: Error; settings?: typeof tls; expected: string}> = [
	{error: tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), expected: 'the engine\'s certificate is not signed by the CA in /etc/opsconsole/ca.pem (docker.tls) — point ca at the CA that signed the engine\'s certificate'},
	{error: tlsError('SELF_SIGNED_CERT_IN_CHAIN'), settings: {...tls, ca: undefined as unknown as string}, expected: 'the engine\'s certificate is not signed by a CA this machine trusts — name the engine\'s CA (docker.tls.ca, or ca.pem in DOCKER_CERT_PATH)'},
	{error: tlsError('ERR_TLS_CERT_ALTNAME_INVALID', {reason: 'Host: stg-2. is not in the cert\'s altnames: DNS:stg-1'}), expected: 'the engine\'s certificate is not for this host name (Host: stg-2. is not in the cert\'s altnames: DNS:stg-1) — connect by a name the certificate lists, or reissue it with this name in subjectAltName'},
	{error: tlsError('CERT_HAS_EXPIRED'), expected: 'the engine\'s certificate has expired — renew it on the engine (and check this machine\'s clock)'},
	{error: tlsError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'), expected: 'the engine refused the client certificate /home/ana/.docker/cert.pem (docker.tls) — is it signed by the CA the engine trusts (dockerd --tlscacert), and still valid?'},
	{error: tlsError('ERR_SSL_WRONG_VERSION_NUMBER'), expected: 'the engine does not speak TLS on this port — is this the plain port (2375), or is tls set by mistake?'},
];

for (const failure of tlsFailures) {
	test(`TLS failure names the file and the remedy: ${failure.error.message}`, () => {
		assert.equal(describeEngineError(failure.error, 'tcp://stg-2:2376', 5000, failure.settings ?? tls), failure.expected);
	});
}

test('an engine\'s own error text reaches the screen with its control characters written out', () => {
	const error = Object.assign(new Error('x'), {statusCode: 500, json: {message: 'boom\u001B[31m red\u0007'}});
	assert.equal(describeEngineError(error, 'tcp://stg-2:2375', 5000), 'engine answered HTTP 500: boom\\x1b[31m red\\x07');
});
