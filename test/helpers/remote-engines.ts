/**
 * Remote engines of the tests' own, in front of the real local engine: an sshd on a loopback
 * port (its own config, host key and authorized_keys, generated per run), a TLS listener (socat
 * with client-certificate checks, certificates generated per run by openssl), and Docker CLI
 * contexts in a temporary DOCKER_CONFIG. Everything is ended and removed with `resources`.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, connect, type Server, type Socket} from 'node:net';
import {userInfo} from 'node:os';
import path from 'node:path';
import {temporaryFolder, type Resources} from './temp.js';

/** A loopback port nobody listens on right now (the listener that takes it may still lose a race; callers retry). */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise(resolve => server.close(resolve));
	return port;
}

async function accepts(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Waits until the port accepts connections, or the process exits (then fails with its output). */
async function waitForListener(child: ChildProcess, port: number, output: () => string, what: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited before listening on ${port}: ${output()}`);
		if (await accepts(port)) return;
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	throw new Error(`${what} did not listen on ${port} within 10 s: ${output()}`);
}

/**
 * Starts a helper process in its own process group, ended (group and all) with `resources` — and,
 * through setpriv's parent-death signal, with the test process itself if it is killed outright.
 */
function startOwned(command: string, args: readonly string[], resources: Resources): {child: ChildProcess; output: () => string} {
	const child = existsSync('/usr/bin/setpriv')
		? spawn('/usr/bin/setpriv', ['--pdeathsig', 'TERM', '--', command, ...args], {detached: true, stdio: ['ignore', 'pipe', 'pipe']})
		: spawn(command, args, {detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-4000);
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-4000);
	});
	resources.defer(async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise(resolve => child.once('exit', resolve));
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			// Already gone.
		}

		await exited;
	});
	return {child, output: () => output};
}

export type TestSshd = {
	readonly port: number;
	readonly user: string;
	/** An ssh config for opsconsole (OPSCONSOLE_SSH_CONFIG): this run's client key, accept-new, its own known_hosts. */
	readonly clientConfig: string;
	/** `ssh://user@127.0.0.1:port` */
	readonly address: string;
	readonly folder: string;
	/** Ends every session the sshd serves (as a network drop or a restarted host would); it keeps listening. */
	dropConnections(): void;
};

/** Processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
	return readdirSync('/proc').filter(name => /^\d+$/.test(name)).flatMap(name => {
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(name)] : [];
		} catch {
			return [];
		}
	});
}

/**
 * An sshd of the test's own on a free loopback port, letting the current user in with a key made
 * for this run only. Its sessions reach the local engine with the machine's `docker` CLI.
 */
export async function startSshd(resources: Resources): Promise<TestSshd> {
	const folder = temporaryFolder(resources, 'opsconsole-sshd-');
	const user = userInfo().username;
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'opsconsole-test-host', '-f', path.join(folder, 'host_key')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'opsconsole-test-client', '-f', path.join(folder, 'client_key')]);
	writeFileSync(path.join(folder, 'authorized_keys'), readFileSync(path.join(folder, 'client_key.pub')), {mode: 0o600});
	// Privilege separation wants this folder when sshd runs as root; a fresh container may lack it.
	if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
	writeFileSync(path.join(folder, 'ssh_config'), [
		'Host *',
		`  IdentityFile ${path.join(folder, 'client_key')}`,
		'  IdentitiesOnly yes',
		'  StrictHostKeyChecking accept-new',
		`  UserKnownHostsFile ${path.join(folder, 'known_hosts')}`,
		'  GlobalKnownHostsFile /dev/null',
		'',
	].join('\n'));

	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		const config = path.join(folder, `sshd_config_${port}`);
		writeFileSync(config, [
			`ListenAddress 127.0.0.1:${port}`,
			`HostKey ${path.join(folder, 'host_key')}`,
			`AuthorizedKeysFile ${path.join(folder, 'authorized_keys')}`,
			`PidFile ${path.join(folder, `sshd_${port}.pid`)}`,
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'UsePAM no',
			'StrictModes no',
			'PermitRootLogin prohibit-password',
			`AllowUsers ${user}`,
			'',
		].join('\n'));
		const {child, output} = startOwned('/usr/sbin/sshd', ['-D', '-e', '-f', config], resources);
		try {
			await waitForListener(child, port, output, 'sshd');
			const dropConnections = () => {
				for (const session of childrenOf(child.pid!)) process.kill(session, 'SIGKILL');
			};
			return {port, user, clientConfig: path.join(folder, 'ssh_config'), address: `ssh://${user}@127.0.0.1:${port}`, folder, dropConnections};
		} catch (error) {
			if (attempt >= 3 || !/Address already in use/.test(output())) throw error;
		}
	}
}

