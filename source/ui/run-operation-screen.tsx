import {render} from 'ink';
import type {ReactElement} from 'react';
import type {GlobalOptions} from '../app/context.js';
import {exitCodes} from '../core/exit-codes.js';
import {exitCodeForOutcome, type FlowState} from '../core/operation-flow.js';
import {colorWanted} from '../presentation/style.js';
import {StyleContext} from './style-context.js';
import {correctedTerminal} from './terminal-output.js';

type ScreenFactory = (size: {width: number; height: number}, onDone: (state: FlowState | undefined) => void) => ReactElement;

/**
 * Runs a wizard or picker on its own (from the command line) and resolves to the scriptable
 * command's exit code; leaving before anything ran is an interruption (130).
 */
export async function runOperationScreen(globals: GlobalOptions, screen: ScreenFactory): Promise<number> {
	let exitCode: number = exitCodes.interrupted;
	const style = {color: colorWanted(process.stdout, globals.color), ascii: globals.ascii === true};
	const size = {width: process.stdout.columns || 80, height: (process.stdout.rows || 24) - 1};
	const instance = render(
		<StyleContext.Provider value={style}>
			{screen(size, state => {
				exitCode = state ? exitCodeForOutcome(state.outcome) : exitCodes.interrupted;
				instance.unmount();
			})}
		</StyleContext.Provider>,
		{stdout: correctedTerminal(process.stdout, {ascii: style.ascii}), incrementalRendering: true, exitOnCtrlC: false},
	);
	await instance.waitUntilExit();
	return exitCode;
}
