import {closeSync, fsyncSync, openSync, renameSync, writeSync} from 'node:fs';

/** Writes a whole file so readers see the old or the new content, never half of it. */
export function writeFileAtomically(file: string, content: string): void {
	const temporary = `${file}.${process.pid}.tmp`;
	const descriptor = openSync(temporary, 'w');
	try {
		writeSync(descriptor, content);
		fsyncSync(descriptor);
	} finally {
		closeSync(descriptor);
	}

	renameSync(temporary, file);
}
