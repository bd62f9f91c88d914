import {collectStatus} from '../app/collect-status.js';
import type {Services} from '../app/services.js';
import {environmentNamed} from '../core/pipeline.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';
import {renderStatusText, statusJson} from './status-text.js';

export type StatusOptions = {readonly json?: boolean};

/** `opsconsole status [ENV] [--json]`: exit 0 when every shown environment is healthy, else 1. */
export async function statusCommand(services: Services, output: Output, name: string | undefined, options: StatusOptions): Promise<number> {
	const {environments} = services.project;
	const selected = name ? [environmentNamed(environments, name)] : environments;
	const statuses = await collectStatus(services, environments, selected);
	if (options.json) output.json(statusJson(statuses));
	else output.line(renderStatusText(statuses, output.style, Date.now()));
	return statuses.every(status => status.health === 'healthy') ? exitCodes.done : exitCodes.failed;
}
