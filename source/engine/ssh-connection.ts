import type {ChildProcess} from 'node:child_process';
import {statSync} from 'node:fs';
import type {Socket} from 'node:net';
import path from 'node:path';
import {CommandSocket} from './command-socket.js';
import {spawnOwned} from './owned-processes.js';
import {privateRuntimeDirectory} from './runtime-directory.js';
import {channelArguments, describeDestination, masterArguments, type SshDestination} from './ssh-destination.js';
import {describeSshFailure, SshError} from './ssh-failure.js';

let sequence = 0;

function socketExists(file: string): boolean {
	try {
		return statSync(file).isSocket();
	} catch {
		return false;
	}
}

type Master = {
	readonly child: ChildProcess;
	ready: Promise<void>;
	up: boolean;
	/** Ended by us (close, deadline, replaced): its exit explains nothing. */
	ending: boolean;
};

function end(master: Master | undefined): void {
	if (!master) return;
	master.ending = true;
	master.child.kill('SIGTERM');
}

export type SshConnectionOptions = {
	readonly configFile: string | undefined;
	/** How long the master may take to connect and authenticate. */
	readonly connectTimeoutMs: number;
};

/**
 * One engine's ssh connection through the system's OpenSSH: a master connection (ControlMaster)
 * that authenticates once, and cheap channels through it, each running the remote
 * `docker system dial-stdio` — the Docker CLI's own transport, so the operator's keys, agent,
 * ssh config, ProxyJump and known_hosts apply unchanged. A master that dies is started again on
 * the next use; its last words explain the failure.
 */
export class SshConnection {
	readonly destination: string;
	readonly #target: SshDestination;
	readonly #options: SshConnectionOptions;
	#controlPath: string | undefined;
	#master: Master | undefined;
	/** Why the last master that was up went away: the better explanation for the channels it took with it. */
	#lost: string | undefined;

	constructor(target: SshDestination, options: SshConnectionOptions) {
		this.#target = target;
		this.#options = options;
		this.destination = describeDestination(target);
	}

	/** Resolves once the master is up (starting it when needed); rejects with an SshError for people. */
	async connect(): Promise<void> {
		if (this.#master && (!this.#master.up || socketExists(this.#settings().controlPath))) return this.#master.ready;
		end(this.#master);
		this.#master = this.#startMaster();
		return this.#master.ready;
	}

	/** A new channel to the engine through the master, as a socket for the HTTP client. */
	openChannel(): CommandSocket {
		const child = spawnOwned('ssh', channelArguments(this.#target, this.#settings()), ['pipe', 'pipe', 'pipe']);
		return new CommandSocket(child, (code, stderr) => new SshError(this.#lost ?? describeSshFailure(stderr, code, this.destination)));
	}

	/** Why the master went away while up, when it did (ssh's words), until a new one is up. */
	get lost(): string | undefined {
		return this.#lost;
	}

	/** Ends the master, and with it every channel; a later use connects again. */
	close(): void {
		end(this.#master);
		this.#master = undefined;
	}

	#settings() {
		this.#controlPath ??= path.join(privateRuntimeDirectory(), `c${++sequence}`);
		return {configFile: this.#options.configFile, controlPath: this.#controlPath, connectTimeoutMs: this.#options.connectTimeoutMs};
	}

	#startMaster(): Master {
		const settings = this.#settings();
		const child = spawnOwned('ssh', masterArguments(this.#target, settings), ['ignore', 'ignore', 'pipe']);
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-4096);
		});
		const master: Master = {child, up: false, ending: false, ready: Promise.resolve()};
		master.ready = new Promise<void>((resolve, reject) => {
			// ssh's ConnectTimeout covers the TCP connect and the banner; this also bounds key exchange and authentication.
			const deadline = setTimeout(() => {
				end(master);
				finish(new SshError(`no answer from ${this.destination} within ${Math.round(this.#options.connectTimeoutMs / 1000) + 2} s (ssh did not finish connecting) — check the address, the VPN or a firewall`));
			}, this.#options.connectTimeoutMs + 2000);
			const poll = setInterval(() => {
				if (socketExists(settings.controlPath)) finish();
			}, 20);
			const finish = (error?: Error): void => {
				clearTimeout(deadline);
				clearInterval(poll);
				if (error) {
					reject(error);
					return;
				}

				master.up = true;
				this.#lost = undefined;
				// Up and idle, the master must not keep the process alive: channels in use do.
				child.unref();
				(child.stderr as Socket | null)?.unref();
				resolve();
			};

			child.once('error', error => finish(new SshError(describeSshFailure(`spawn ssh ${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`, null, this.destination))));
			child.once('exit', code => {
				const settle = () => {
					const reason = describeSshFailure(stderr, code, this.destination);
					if (master.up && !master.ending) this.#lost = `connection lost: ${reason}`;
					finish(new SshError(reason));
					if (this.#master === master) this.#master = undefined;
				};

				// ssh's last words ("Connection refused") can still be in the pipe when it exits; they are the
				// reason to show. Bounded, since a proxy command ssh started may hold the pipe open.
				const words = child.stderr;
				if (!words || words.closed) {
					settle();
					return;
				}

				const bound = setTimeout(settle, 250);
				words.once('close', () => {
					clearTimeout(bound);
					settle();
				});
			});
		});
		// Nobody may be waiting (a stopped watcher); a failure is reported to whoever asks next.
		master.ready.catch(() => undefined);
		return master;
	}
}
