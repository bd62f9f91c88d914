import {sshAddressProblem} from '../core/ssh-address.js';

/** Where an ssh:// engine lives, as OpenSSH is told it. */
export type SshDestination = {
	readonly user: string | undefined;
	readonly hostname: string;
	readonly port: number | undefined;
	/** The engine's socket on the remote host, when the address names one (`ssh://host/run/docker.sock`). */
	readonly socketPath: string | undefined;
};

/** Reads `ssh://[user@]host[:port][/socket]` by the Docker CLI's rules; throws a sentence for people. */
export function parseSshAddress(address: string): SshDestination {
	const problem = sshAddressProblem(address);
	if (problem) throw new Error(`${address} ${problem}`);
	const url = new URL(address);
	const socketPath = decodeURIComponent(url.pathname);
	return {
		user: url.username ? decodeURIComponent(url.username) : undefined,
		// URL keeps the brackets of an IPv6 literal; ssh wants the bare address.
		hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		port: url.port ? Number(url.port) : undefined,
		socketPath: socketPath.replace(/^\/+/, '') ? socketPath : undefined,
	};
}

/** One word for the remote POSIX shell that ssh hands the command to. */
function shellWord(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export type SshSettings = {
	/** An ssh config file instead of ~/.ssh/config (`ssh -F`); OPSCONSOLE_SSH_CONFIG. */
	readonly configFile: string | undefined;
	/** The master connection's control socket, in a folder only this user can enter. */
	readonly controlPath: string;
	readonly connectTimeoutMs: number;
};

/**
 * What both the master and its channels pass. Everything the operator's ssh config says applies
 * (keys, agent, ProxyJump, known_hosts), except what would make an unattended helper misbehave:
 * prompts (nobody can answer them: the screen owns the terminal), forwardings and local or remote
 * commands the config may set up for interactive logins.
 */
function commonArguments(destination: SshDestination, settings: SshSettings): string[] {
	return [
		...(settings.configFile ? ['-F', settings.configFile] : []),
		'-o', 'BatchMode=yes',
		'-o', `ConnectTimeout=${Math.max(1, Math.round(settings.connectTimeoutMs / 1000))}`,
		'-o', `ControlPath=${settings.controlPath}`,
		'-o', 'ClearAllForwardings=yes',
		'-o', 'ForwardAgent=no',
		'-o', 'ForwardX11=no',
		'-o', 'PermitLocalCommand=no',
		'-o', 'RemoteCommand=none',
		'-o', 'LogLevel=ERROR',
		'-T',
		...(destination.user ? ['-l', destination.user] : []),
		...(destination.port ? ['-p', String(destination.port)] : []),
	];
}

/**
 * The one connection per engine: a master that authenticates once and then carries every channel
 * (`-N`: no command of its own). Keep-alives notice a host that vanished within about 30 s.
 */
export function masterArguments(destination: SshDestination, settings: SshSettings): string[] {
	return [
		...commonArguments(destination, settings),
		'-o', 'ControlMaster=yes',
		'-o', 'ControlPersist=no',
		'-o', 'ServerAliveInterval=10',
		'-o', 'ServerAliveCountMax=3',
		'-N',
		'--', destination.hostname,
	];
}

/** One channel through the master: the remote Docker CLI bridges its stdin and stdout to the engine. */
export function channelArguments(destination: SshDestination, settings: SshSettings): string[] {
	const remote = destination.socketPath
		? ['docker', shellWord(`--host=unix://${destination.socketPath}`), 'system', 'dial-stdio']
		: ['docker', 'system', 'dial-stdio'];
	return [...commonArguments(destination, settings), '-o', 'ControlMaster=no', '--', destination.hostname, ...remote];
}

/** `user@host:port` as people write it, for messages. */
export function describeDestination(destination: SshDestination): string {
	const host = destination.hostname.includes(':') ? `[${destination.hostname}]` : destination.hostname;
	return `${destination.user ? `${destination.user}@` : ''}${host}${destination.port ? `:${destination.port}` : ''}`;
}
