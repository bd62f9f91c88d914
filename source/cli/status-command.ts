import {collectStatus} from '../app/collect-status.js';
import type {AppContext} from '../app/context.js';
import {UsageError} from '../core/errors.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';
import {renderStatusText, statusJson} from './status-text.js';

export type StatusOptions = {readonly json?: boolean};

/** `opsconsole status [ENV] [--json]`: exit 0 when every shown environment is healthy, else 1. */
export async function statusCommand(context: AppContext, output: Output, name: string | undefined, options: StatusOptions): Promise<number> {
	const {environments} = context.project;
	const selected = name ? environments.filter(environment => environment.name === name) : environments;
	if (name && selected.length === 0) {
		throw new UsageError(`no environment "${name}" (known: ${environments.map(environment => environment.name).join(', ')})`);
	}

	const statuses = await collectStatus(context, environments, selected);
	if (options.json) output.json(statusJson(statuses));
	else output.line(renderStatusText(statuses, output.style, Date.now()));
	return statuses.every(status => status.health === 'healthy') ? exitCodes.done : exitCodes.failed;
}
