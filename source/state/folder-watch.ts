import {existsSync, type FSWatcher, watch} from 'node:fs';
import path from 'node:path';
import {existingAncestor} from './state-files.js';

/** Changes closer together than this are told once: taking a lock creates its file, then writes it. */
const settleMs = 50;

/**
 * Calls `onChange` soon after a file in `folder` whose name passes `relevant` changes, by any
 * process, until `signal` aborts. The folder may not exist yet (no lock was ever taken here), or
 * may be removed: its nearest existing ancestor is watched until it is there again. Best effort:
 * where nothing can be watched (inotify exhausted, a file system that sends no notices), nothing
 * is called, so callers keep reading on a timer as well.
 */
export function watchFolder(folder: string, onChange: () => void, signal: AbortSignal, relevant: (name: string) => boolean = () => true): void {
	if (signal.aborted) return;
	let watcher: FSWatcher | undefined;
	let settling: NodeJS.Timeout | undefined;
	const changed = () => {
		settling ??= setTimeout(() => {
			settling = undefined;
			onChange();
		}, settleMs);
	};

	const stop = () => {
		watcher?.close();
		watcher = undefined;
		clearTimeout(settling);
	};

	const open = (target: string, listener: (event: string, name: string | null) => void): FSWatcher | undefined => {
		try {
			// Not persistent: a watch never keeps the process alive.
			return watch(target, {persistent: false}, listener).on('error', stop);
		} catch {
			return undefined;
		}
	};

	/**
	 * Watches the folder if it is there, else its nearest existing ancestor, to look again at each
	 * change there. A folder that appears or goes counts as a change: a lock may be in it already.
	 */
	const attach = (): void => {
		watcher?.close();
		watcher = undefined;
		if (existsSync(folder)) {
			watcher = open(folder, (_event, name) => {
				if (!existsSync(folder)) reattach();
				else if (name === null || relevant(name)) changed();
			});
			return;
		}

		const ancestor = existingAncestor(folder);
		const moved = () => existsSync(folder) || existingAncestor(folder) !== ancestor;
		watcher = open(ancestor, () => {
			if (moved()) reattach();
		});
		// Made between the look and the watch: nothing in the ancestor will say so again.
		if (moved()) reattach();
	};

	const reattach = () => {
		attach();
		changed();
	};

	signal.addEventListener('abort', stop, {once: true});
	attach();
}
