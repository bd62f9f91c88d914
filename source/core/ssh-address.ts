/** Why an ssh:// address cannot be handed to OpenSSH, or undefined when it can (the Docker CLI's rules). */
export function sshAddressProblem(address: string): string | undefined {
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return 'is not a valid ssh://[user@]host[:port][/socket] address';
	}

	if (url.password) return 'must not hold a password: ssh uses your keys, agent and ~/.ssh/config';
	if (url.search || url.hash) return 'must not have a query or fragment';
	if (!url.hostname) return 'needs a host name';
	let userAndHost: string;
	let socketPath: string;
	try {
		userAndHost = decodeURIComponent(url.username + url.hostname);
		socketPath = decodeURIComponent(url.pathname);
	} catch {
		return 'has a malformed %-escape';
	}

	if (/[\u0000-\u0020\u007f]/.test(userAndHost) || /[\u0000-\u001f\u007f]/.test(socketPath)) return 'must not contain control characters, nor spaces in the user or host';
	return undefined;
}
