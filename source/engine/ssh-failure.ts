import {printable} from '../core/terminal-text.js';

/** A failed ssh connection or channel, already worded for people (ssh's own words plus the remedy). */
export class SshError extends Error {
	override name = 'SshError';
}

type Rule = {readonly pattern: RegExp; readonly remedy: (destination: string) => string};

/** Most specific first: ssh often prints a general line after the telling one. */
const rules: readonly Rule[] = [
	{pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i, remedy: destination => `the host key of ${destination} has CHANGED since it was recorded in known_hosts — this can be an attack; confirm the new key with the host's owner, then remove the old one (ssh-keygen -R HOST)`},
	{pattern: /No \S+ host key is known for|Host key verification failed/i, remedy: destination => `${destination}'s host key is not in known_hosts yet — connect once with \`ssh ${destination}\` to check and accept it (opsconsole never accepts a key by itself)`},
	{pattern: /Permission denied \(/i, remedy: () => 'authentication failed; opsconsole cannot ask for a password or passphrase: load your key into ssh-agent (ssh-add) or name it with IdentityFile in ~/.ssh/config'},
	{pattern: /Too many authentication failures/i, remedy: () => 'the server stopped after too many keys were offered: set IdentitiesOnly yes and the right IdentityFile for this host in ~/.ssh/config'},
	{pattern: /Connection refused/i, remedy: () => 'is sshd running there, and on that port?'},
	{pattern: /Could not resolve hostname/i, remedy: () => 'check the host name, or its Host entry in your ssh config'},
	{pattern: /timed out|Operation timed out/i, remedy: () => 'the host does not answer: check the address, the VPN or a firewall'},
	{pattern: /No route to host|Network is unreachable/i, remedy: () => 'no network path to the host: check the VPN or the route'},
	{pattern: /Timeout, server .* not responding/i, remedy: () => 'the connection went silent; it is retried'},
	{pattern: /kex_exchange_identification|Connection closed by|Connection reset/i, remedy: () => 'the server closed the connection: is this an ssh server, and does it accept this client (MaxStartups, fail2ban)?'},
	{pattern: /Bad owner or permissions/i, remedy: () => 'ssh refuses a config or key file that others can write: chmod 600 it'},
	{pattern: /Can't open user config file|no argument after keyword|Bad configuration option|terminating, \d+ bad configuration options/i, remedy: () => 'fix the ssh config file (OPSCONSOLE_SSH_CONFIG, or ~/.ssh/config)'},
	{pattern: /permission denied while trying to connect to the Docker daemon/i, remedy: destination => `the remote user cannot use the engine's socket: add them to the docker group on ${destination}`},
	{pattern: /Cannot connect to the Docker daemon|Is the docker daemon running/i, remedy: destination => `is dockerd running on ${destination}?`},
	{pattern: /docker: (command )?not found|docker: No such file|exec: "?docker"?: executable file not found/i, remedy: destination => `the Docker CLI is not installed on ${destination} (ssh runs \`docker system dial-stdio\` there to reach the engine)`},
	{pattern: /failed to execute ssh|ssh: (command )?not found|spawn ssh ENOENT/i, remedy: () => 'OpenSSH\'s ssh is not installed here: install openssh-client'},
];

/** The lines of ssh's stderr worth quoting: control characters written out, without blank lines and banners of dashes or @-signs. */
function meaningfulLines(stderr: string): string[] {
	return printable(stderr.replace(/\r\n?/g, '\n')).split('\n').map(line => line.trim()).filter(line => line && !/^[@\-=*\s]+$/.test(line));
}

/**
 * A reading of why ssh (or the remote `docker system dial-stdio`) failed, from its exit code and
 * stderr: the line that tells, then what to do about it.
 */
export function describeSshFailure(stderr: string, code: number | null, destination: string): string {
	const lines = meaningfulLines(stderr);
	for (const rule of rules) {
		const line = lines.find(candidate => rule.pattern.test(candidate));
		if (line) return `${line.replace(/[.:]$/, '')} — ${rule.remedy(destination)}`;
	}

	if (code === 127) return `the Docker CLI is not installed on ${destination}, or ssh is not installed here`;
	const last = lines.at(-1);
	if (last) return last.length > 300 ? `${last.slice(0, 300)}…` : last;
	return code === null ? 'ssh ended unexpectedly' : `ssh exited with code ${code} and said nothing`;
}
