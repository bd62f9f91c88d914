import {activeContainers} from '../core/container.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {freezeReason} from '../core/freeze-windows.js';
import type {GateFacts} from '../core/gate-checks.js';
import type {ApprovalRecord, GateRecord} from '../core/gate-records.js';
import {holdOn, holdsIn, describeHold} from '../core/holds.js';
import {downstreamOf} from '../core/pipeline.js';
import {plural} from '../core/words.js';
import type {EnvironmentStatus} from './collect-status.js';
import type {PlannedOperation} from './plan-operation.js';
import type {Services} from './services.js';

/** What the operator asked of the gates and the lock for this one run. */
export type GateOptions = {
	/** `--override-freeze REASON`: go ahead during a freeze (approvers only, audited). */
	readonly overrideFreeze?: string;
	/** `--lock-wait`: how long to wait for a held lock. */
	readonly lockWaitMs?: number;
};

/** Who may approve a promotion into `environment`, or override its freeze. */
export function approversOf(environment: EnvironmentConfig): string[] {
	return [...new Set([...environment.protection.approvers, ...(environment.protection.approvals?.approvers ?? [])])];
}

/** The approvals of `commit` into `env` that still count for `promoter`: unexpired, by an allowed approver, never the promoter's own; newest per approver. */
export function countingApprovals(records: readonly GateRecord[], environment: EnvironmentConfig, commit: string, promoter: string, now: Date): ApprovalRecord[] {
	const allowed = environment.protection.approvals?.approvers ?? [];
	const byOperator = new Map<string, ApprovalRecord>();
	for (const record of records) {
		if (record.type !== 'approval' || record.env !== environment.name || record.commit !== commit) continue;
		if (record.operator === promoter || Date.parse(record.expiresAt) <= now.getTime()) continue;
		if (allowed.length > 0 && !allowed.includes(record.operator)) continue;
		if ((byOperator.get(record.operator)?.at ?? '') < record.at) byOperator.set(record.operator, record);
	}

	return [...byOperator.values()];
}

/**
 * How long FROM's running release has been healthy, from evidence opsconsole can show: the
 * clock starts when the release finished (it was verified then) or when any of its containers
 * last started, whichever is later, so a restart (Docker's own reaction to a failing container,
 * or someone's) restarts it; an environment not healthy right now has soaked nothing.
 */
export function soakedFor(services: Services, status: EnvironmentStatus, now: Date): {healthyMs: number; why?: string} {
	if (status.health !== 'healthy') return {healthyMs: 0, why: `${status.name} is ${status.health} now`};
	const record = status.release ? services.state.releases.get(status.release) : undefined;
	const starts = [record?.finishedAt, ...activeContainers(status.containers).map(container => container.startedAt)].filter((value): value is string => typeof value === 'string');
	if (starts.length === 0) return {healthyMs: 0, why: 'no start time on record'};
	const since = starts.reduce((latest, value) => (value > latest ? value : latest));
	const restarted = record?.finishedAt !== undefined && record.finishedAt !== null && since !== record.finishedAt;
	return {healthyMs: now.getTime() - Date.parse(since), ...(restarted ? {why: `a container restarted at ${since}`} : {})};
}

/** The gates' facts for one planned operation, and the freeze as preflight sees it (null when none, or overridden by an approver). */
export function gatherGateFacts(services: Services, planned: PlannedOperation, options: GateOptions, now = new Date()): {gates: GateFacts; freeze: string | null} {
	const {plan, target, from, fromStatus} = planned;
	const records = services.state.gates.read();
	const operator = services.identity.operator;
	const releases = services.state.releases.list({env: target.name});
	const hold = plan.kind !== 'rollback' && plan.commit ? holdOn(target.name, plan.commit, releases, records) : undefined;
	const frozen = plan.kind === 'rollback' ? null : freezeReason(target.protection.freeze, now);
	const approvers = approversOf(target);
	const override = frozen && options.overrideFreeze ? {reason: options.overrideFreeze, allowed: approvers.includes(operator), approvers} : undefined;
	const approvals = target.protection.approvals;
	const soak = from?.protection.soak;
	const gates: GateFacts = {
		...(hold ? {hold} : {}),
		...(override ? {freezeOverride: override} : {}),
		...(approvals && plan.commit ? {approvals: {required: approvals.required, given: countingApprovals(records, target, plan.commit, operator, now), approvers: approvals.approvers}} : {}),
		...(soak !== undefined && from && fromStatus ? {soak: {env: from.name, requiredMs: soak, ...soakedFor(services, fromStatus, now)}} : {}),
	};
	return {gates, freeze: override?.allowed ? null : frozen};
}

/** What the wizard warns of before preflight: the commit failed or was rolled back in `env` or further down the pipeline. */
export function downstreamHoldWarnings(services: Services, env: string, commit: string): string[] {
	if (!commit) return [];
	const records = services.state.gates.read();
	const later: EnvironmentConfig[] = [];
	for (let next = downstreamOf(services.project.environments, env); next && !later.includes(next); next = downstreamOf(services.project.environments, next.name)) later.push(next);
	return later.flatMap(environment => {
		const hold = holdOn(environment.name, commit, services.state.releases.list({env: environment.name}), records);
		return hold ? [`${describeHold(hold)} — it failed downstream before`] : [];
	});
}

/** Every hold in force in `env`, for status and the dashboard. */
export function holdsOf(services: Pick<Services, 'state'>, env: string) {
	return holdsIn(env, services.state.releases.list({env}), services.state.gates.read());
}

/** When FROM's branch has commits FROM does not run, the promotion leaves them out: say so, with the command that deploys them first. */
export async function fromBranchAheadWarnings(services: Services, from: EnvironmentConfig, fromStatus: EnvironmentStatus, running: string | undefined): Promise<string[]> {
	const head = fromStatus.commit;
	if (!running || !head || head === running) return [];
	const ahead = await services.git.countCommitsBetween(running, head).catch(() => 0);
	if (ahead === 0) return [];
	return [`${from.branch} is ${plural(ahead, 'commit')} ahead of what ${from.name} runs; this promotes only what runs — deploy ${from.name} first: opsconsole deploy ${from.name}`];
}