/** A loopback port that accepts connections and never says a word (an engine or sshd that hangs). */
export async function startSilentListener(resources: Resources): Promise<number> {
	const sockets = new Set<Socket>();
	const server: Server = createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	resources.defer(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise(resolve => server.close(resolve));
	});
	return (server.address() as {port: number}).port;
}

export type TestCertificates = {
	readonly folder: string;
	/** The CA that signed the listener's certificate and the good client certificate. */
	readonly ca: string;
	readonly clientCert: string;
	readonly clientKey: string;
	/** A client certificate from another CA, which the listener refuses. */
	readonly strangerCert: string;
	readonly strangerKey: string;
	/** That other CA: a client that trusts only it does not trust the listener. */
	readonly strangerCa: string;
	readonly serverCert: string;
	readonly serverKey: string;
};

function openssl(folder: string, ...args: string[]): void {
	execFileSync('openssl', args, {cwd: folder, stdio: ['ignore', 'ignore', 'pipe']});
}

/** A CA, a server certificate for 127.0.0.1 and localhost, a client certificate, and a stranger's CA and client certificate. */
export function makeCertificates(resources: Resources): TestCertificates {
	const folder = temporaryFolder(resources, 'opsconsole-tls-');
	const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	const authority = (name: string) => openssl(folder, 'req', '-x509', ...key, '-keyout', `${name}-key.pem`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=opsconsole test ${name}`);
	const issue = (name: string, ca: string, extensions: string) => {
		writeFileSync(path.join(folder, `${name}.ext`), extensions);
		openssl(folder, 'req', ...key, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
		openssl(folder, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-set_serial', String(Date.now()), '-days', '2', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
	};

	authority('ca');
	authority('stranger-ca');
	issue('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
	issue('client', 'ca', 'extendedKeyUsage=clientAuth\n');
	issue('stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
	const file = (name: string) => path.join(folder, name);
	return {
		folder,
		ca: file('ca.pem'),
		clientCert: file('client.pem'),
		clientKey: file('client-key.pem'),
		strangerCert: file('stranger.pem'),
		strangerKey: file('stranger-key.pem'),
		strangerCa: file('stranger-ca.pem'),
		serverCert: file('server.pem'),
		serverKey: file('server-key.pem'),
	};
}

/**
 * A TLS listener on a free loopback port in front of the real engine socket, like dockerd's
 * --tlsverify: only clients with a certificate signed by `certificates.ca` get through.
 */
export async function startTlsProxy(resources: Resources, certificates: TestCertificates, socketPath = '/var/run/docker.sock'): Promise<number> {
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		const listen = `OPENSSL-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,cert=${certificates.serverCert},key=${certificates.serverKey},cafile=${certificates.ca},verify=1`;
		const {child, output} = startOwned('socat', [listen, `UNIX-CONNECT:${socketPath}`], resources);
		try {
			await waitForListener(child, port, output, 'socat');
			return port;
		} catch (error) {
			if (attempt >= 3 || !/Address already in use/.test(output())) throw error;
		}
	}
}

/** A Docker CLI configuration folder of the test's own, so `docker context create` leaves the machine's untouched. */
export function dockerConfigFolder(resources: Resources): string {
	return temporaryFolder(resources, 'opsconsole-docker-config-');
}

/** `docker context create NAME --docker ENDPOINT` in `configFolder`. */
export function createDockerContext(configFolder: string, name: string, endpoint: string): void {
	execFileSync('docker', ['context', 'create', name, '--docker', endpoint], {env: {...process.env, DOCKER_CONFIG: configFolder}, stdio: ['ignore', 'ignore', 'pipe']});
}

/** The pids of ssh processes (masters, channels) a process started, found by its private control-socket folder. */
export function sshProcessesOf(pid: number): number[] {
	return readdirSync('/proc').filter(name => /^\d+$/.test(name)).flatMap(name => {
		try {
			const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8');
			return commandLine.includes(`opsconsole-ssh-${pid}-`) ? [Number(name)] : [];
		} catch {
			return [];
		}
	});
}
