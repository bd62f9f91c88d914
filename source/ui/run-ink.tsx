import {render, Text, useInput} from 'ink';
import {useEffect, useRef, useState, type ReactNode} from 'react';
import {cancelRunningOperations, onEndingSignals, operationsRunning} from '../app/operation-control.js';
import {exitCodes, signalExitCodes, type EndingSignal} from '../core/exit-codes.js';
import type {FlowState} from '../core/operation-flow.js';
import type {StyleOptions} from '../presentation/style.js';
import {StyleContext, toneProps, useStyle} from './style-context.js';
import {correctedTerminal} from './terminal-output.js';


type GuardProps = {
	readonly children: ReactNode;
	readonly subscribe: (onSignal: (signal: EndingSignal) => void) => () => void;
	/** The screen ends, with how the operations it cancelled ended. */
	readonly onEnd: (exitCode: number, cancelled: readonly FlowState[]) => void;
};

/**
 * Ctrl-C (a key in raw mode) and SIGINT, SIGTERM or SIGHUP all end a screen the same way: a
 * running operation is cancelled first and its outcome recorded, then the screen goes. Again
 * stops waiting, even for an automatic rollback.
 */
function InterruptGuard({children, subscribe, onEnd}: GuardProps) {
	const style = useStyle();
	const [waiting, setWaiting] = useState(false);
	const ending = useRef(false);

	const end = (signal: EndingSignal) => {
		// Cancelling again forces: the operations stop waiting, and the first call's promise settles.
		if (ending.current) {
			void cancelRunningOperations();
			return;
		}

		ending.current = true;
		setWaiting(operationsRunning() > 0);
		void cancelRunningOperations().then(states => onEnd(signalExitCodes[signal], states));
	};

	useEffect(() => subscribe(end), []);
	useInput((input, key) => {
		if (key.ctrl && input === 'c') end('SIGINT');
	});

	return (
		<>
			{children}
			{waiting ? <Text {...toneProps('warn', style)} wrap="truncate">cancelling the running operation before quitting… (Ctrl-C again stops waiting, even for the rollback)</Text> : null}
		</>
	);
}

/** Hands the process's ending signals to whoever subscribes (the screen's guard); tests send their own. */
export class SignalRelay {
	readonly #listeners = new Set<(signal: EndingSignal) => void>();
	readonly #stopListening: () => void;

	constructor(listen = true) {
		this.#stopListening = listen ? onEndingSignals(signal => this.send(signal)) : () => undefined;
	}

	subscribe = (listener: (signal: EndingSignal) => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	send(signal: EndingSignal): void {
		for (const listener of this.#listeners) listener(signal);
	}

	dispose(): void {
		this.#stopListening();
	}
}

/** A screen as every face shows one: the style, and the guard that ends it on Ctrl-C or a signal. */
export function Screen({style, signals, onEnd, children}: {readonly style: StyleOptions; readonly signals: SignalRelay; readonly onEnd: GuardProps['onEnd']; readonly children: ReactNode}) {
	return (
		<StyleContext.Provider value={style}>
			<InterruptGuard subscribe={signals.subscribe} onEnd={onEnd}>{children}</InterruptGuard>
		</StyleContext.Provider>
	);
}

/** One line per operation a quit cancelled, left in the terminal once the screen is gone. */
function cancelledSummary(state: FlowState): string {
	const what = state.kind === 'promotion' ? `promotion ${state.from} → ${state.env}` : `${state.kind} of ${state.env}`;
	return `opsconsole: ${what}: ${state.outcome ?? 'unknown'}${state.error ? ` — ${state.error}` : ''}${state.release ? ` (release ${state.release.id})` : ''}\n`;
}

/**
 * Renders one Ink screen on the terminal (only changed lines, never taller than the terminal) and
 * resolves to the process's exit code: what the screen reports, or the signal's when interrupted.
 */
export async function runInk(style: StyleOptions, screen: (end: (exitCode: number) => void) => ReactNode): Promise<number> {
	let exitCode: number = exitCodes.done;
	let cancelled: readonly FlowState[] = [];
	const signals = new SignalRelay();
	const finish = (code: number) => {
		exitCode = code;
		instance.unmount();
	};

	const instance = render(
		<Screen style={style} signals={signals} onEnd={(code, states) => {
			cancelled = states;
			finish(code);
		}}>
			{screen(finish)}
		</Screen>,
		{stdout: correctedTerminal(process.stdout, {ascii: style.ascii}), incrementalRendering: true, exitOnCtrlC: false, patchConsole: true},
	);
	try {
		await instance.waitUntilExit();
	} finally {
		signals.dispose();
	}

	for (const state of cancelled) process.stderr.write(cancelledSummary(state));
	return exitCode;
}
