import {collectStatus} from '../app/collect-status.js';
import type {InteractiveFaces} from '../app/faces.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {UsageError} from '../core/errors.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

/** Narrower than this, no line of the dashboard says anything whole. */
const narrowest = 40;

function widthFor(globals: GlobalOptions, terminalColumns: number | undefined): number {
	if (globals.width === undefined) return terminalColumns || 80;
	const width = Number(globals.width);
	if (!Number.isInteger(width) || width < narrowest || width > 1000) throw new UsageError(`--width takes a number of columns from ${narrowest} to 1000, not "${globals.width}"`);
	return width;
}

/** `opsconsole --once [--width N]`: the dashboard printed once; exit 0 when every environment is healthy, else 1, as `status`. */
export async function onceCommand(services: Services, globals: GlobalOptions, output: Output, faces: Pick<InteractiveFaces, 'dashboardText'>): Promise<number> {
	const width = widthFor(globals, process.stdout.isTTY ? process.stdout.columns : undefined);
	const {environments} = services.project;
	const statuses = await collectStatus(services, environments, environments);
	output.line(await faces.dashboardText(services, statuses, width, output.style.ascii));
	return statuses.every(status => status.health === 'healthy') ? exitCodes.done : exitCodes.failed;
}
