import {existsSync, type FSWatcher, watch} from 'node:fs';
import path from 'node:path';

/** Changes closer together than this are told once: taking a lock creates its file, then writes it. */
const settleMs = 50;

/**
 * Calls `onChange` soon after anything in `folder` changes, by any process, until `signal` aborts.
 * The folder may not exist yet (no lock was ever taken here): its nearest existing ancestor is
 * watched until it appears. Best effort: where nothing can be watched (inotify exhausted, a file
 * system that sends no notices), nothing is called, so callers keep reading on a timer as well.
 */
export function watchFolder(folder: string, onChange: () => void, signal: AbortSignal): void {
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

	/** Watches the folder if it is there, else the nearest ancestor that is, to try again at each change in it. */
	const attach = (): boolean => {
		watcher?.close();
		watcher = open(folder, changed);
		if (watcher) return true;
		for (let ancestor = path.dirname(folder); ; ancestor = path.dirname(ancestor)) {
			if (existsSync(ancestor)) {
				watcher = open(ancestor, () => {
					if (attach()) changed();
				});
				return false;
			}

			if (ancestor === path.dirname(ancestor)) return false;
		}
	};

	signal.addEventListener('abort', stop, {once: true});
	attach();
}
