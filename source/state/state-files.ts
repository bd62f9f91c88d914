import {accessSync, closeSync, constants, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';
import {StateError} from '../core/errors.js';

/** A person's reading of a failed file operation on opsconsole's state, with the remedy. */
export function stateError(error: unknown, doing: string, file: string): StateError {
	const code = (error as NodeJS.ErrnoException).code;
	const folder = path.dirname(file);
	const remedies: Record<string, string> = {
		EACCES: `permission denied — check who owns ${folder} (ls -ld), or set OPSCONSOLE_STATE_DIR to a folder you can write`,
		EPERM: `not permitted (an immutable or protected file?) — check ${folder}, or set OPSCONSOLE_STATE_DIR to a folder you can write`,
		EROFS: 'the file system is read-only — set OPSCONSOLE_STATE_DIR to a writable folder',
		ENOSPC: 'the disk is full — free some space',
		EDQUOT: 'the disk quota is used up — free some space',
		ENOTDIR: `${folder} is not a folder`,
		EISDIR: `${file} is a folder, not a file`,
	};
	return new StateError(`cannot ${doing} ${file}: ${(code && remedies[code]) ?? (error as Error).message}`);
}

/** Runs a file operation on state, turning its failure into a StateError that names the file and the remedy. */
export function onStateFile<T>(doing: string, file: string, operation: () => T): T {
	try {
		return operation();
	} catch (error) {
		if (error instanceof StateError) throw error;
		throw stateError(error, doing, file);
	}
}

/** The nearest folder at or above `folder` that exists. */
export function existingAncestor(folder: string): string {
	let current = folder;
	while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
	return current;
}

/** Creates a folder only its owner can read (state holds who did what, and logs that may quote secrets). */
export function ensurePrivateDirectory(directory: string): void {
	try {
		mkdirSync(directory, {recursive: true, mode: 0o700});
	} catch (error) {
		// A recursive mkdir reports ENOENT where its parent refuses it; the parent says why.
		let cause = error;
		try {
			accessSync(existingAncestor(directory), constants.W_OK);
		} catch (parentError) {
			cause = parentError;
		}

		throw stateError(cause, 'create the folder', directory);
	}
}

/** Writes a whole file (mode 0600) so readers see the old or the new content, never half of it. */
export function writeFileAtomically(file: string, content: string): void {
	const temporary = `${file}.${process.pid}.tmp`;
	onStateFile('write', file, () => {
		const descriptor = openSync(temporary, 'w', 0o600);
		try {
			writeSync(descriptor, content);
			fsyncSync(descriptor);
		} finally {
			closeSync(descriptor);
		}

		renameSync(temporary, file);
	});
}

/**
 * Appends one line (mode 0600) with a single write on an O_APPEND descriptor, then fsync, so
 * concurrent writers interleave whole lines. A last line left torn by a crash is ended first, so
 * it cannot swallow this one.
 */
export function appendLine(file: string, line: string): void {
	onStateFile('append to', file, () => {
		const descriptor = openSync(file, 'a+', 0o600);
		try {
			const {size} = fstatSync(descriptor);
			const last = Buffer.alloc(1);
			const torn = size > 0 && readSync(descriptor, last, 0, 1, size - 1) === 1 && last[0] !== 0x0A;
			writeSync(descriptor, `${torn ? '\n' : ''}${line}\n`);
			fsyncSync(descriptor);
		} finally {
			closeSync(descriptor);
		}
	});
}

/** Says what keeps opsconsole from recording in `directory`, or undefined when every part of it is writable. */
export function stateDirectoryProblem(directory: string, parts: readonly string[]): string | undefined {
	for (const folder of [directory, ...parts.map(part => path.join(directory, part))]) {
		const probe = path.join(folder, `.write-check-${process.pid}`);
		try {
			ensurePrivateDirectory(folder);
			onStateFile('write', probe, () => {
				closeSync(openSync(probe, 'w', 0o600));
				rmSync(probe);
			});
		} catch (error) {
			return (error as Error).message;
		}
	}

	return undefined;
}
