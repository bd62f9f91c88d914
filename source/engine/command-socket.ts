import type {ChildProcess} from 'node:child_process';
import type {Socket} from 'node:net';
import {Duplex} from 'node:stream';

/**
 * A helper process's stdin and stdout as one socket-like stream, so Node's HTTP client can speak
 * the Engine API through `ssh … docker system dial-stdio` as it would through a TCP socket: it
 * has the parts of net.Socket that the HTTP client and a keep-alive agent call (timeouts,
 * keep-alive, ref/unref). Destroying it ends the process; the process ending fails it with the
 * reason `describeExit` reads from its exit code and stderr.
 */
export class CommandSocket extends Duplex {
	timeout = 0;
	readonly #child: ChildProcess;
	readonly #stdin: Socket;
	readonly #stdout: Socket;
	#idleTimer: NodeJS.Timeout | undefined;
	#referenced = true;

	constructor(child: ChildProcess, describeExit: (code: number | null, stderr: string) => Error | undefined) {
		super({allowHalfOpen: false});
		this.#child = child;
		this.#stdin = child.stdin as Socket;
		this.#stdout = child.stdout as Socket;
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-4096);
		});
		this.#stdout.on('data', (chunk: Buffer) => {
			this.#touch();
			if (!this.push(chunk)) this.#stdout.pause();
		});
		this.#stdout.on('end', () => this.push(null));
		this.#stdin.on('error', () => undefined);
		child.once('close', code => {
			const failure = code === 0 ? undefined : describeExit(code, stderr);
			if (failure) this.destroy(failure);
			else if (!this.destroyed) this.push(null);
		});
		child.once('error', error => this.destroy(error));
	}

	override _read(): void {
		this.#stdout.resume();
	}

	override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.#touch();
		this.#stdin.write(chunk, encoding, callback);
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.#stdin.end(callback);
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		clearTimeout(this.#idleTimer);
		if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
		this.#stdin.destroy();
		this.#stdout.destroy();
		callback(error);
	}

	/** As net.Socket: emits 'timeout' after `ms` without traffic (0 turns it off). */
	setTimeout(ms: number, onTimeout?: () => void): this {
		this.timeout = ms;
		if (onTimeout) this.once('timeout', onTimeout);
		this.#touch();
		return this;
	}

	/** The child's pipes have no TCP keep-alive or Nagle to tune; ssh keeps the connection alive. */
	setKeepAlive(): this {
		return this;
	}

	setNoDelay(): this {
		return this;
	}

	/** An idle socket in a keep-alive pool must not keep the process running. */
	unref(): this {
		this.#referenced = false;
		this.#child.unref();
		this.#stdin.unref();
		this.#stdout.unref();
		(this.#child.stderr as Socket | null)?.unref();
		this.#idleTimer?.unref();
		return this;
	}

	ref(): this {
		this.#referenced = true;
		this.#child.ref();
		this.#stdin.ref();
		this.#stdout.ref();
		(this.#child.stderr as Socket | null)?.ref();
		this.#idleTimer?.ref();
		return this;
	}

	#touch(): void {
		clearTimeout(this.#idleTimer);
		this.#idleTimer = undefined;
		if (this.timeout <= 0 || this.destroyed) return;
		this.#idleTimer = setTimeout(() => this.emit('timeout'), this.timeout);
		if (!this.#referenced) this.#idleTimer.unref();
	}
}
