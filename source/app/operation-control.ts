import {signalExitCodes, type EndingSignal} from '../core/exit-codes.js';
import type {FlowState} from '../core/operation-flow.js';

/**
 * How a face (or a signal) stops an operation: the first cancel stops the running step and lets
 * the flow recover; a second one stops waiting altogether, the automatic rollback included.
 */
export class OperationControl {
	readonly #cancel = new AbortController();
	readonly #force = new AbortController();

	get cancelSignal(): AbortSignal {
		return this.#cancel.signal;
	}

	get forceSignal(): AbortSignal {
		return this.#force.signal;
	}

	get cancelled(): boolean {
		return this.#cancel.signal.aborted;
	}

	/** Cancels, or on a second call stops waiting; says which it did. */
	cancel(): 'cancelling' | 'forcing' | 'already forced' {
		if (!this.#cancel.signal.aborted) {
			this.#cancel.abort();
			return 'cancelling';
		}

		if (!this.#force.signal.aborted) {
			this.#force.abort();
			return 'forcing';
		}

		return 'already forced';
	}
}

const running = new Set<{control: OperationControl; done: Promise<FlowState>}>();

/** Every operation of this process registers while it runs, so a signal or a quit key can stop them all. */
export function trackOperation(control: OperationControl, done: Promise<FlowState>): void {
	const entry = {control, done};
	running.add(entry);
	void done.finally(() => running.delete(entry)).catch(() => undefined);
}

/** Cancels (or, called again, forces) every running operation; resolves with how each ended once all are recorded. */
export async function cancelRunningOperations(): Promise<FlowState[]> {
	const entries = [...running];
	for (const entry of entries) entry.control.cancel();
	const settled = await Promise.allSettled(entries.map(async entry => entry.done));
	return settled.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
}

export function operationsRunning(): number {
	return running.size;
}

/** Calls `listener` on SIGINT, SIGTERM or SIGHUP (an SSH session dropping) until the returned function is called. */
export function onEndingSignals(listener: (signal: EndingSignal) => void): () => void {
	const signals = Object.keys(signalExitCodes) as EndingSignal[];
	for (const signal of signals) process.on(signal, listener);
	return () => {
		for (const signal of signals) process.off(signal, listener);
	};
}
