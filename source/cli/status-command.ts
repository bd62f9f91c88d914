import {collectStatus} from '../app/collect-status.js';
import type {Services} from '../app/services.js';
import {environmentNamed} from '../core/pipeline.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';
import {statusJson} from './status-json.js';

export type StatusOptions = {readonly json?: boolean};

/** `opsconsole status [ENV] [--json]`: exit 0 when every shown environment is healthy, else 1. */
export async function statusCommand(services: Services, output: Output, name: string | undefined, options: StatusOptions): Promise<number> {
	const {environments} = services.project;
	const selected = name ? [environmentNamed(environments, name)] : environments;
	const statuses = await collectStatus(services, environments, selected);
	if (options.json) output.json(statusJson(statuses));
	// The text's column fitting loads string-width's Unicode tables, which --json has no use for.
	else output.line((await import('./status-text.js')).renderStatusText(statuses, output.style, Date.now()));
	return statuses.every(status => status.health === 'healthy') ? exitCodes.done : exitCodes.failed;
}
