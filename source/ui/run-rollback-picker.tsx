import type {AppContext, GlobalOptions} from '../app/context.js';
import {createOperationServices} from '../app/operation-services.js';
import {environmentNamed} from '../app/plan-operation.js';
import {createRollbackSource} from '../app/rollback-targets.js';
import RollbackPicker from './rollback/RollbackPicker.js';
import {runOperationScreen} from './run-operation-screen.js';

/** `opsconsole rollback ENV` in a terminal: the picker on its own, exiting with the scriptable codes. */
export async function runRollbackPicker(context: AppContext, globals: GlobalOptions, env: string): Promise<number> {
	environmentNamed(context.project.environments, env);
	const services = await createOperationServices(context, {operator: globals.operator, readOnly: globals.readOnly});
	const source = createRollbackSource(services, env);
	return runOperationScreen(globals, (size, onDone) => <RollbackPicker env={env} source={source} width={size.width} height={size.height} onDone={onDone}/>);
}
