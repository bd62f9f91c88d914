import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import path from 'node:path';
import type {Resources} from './temp.js';

/**
 * A proxy of the test's own between opsconsole and the real engine (socat on a unix socket), to
 * kill, freeze or restart while the containers keep running on the engine behind it.
 */
export class EngineProxy {
	readonly socket: string;
	#process: ChildProcess | undefined;

	constructor(folder: string, resources: Resources, private readonly engineSocket = '/var/run/docker.sock') {
		this.socket = path.join(folder, 'engine-proxy.sock');
		resources.defer(() => this.kill());
	}

	get host(): string {
		return `unix://${this.socket}`;
	}

	async start(): Promise<void> {
		rmSync(this.socket, {force: true});
		// Its own process group: freezing or killing it reaches the connections it forked too.
		this.#process = spawn('socat', [`UNIX-LISTEN:${this.socket},fork,unlink-early`, `UNIX-CONNECT:${this.engineSocket}`], {stdio: 'ignore', detached: true});
		const deadline = Date.now() + 5000;
		while (!existsSync(this.socket)) {
			if (Date.now() > deadline) throw new Error('socat did not open its socket within 5 s (is socat installed? scripts/setup.sh installs it)');
			await new Promise(resolve => setTimeout(resolve, 20));
		}
	}

	/** The engine is gone: every connection through the proxy is refused or cut. */
	kill(): void {
		// A frozen proxy cannot die of SIGKILL until it runs again; its forked children go with the group.
		if (this.#process?.pid) {
			try {
				process.kill(-this.#process.pid, 'SIGCONT');
				process.kill(-this.#process.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
		}

		this.#process = undefined;
		rmSync(this.socket, {force: true});
	}

	/** The engine hangs: connections are accepted and never answered. */
	freeze(): void {
		if (this.#process?.pid) process.kill(-this.#process.pid, 'SIGSTOP');
	}

	thaw(): void {
		if (this.#process?.pid) process.kill(-this.#process.pid, 'SIGCONT');
	}
}
