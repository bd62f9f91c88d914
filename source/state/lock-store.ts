import {closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';
import type {Locks} from '../core/adapters.js';
import {RefusedError} from '../core/errors.js';
import {describeHolder, type LockHolder, type LockState} from '../core/lock.js';
import {printableRecord} from '../core/terminal-text.js';
import {watchFolder} from './folder-watch.js';
import {processAlive} from './process-alive.js';
import {ensurePrivateDirectory, onStateFile, stateError} from './state-files.js';

const lockSuffix = '.lock';
const isLockFile = (name: string) => name.endsWith(lockSuffix);

/**
 * One lock file per environment, created with O_EXCL so exactly one process wins, across
 * processes and operators on this host. Not proper-lockfile: its locks live only as long as the
 * process refreshing them, and `opsconsole lock` must hold one after the command exits. A lock
 * whose process is gone is reported stale and only broken on request (`unlock --force`).
 */
export class LockStore implements Locks {
	readonly directory: string;

	constructor(stateDirectory: string, private readonly hostName: string) {
		this.directory = path.join(stateDirectory, 'locks');
	}

	private fileFor(env: string): string {
		return path.join(this.directory, `${env}${lockSuffix}`);
	}

	/** Takes the lock or throws RefusedError naming the holder. */
	acquire(holder: Omit<LockHolder, 'since'>): LockHolder {
		const taken: LockHolder = {...holder, since: new Date().toISOString()};
		let descriptor: number;
		ensurePrivateDirectory(this.directory);
		try {
			descriptor = openSync(this.fileFor(holder.env), 'wx', 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw stateError(error, 'create the lock', this.fileFor(holder.env));
			const current = this.read(holder.env);
			const remedy = current?.stale ? ` — break it with \`opsconsole unlock ${holder.env} --force\`` : '';
			throw new RefusedError(`${holder.env} is locked by ${current ? describeHolder(current) : 'another operation'}${remedy}`);
		}

		try {
			onStateFile('write the lock', this.fileFor(holder.env), () => writeSync(descriptor, `${JSON.stringify(taken)}\n`));
		} finally {
			closeSync(descriptor);
		}

		return taken;
	}

	read(env: string): LockState | undefined {
		const file = this.fileFor(env);
		if (!existsSync(file)) return undefined;
		let holder: LockHolder;
		try {
			holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
			if (typeof holder?.operator !== 'string' || typeof holder.action !== 'string' || typeof holder.since !== 'string') throw new TypeError('not a lock');
		} catch {
			// Created this instant and not yet written, or damaged: still held, owner unknown.
			return {env, operator: 'unknown', host: 'unknown', pid: null, since: 'unknown', action: 'unknown', message: null, stale: false};
		}

		const stale = holder.pid !== null && holder.host === this.hostName && !processAlive(holder.pid);
		return {...printableRecord(holder), stale};
	}

	list(): LockState[] {
		if (!existsSync(this.directory)) return [];
		return onStateFile('read the folder', this.directory, () => readdirSync(this.directory))
			.filter(isLockFile)
			.map(name => this.read(name.slice(0, -lockSuffix.length)))
			.filter(state => state !== undefined);
	}

	/** Releases a lock this process (or, with `force`, anyone) holds; returns what was released. */
	release(env: string, options: {operator: string; force?: boolean; ownPid?: number}): LockState | undefined {
		const current = this.read(env);
		if (!current) return undefined;
		const ours = options.ownPid !== undefined ? current.pid === options.ownPid : current.pid === null && current.operator === options.operator;
		if (!ours && !options.force) {
			throw new RefusedError(`${env} is locked by ${describeHolder(current)}; only its holder can unlock it — or break it with \`opsconsole unlock ${env} --force\``);
		}

		onStateFile('remove the lock', this.fileFor(env), () => rmSync(this.fileFor(env), {force: true}));
		return current;
	}

	watch(onChange: () => void, signal: AbortSignal): void {
		// Only lock files: a write check leaves and removes a probe file of its own here.
		watchFolder(this.directory, onChange, signal, isLockFile);
	}
}
