import {RefusedError, UsageError} from '../core/errors.js';
import type {ApprovalRecord, HoldReleaseRecord} from '../core/gate-records.js';
import {holdOn, type Hold} from '../core/holds.js';
import {environmentNamed} from '../core/pipeline.js';
import {shortSha} from '../core/words.js';
import {approversOf, holdsOf} from './gate-facts.js';
import {refuseIfReadOnly} from './read-only-guard.js';
import {recordAudit, type Services} from './services.js';
import {compareOrdinal} from '../core/text-order.js';

/** A commit as an operator names it (a sha or a prefix of at least 4), resolved by git to the full sha. */
async function resolveCommit(services: Services, wanted: string): Promise<string> {
	const commit = /^[0-9a-f]{4,40}$/i.test(wanted) ? await services.git.resolve(`${wanted}^{commit}`).catch(() => undefined) : undefined;
	if (!commit) throw new UsageError(`no commit "${wanted}" in the project's git repository`);
	return commit;
}

/** Refuses, audited, with `message`: nothing changed. */
function refuse(services: Services, action: string, env: string, commit: string | undefined, message: string): never {
	recordAudit(services, {action, env, outcome: 'refused', ...(commit ? {commit} : {}), detail: message});
	throw new RefusedError(message);
}

/** `hold release ENV COMMIT --reason R`: lifts the hold a failure or rollback put on a commit there, recorded and audited. */
export async function releaseHold(services: Services, env: string, wanted: string, reason: string | undefined): Promise<{hold: Hold; record: HoldReleaseRecord}> {
	environmentNamed(services.project.environments, env);
	const action = 'hold release';
	refuseIfReadOnly(services, env, action);
	if (!reason?.trim()) throw new UsageError('say why the hold may go: --reason "…" (it goes into the audit log)');
	const commit = await resolveCommit(services, wanted);
	const hold = holdOn(env, commit, services.state.releases.list({env}), services.state.gates.read());
	if (!hold) {
		const held = holdsOf(services, env).map(item => shortSha(item.commit));
		refuse(services, action, env, commit, `${shortSha(commit)} is not held in ${env}${held.length > 0 ? ` (held: ${held.join(', ')})` : ' (nothing is held there)'}`);
	}

	const record: HoldReleaseRecord = {type: 'hold-release', env, commit, operator: services.identity.operator, at: new Date().toISOString(), reason: reason.trim()};
	services.state.gates.append(record);
	recordAudit(services, {action, env, outcome: 'succeeded', commit, detail: `${hold.cause}; released: ${record.reason}`});
	return {hold, record};
}

/** `approve ENV COMMIT --note N`: one approval of promoting that commit into ENV, by this operator, until it expires. */
export async function approveCommit(services: Services, env: string, wanted: string, note: string | undefined): Promise<ApprovalRecord> {
	const environment = environmentNamed(services.project.environments, env);
	const action = 'approve';
	refuseIfReadOnly(services, env, action);
	const approvals = environment.protection.approvals;
	if (!approvals) throw new UsageError(`${env} asks for no approvals (protection.approvals in environments/${env}.yaml)`);
	const commit = await resolveCommit(services, wanted);
	const operator = services.identity.operator;
	if (approvals.approvers.length > 0 && !approvals.approvers.includes(operator)) {
		refuse(services, action, env, commit, `${operator} is not an approver of ${env} (approvers: ${approvals.approvers.join(', ')})`);
	}

	const now = new Date();
	const record: ApprovalRecord = {type: 'approval', env, commit, operator, at: now.toISOString(), note: note?.trim() || null, expiresAt: new Date(now.getTime() + approvals.expiresAfter).toISOString()};
	services.state.gates.append(record);
	recordAudit(services, {action, env, outcome: 'succeeded', commit, ...(record.note ? {detail: record.note} : {})});
	return record;
}

/** The approvals recorded for ENV, newest first, with whether each still counts (never for its own approver's promotion). */
export function listApprovals(services: Services, env: string, now = new Date()) {
	const environment = environmentNamed(services.project.environments, env);
	const approvals = services.state.gates.read().filter((record): record is ApprovalRecord => record.type === 'approval' && record.env === env).sort((a, b) => compareOrdinal(b.at, a.at));
	const allowed = environment.protection.approvals?.approvers ?? [];
	return {
		required: environment.protection.approvals?.required ?? 0,
		approvers: approversOf(environment),
		approvals: approvals.map(record => {
			const expired = Date.parse(record.expiresAt) <= now.getTime();
			return {...record, expired, counts: !expired && (allowed.length === 0 || allowed.includes(record.operator))};
		}),
	};
}
