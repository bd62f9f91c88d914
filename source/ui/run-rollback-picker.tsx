import {render} from 'ink';
import type {AppContext, GlobalOptions} from '../app/context.js';
import {createOperationServices} from '../app/operation-services.js';
import {environmentNamed} from '../app/plan-operation.js';
import {createRollbackSource} from '../app/rollback-targets.js';
import {exitCodeForOutcome, type FlowState} from '../core/operation-flow.js';
import {colorWanted} from '../presentation/style.js';
import RollbackPicker from './rollback/RollbackPicker.js';
import {StyleContext} from './style-context.js';
import {correctedTerminal} from './terminal-output.js';

/** Leaving the picker without choosing is an interruption: nothing ran. */
const exitCodeFor = (state: FlowState | undefined): number => (state ? exitCodeForOutcome(state.outcome) : 130);

/** `opsconsole rollback ENV` in a terminal: the picker on its own, exiting with the scriptable codes. */
export async function runRollbackPicker(context: AppContext, globals: GlobalOptions, env: string): Promise<number> {
	environmentNamed(context.project.environments, env);
	const services = await createOperationServices(context, {operator: globals.operator, readOnly: globals.readOnly});
	const source = createRollbackSource(services, env);
	let exitCode = 130;
	const style = {color: colorWanted(process.stdout, globals.color), ascii: globals.ascii === true};
	const instance = render(
		<StyleContext.Provider value={style}>
			<RollbackPicker
				env={env}
				source={source}
				width={process.stdout.columns || 80}
				height={(process.stdout.rows || 24) - 1}
				onDone={state => {
					exitCode = exitCodeFor(state);
					instance.unmount();
				}}
			/>
		</StyleContext.Provider>,
		{stdout: correctedTerminal(process.stdout), incrementalRendering: true, exitOnCtrlC: false},
	);
	await instance.waitUntilExit();
	return exitCode;
}
