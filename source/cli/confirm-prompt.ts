import {createInterface} from 'node:readline/promises';
import {confirmingFlag, flagsConfirm, typedConfirmationMatches, type ConfirmationFlags, type ConfirmationNeed} from '../core/confirmation.js';
import {RefusedError} from '../core/errors.js';

/**
 * Confirms from flags, else asks at the terminal. Without a TTY nothing can be asked, so it
 * refuses and names the flag that would confirm.
 */
export function confirmFromFlagsOrTerminal(flags: ConfirmationFlags, summary: string) {
	return async (need: ConfirmationNeed): Promise<boolean> => {
		if (flagsConfirm(need, flags)) return true;
		if (!process.stdin.isTTY || !process.stdout.isTTY) {
			throw new RefusedError(`${summary} needs confirmation and there is no terminal to ask: pass ${confirmingFlag(need)}`);
		}

		const terminal = createInterface({input: process.stdin, output: process.stdout});
		try {
			if (need.level === 'typed') {
				const typed = await terminal.question(`${summary}. Type the environment's name (${need.env}) to confirm: `);
				return typedConfirmationMatches(need, typed.trim());
			}

			const answer = await terminal.question(`${summary}? [y/N] `);
			return /^y(es)?$/i.test(answer.trim());
		} finally {
			terminal.close();
		}
	};
}
