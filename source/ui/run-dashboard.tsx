import path from 'node:path';
import {createDashboardActions} from '../app/dashboard-actions.js';
import type {LiveMonitor} from '../app/live-monitor.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {describeOperator} from '../core/audit.js';
import {styleFor} from '../presentation/style.js';
import App from './App.js';
import {runInk} from './run-ink.js';

/** The dashboard over the (already started) live monitor, with the services the composition root built. */
export async function runDashboard(services: Services, globals: GlobalOptions, monitor: LiveMonitor): Promise<number> {
	const {preferences, identity} = services;
	const stored = preferences.read();
	if (globals.ascii !== undefined && globals.remember) preferences.update({ascii: globals.ascii});
	const style = styleFor(process.stdout, globals, stored);
	const exitCode = await runInk(style, end => (
		<App
			live={monitor}
			actions={createDashboardActions(services)}
			project={path.basename(services.project.root)}
			operator={describeOperator(identity)}
			readOnly={services.readOnly.everywhere !== undefined}
			initialEnvironment={stored.lastEnvironment}
			onEnvironmentSelected={name => {
				// Only a change is written: conf's import would otherwise compete with the first frame.
				if (name !== preferences.read().lastEnvironment) preferences.update({lastEnvironment: name});
			}}
			onQuit={() => end(0)}
		/>
	));
	await preferences.flush();
	return exitCode;
}
