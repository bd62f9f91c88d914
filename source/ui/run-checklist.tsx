import {createChecklistSource} from '../app/checklist-source.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {runPassed} from '../core/checks.js';
import {UsageError} from '../core/errors.js';
import {exitCodes} from '../core/exit-codes.js';
import {environmentNamed} from '../core/pipeline.js';
import {styleFor} from '../presentation/style.js';
import ChecklistScreen from './checks/ChecklistScreen.js';
import {runInk} from './run-ink.js';

/** `opsconsole check ENV` in a terminal: the checklist screen on its own, exiting 0 when every check passed, 1 when one failed. */
export async function runChecklistScreen(services: Services, globals: GlobalOptions, env: string, options: {readonly present: boolean}): Promise<number> {
	const environment = environmentNamed(services.project.environments, env);
	if (environment.checks.length === 0) throw new UsageError(`${env} has no checks: add a checks: list to environments/${env}.yaml`);
	const style = styleFor(process.stdout, globals, services.preferences.read());
	const size = {width: process.stdout.columns || 80, height: (process.stdout.rows || 24) - 1};
	return runInk(style, end => (
		<ChecklistScreen
			source={createChecklistSource(services, env)}
			present={options.present}
			width={size.width}
			height={size.height}
			onDone={run => end(run === undefined ? exitCodes.interrupted : runPassed(run) ? exitCodes.done : exitCodes.failed)}
		/>
	));
}
