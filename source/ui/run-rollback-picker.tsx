import {refuseIfReadOnly} from '../app/read-only-guard.js';
import {createRollbackSource} from '../app/rollback-targets.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {exitCodes} from '../core/exit-codes.js';
import {exitCodeForOutcome} from '../core/operation-flow.js';
import {environmentNamed} from '../core/pipeline.js';
import {styleFor} from '../presentation/style.js';
import RollbackPicker from './rollback/RollbackPicker.js';
import {runInk} from './run-ink.js';

/** `opsconsole rollback ENV` in a terminal: the picker on its own, exiting with the scriptable codes. */
export async function runRollbackPicker(services: Services, globals: GlobalOptions, env: string): Promise<number> {
	environmentNamed(services.project.environments, env);
	refuseIfReadOnly(services, env, 'rollback');
	const style = styleFor(process.stdout, globals, services.preferences.read());
	const size = {width: process.stdout.columns || 80, height: (process.stdout.rows || 24) - 1};
	return runInk(style, end => (
		<RollbackPicker env={env} source={createRollbackSource(services, env)} width={size.width} height={size.height} onDone={state => end(state ? exitCodeForOutcome(state.outcome) : exitCodes.interrupted)}/>
	));
}
