import path from 'node:path';
import {render} from 'ink';
import type {AppContext, GlobalOptions} from '../app/context.js';
import {createDashboardActions} from '../app/dashboard-actions.js';
import type {LiveMonitor} from '../app/live-monitor.js';
import {createOperationServices} from '../app/operation-services.js';
import {colorWanted} from '../presentation/style.js';
import {openPreferences} from '../state/preferences.js';
import App from './App.js';
import {correctedTerminal} from './terminal-output.js';

/**
 * The interactive face's composition root: the (already started) live monitor, actions and
 * preferences, handed to the App. Renders incrementally (only changed lines) and never taller than the terminal, because
 * Ink repaints everything once output reaches the bottom row.
 */
export async function runDashboard(context: AppContext, globals: GlobalOptions, monitor: LiveMonitor): Promise<number> {
	const preferences = openPreferences();
	const stored = preferences.read();
	if (globals.ascii !== undefined) preferences.update({ascii: globals.ascii});
	const readOnly = globals.readOnly === true || stored.readOnly === true;
	const services = await createOperationServices(context, {operator: globals.operator, readOnly});
	const actions = createDashboardActions(services, stored.readOnlyEnvironments ?? []);
	const style = {color: colorWanted(process.stdout, globals.color), ascii: globals.ascii ?? stored.ascii ?? false};
	const instance = render(
		<App
			live={monitor}
			actions={actions}
			project={path.basename(context.project.root)}
			operator={services.identity.sshClient ? `${services.identity.operator} (ssh from ${services.identity.sshClient})` : services.identity.operator}
			readOnly={readOnly}
			style={style}
			initialEnvironment={stored.lastEnvironment}
			onEnvironmentSelected={name => preferences.update({lastEnvironment: name})}
		/>,
		{stdout: correctedTerminal(process.stdout, {ascii: style.ascii}), incrementalRendering: true, exitOnCtrlC: true, patchConsole: true},
	);
	await instance.waitUntilExit();
	return 0;
}
