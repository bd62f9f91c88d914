import {approveCommit, listApprovals, releaseHold} from '../app/gate-actions.js';
import {holdsOf} from '../app/gate-facts.js';
import type {Services} from '../app/services.js';
import {describeHold} from '../core/holds.js';
import {environmentNamed} from '../core/pipeline.js';
import {shortSha} from '../core/words.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

/** `opsconsole hold release ENV COMMIT --reason R`. */
export async function holdReleaseCommand(services: Services, output: Output, env: string, commit: string, options: {reason?: string; json?: boolean}): Promise<number> {
	const {hold, record} = await releaseHold(services, env, commit, options.reason);
	if (options.json) output.json({released: record, hold});
	else output.line(`released the hold on ${shortSha(record.commit)} in ${env} (${hold.cause}); it may be promoted or deployed there again`);
	return exitCodes.done;
}

/** `opsconsole holds ENV`: the commits that may not go into ENV again, and why. */
export async function holdsCommand(services: Services, output: Output, env: string, options: {json?: boolean}): Promise<number> {
	environmentNamed(services.project.environments, env);
	const holds = holdsOf(services, env);
	if (options.json) output.json({env, holds});
	else output.line(holds.length === 0 ? `nothing is held in ${env}` : holds.map(hold => `${describeHold(hold)}\n   release it: opsconsole hold release ${env} ${shortSha(hold.commit)} --reason "…"`).join('\n'));
	return exitCodes.done;
}

/** `opsconsole approve ENV COMMIT [--note N]`. */
export async function approveCommand(services: Services, output: Output, env: string, commit: string, options: {note?: string; json?: boolean}): Promise<number> {
	const record = await approveCommit(services, env, commit, options.note);
	if (options.json) output.json({approval: record});
	else output.line(`${record.operator} approved ${shortSha(record.commit)} for ${env} until ${record.expiresAt}${record.note ? ` (${record.note})` : ''}; it counts for anyone else's promotion`);
	return exitCodes.done;
}

/** `opsconsole approvals ENV`: who approved what, and whether it still counts. */
export async function approvalsCommand(services: Services, output: Output, env: string, options: {json?: boolean}): Promise<number> {
	const listing = listApprovals(services, env);
	if (options.json) {
		output.json({env, ...listing});
		return exitCodes.done;
	}

	const lines = [`${env} needs ${listing.required} approval${listing.required === 1 ? '' : 's'} per commit${listing.approvers.length > 0 ? ` from ${listing.approvers.join(', ')}` : ''}, never the promoter's own`];
	if (listing.approvals.length === 0) lines.push('no approvals recorded');
	for (const approval of listing.approvals) {
		const state = approval.expired ? 'expired' : approval.counts ? `counts until ${approval.expiresAt}` : 'not by an approver';
		lines.push(`  ${shortSha(approval.commit)}  ${approval.operator}  ${approval.at}  ${state}${approval.note ? `  "${approval.note}"` : ''}`);
	}

	output.line(lines.join('\n'));
	return exitCodes.done;
}
