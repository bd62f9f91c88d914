import type {AppContext, GlobalOptions} from '../app/context.js';
import {createOperationServices, type OperationServices} from '../app/operation-services.js';
import type {OperationRequest} from '../app/plan-operation.js';
import {runOperation} from '../app/run-operation.js';
import {exitCodeForOutcome} from '../core/operation-flow.js';
import {confirmFromFlagsOrTerminal} from './confirm-prompt.js';
import {progressLines} from './operation-progress.js';
import type {Output} from './output.js';

export type OperationFlags = {
	readonly yes?: boolean;
	readonly confirm?: string;
	readonly json?: boolean;
	readonly dryRun?: boolean;
};

function describeRequest(request: OperationRequest): string {
	if (request.kind === 'promotion') return `promote ${request.from} to ${request.to}`;
	if (request.kind === 'deploy') return `deploy ${request.env}`;
	return `roll ${request.env} back to ${request.commit.slice(0, 7)}`;
}

/**
 * The scriptable face of a promotion, deploy or rollback: plain progress lines (to stderr with
 * --json, whose stdout is the release record alone). The first Ctrl-C cancels cleanly; later ones
 * are ignored until the outcome is recorded and the lock freed.
 */
export async function operationCommand(
	context: AppContext,
	globals: GlobalOptions,
	output: Output,
	requested: OperationRequest | ((services: OperationServices) => Promise<OperationRequest>),
	flags: OperationFlags,
): Promise<number> {
	const services = await createOperationServices(context, {operator: globals.operator, readOnly: globals.readOnly});
	const request = typeof requested === 'function' ? await requested(services) : requested;
	const cancel = new AbortController();
	const say = (line: string) => (flags.json ? output.error(line) : output.line(line));
	const onInterrupt = () => {
		if (cancel.signal.aborted) {
			say('still cancelling: recording the outcome and freeing the lock…');
			return;
		}

		say('cancelling: stopping the recipe (SIGTERM, then SIGKILL)…');
		cancel.abort();
	};

	process.on('SIGINT', onInterrupt);
	process.on('SIGTERM', onInterrupt);
	try {
		const state = await runOperation(services, request, {
			confirm: confirmFromFlagsOrTerminal({yes: flags.yes, confirm: flags.confirm}, describeRequest(request)),
			onState: (current, event) => {
				for (const line of progressLines(current, event, output.style)) say(line);
			},
			signal: cancel.signal,
			dryRun: flags.dryRun,
		});
		if (flags.json) output.json(state.release ?? {outcome: state.outcome, error: state.error ?? null});
		return exitCodeForOutcome(state.outcome);
	} finally {
		process.off('SIGINT', onInterrupt);
		process.off('SIGTERM', onInterrupt);
	}
}
