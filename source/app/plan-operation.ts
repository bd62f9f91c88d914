import type {EnvironmentConfig} from '../core/environment-schema.js';
import {UsageError} from '../core/errors.js';
import {describeHolder} from '../core/lock.js';
import {branchMoveFor, type OperationPlan} from '../core/operation-plan.js';
import {verifiedRelease} from '../core/release.js';
import {environmentNamed, upstreamOf} from '../core/pipeline.js';
import {evaluatePreflight, type PreflightCheck} from '../core/preflight.js';
import {fromChecksGate} from './checks-gate-facts.js';
import {collectEnvironmentStatus, type EnvironmentStatus} from './collect-status.js';
import {downstreamHoldWarnings, fromBranchAheadWarnings, gatherGateFacts, type GateOptions} from './gate-facts.js';
import type {Services} from './services.js';

/** What to change: a promotion of FROM's running release, a deploy of a branch head, or a rollback to a commit. */
export type OperationRequest =
	| {readonly kind: 'promotion'; readonly from: string; readonly to: string}
	| {readonly kind: 'deploy'; readonly env: string}
	| {readonly kind: 'rollback'; readonly env: string; readonly commit: string; readonly targetRelease: string | null};

export type PlannedOperation = {
	readonly plan: OperationPlan;
	readonly target: EnvironmentConfig;
	readonly from: EnvironmentConfig | undefined;
	readonly targetStatus: EnvironmentStatus;
	readonly fromStatus: EnvironmentStatus | undefined;
};

export function targetOf(request: OperationRequest): string {
	return request.kind === 'promotion' ? request.to : request.env;
}

/** Reads live state and git to say exactly what the operation would do; changes nothing. */
export async function planOperation(services: Services, request: OperationRequest): Promise<PlannedOperation> {
	const {environments} = services.project;
	const target = environmentNamed(environments, targetOf(request));
	const from = request.kind === 'promotion' ? environmentNamed(environments, request.from) : undefined;
	if (from && from.promotesTo !== target.name) {
		throw new UsageError(`${from.name} promotes to ${from.promotesTo ?? 'nothing'}, not ${target.name}`);
	}

	const [targetStatus, fromStatus] = await Promise.all([
		collectEnvironmentStatus(services, environments, target),
		from ? collectEnvironmentStatus(services, environments, from) : undefined,
	]);
	const currentCommit = targetStatus.runningCommit;
	const branchHead = targetStatus.commit;

	let commit: string | undefined;
	if (request.kind === 'promotion') commit = fromStatus?.runningCommit ?? undefined;
	else if (request.kind === 'deploy') commit = branchHead ?? undefined;
	else commit = request.commit;
	if (!commit && request.kind === 'deploy') throw new UsageError(`branch "${target.branch}" of ${target.name} does not exist`);

	const base = request.kind === 'rollback' ? commit : (currentCommit ?? branchHead);
	const head = request.kind === 'rollback' ? currentCommit : commit;
	const [commits, files, commitSummary] = await Promise.all([
		base && head ? services.git.commitsBetween(base, head) : [],
		base && head ? services.git.changedFiles(base, head) : [],
		commit ? services.git.commit(commit) : undefined,
	]);
	const {releases} = services.state;
	const branch = await planBranchMove(services, request, target, commit ?? '', branchHead);
	const currentRelease = targetStatus.release;
	const deployedAt = currentRelease ? releases.get(currentRelease)?.finishedAt ?? null : null;
	const verifiedInFrom = from && commit ? releases.list({env: from.name}).some(release => release.commit === commit && verifiedRelease(release)) : null;

	return {
		target,
		from,
		targetStatus,
		fromStatus,
		plan: {
			kind: request.kind,
			env: target.name,
			from: from?.name ?? null,
			commit: commit ?? '',
			commitSummary: commitSummary ?? null,
			verifiedInFrom,
			fromHealth: fromStatus?.health ?? null,
			current: {commit: currentCommit, release: currentRelease, deployedAt, branchHead},
			commits,
			files,
			branch,
			warnings: from && fromStatus ? [...await fromBranchAheadWarnings(services, from, fromStatus, commit), ...downstreamHoldWarnings(services, from.name, commit ?? '')] : [],
		},
	};
}

/** Where the operation leaves the target's branch: core's rule, with the facts git knows. */
async function planBranchMove(services: Services, request: OperationRequest, target: EnvironmentConfig, commit: string, branchHead: string | null) {
	const leaving = request.kind === 'rollback' && branchHead !== null && branchHead !== commit;
	const [headKeptElsewhere, commitsLeft] = leaving
		? await Promise.all([services.git.keptElsewhere(branchHead, target.branch), services.git.countCommitsBetween(commit, branchHead)])
		: [true, 0];
	return branchMoveFor({
		kind: request.kind,
		env: target.name,
		branch: target.branch,
		firstStage: upstreamOf(services.project.environments, target.name) === undefined,
		commit,
		branchHead,
		headKeptElsewhere,
		commitsLeft,
	});
}

/** Gathers the facts preflight decides on, then lets core's rules decide. */
export async function checkPreflight(services: Services, planned: PlannedOperation, gateOptions: GateOptions = {}): Promise<PreflightCheck[]> {
	const {plan, target, targetStatus, fromStatus} = planned;
	const lock = services.state.locks.read(target.name);
	const [cleanTree, fastForward] = await Promise.all([
		services.git.isClean().catch(() => false),
		plan.kind === 'promotion' && plan.commit && plan.current.branchHead ? services.git.isAncestor(plan.current.branchHead, plan.commit) : Promise.resolve(true),
	]);
	const {gates, freeze} = gatherGateFacts(services, planned, gateOptions);
	const engineErrors = [targetStatus, fromStatus].filter(status => status?.engine.error).map(status => `${status!.name}: ${status!.engine.error}`);
	return evaluatePreflight({
		kind: plan.kind,
		target: target.name,
		from: plan.from ?? undefined,
		readOnly: services.readOnly.reasonFor(target.name),
		stateProblem: services.state.problem(),
		engineErrors,
		fromHealth: fromStatus ? {health: fromStatus.health, reasons: fromStatus.reasons} : undefined,
		fromRunningCommit: plan.kind === 'promotion' ? plan.commit || undefined : undefined,
		commit: plan.commit || undefined,
		targetRunningCommit: plan.current.commit ?? undefined,
		targetDown: targetStatus.health === 'down',
		fastForward,
		requireCleanTree: target.protection.requireCleanTree,
		cleanTree,
		freeze,
		approvers: target.protection.approvers,
		operator: services.identity.operator,
		lockHolder: lock ? describeHolder(lock) : undefined,
		lockStale: lock?.stale,
		checksGate: fromChecksGate(services, planned),
		lockWaitMs: gateOptions.lockWaitMs,
		gates,
	});
}
