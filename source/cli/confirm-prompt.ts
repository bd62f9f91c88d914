import {createInterface} from 'node:readline/promises';
import {confirmingFlag, flagsConfirm, typedConfirmationMatches, type ConfirmationFlags, type ConfirmationNeed} from '../core/confirmation.js';
import {formatDuration} from '../core/duration.js';
import {RefusedError} from '../core/errors.js';
import {failureChoiceKeys, type FailureChoice, type FailureDecision, type FlowState} from '../core/operation-flow.js';

/**
 * A question at the terminal that ends, never crashes, when the terminal does: an SSH session that
 * drops makes readline fail with EIO, and the SIGHUP that follows decides what happens.
 */
function terminalQuestions(stopAsking?: AbortSignal) {
	const gone = new AbortController();
	const terminal = createInterface({input: process.stdin, output: process.stdout});
	terminal.on('error', () => gone.abort());
	terminal.on('close', () => gone.abort());
	const signal = stopAsking ? AbortSignal.any([stopAsking, gone.signal]) : gone.signal;
	return {
		terminal,
		ask: async (query: string) => terminal.question(query, {signal}),
	};
}

const isAbort = (error: unknown) => (error as Error).name === 'AbortError';

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

		const {terminal, ask} = terminalQuestions();
		try {
			if (need.level === 'typed') {
				const typed = await ask(`${summary}. Type the environment's name (${need.env}) to confirm: `);
				return typedConfirmationMatches(need, typed.trim());
			}

			const answer = await ask(`${summary}? [y/N] `);
			return /^y(es)?$/i.test(answer.trim());
		} catch (error) {
			if (!isAbort(error)) throw error;
			return false;
		} finally {
			terminal.close();
		}
	};
}

/**
 * `--on-failure pause` at a terminal: asks what to do about the failed step until the executor
 * stops asking (an answer, the countdown, a cancel). Ctrl-C at the question is passed on as the
 * signal it is, so the operation's own cancel decides, and is audited as one.
 */
export function chooseAtTerminal(env: string) {
	return async (decision: FailureDecision, state: FlowState, stopAsking: AbortSignal): Promise<FailureChoice> => {
		const failed = state.steps.find(step => step.id === decision.step);
		const options = decision.options.map(option => `${failureChoiceKeys[option]} ${option === 'rollback' ? `roll back (${decision.rollbackTo})` : option === 'abort' ? 'leave it as it is' : option}`).join(', ');
		const fallback = decision.fallback === 'rollback' ? 'rolls back' : 'leaves it as it is';
		const {terminal, ask} = terminalQuestions(stopAsking);
		terminal.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
		try {
			for (;;) {
				const answer = (await ask(`${failed?.label ?? decision.step} failed. What now? ${options}, then Enter (nobody choosing: ${fallback} in ${formatDuration(decision.until - Date.now())}): `)).trim().toLowerCase();
				const choice = decision.options.find(option => failureChoiceKeys[option] === answer || option === answer);
				if (choice === 'ignore') {
					const typed = await ask(`Ignoring the failed verification records the release as succeeded, with the failure noted and audited. Type the environment's name (${env}) to confirm: `);
					if (typedConfirmationMatches({level: 'typed', env}, typed.trim())) return choice;
				} else if (choice) {
					return choice;
				}
			}
		} catch (error) {
			if (!isAbort(error)) throw error;
			// The terminal went away: that is nobody's choice. The SIGHUP that follows (or the countdown)
			// decides, and stops asking; only then is there an answer, and the executor does not read it.
			if (!stopAsking.aborted) await new Promise(resolve => stopAsking.addEventListener('abort', resolve, {once: true}));
			return decision.fallback;
		} finally {
			terminal.close();
		}
	};
}
