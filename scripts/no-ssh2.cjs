// Stands in for ssh2 in the bundle. dockerode's built-in SSH ignores ~/.ssh keys and config and can
// crash the process on network errors; opsconsole reaches ssh:// engines through OpenSSH instead
// and never asks docker-modem for protocol "ssh", so this is never constructed. Leaving ssh2 out
// saves most of dockerode's import time.
class Client {
	constructor() {
		throw new Error('dockerode\'s built-in SSH client is not bundled: opsconsole reaches ssh:// engines through OpenSSH');
	}
}

module.exports = {Client};
