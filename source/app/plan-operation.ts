import {runningCommit} from '../core/container.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {UsageError} from '../core/errors.js';
import type {OperationPlan} from '../core/operation-plan.js';
import {collectEnvironmentStatus, type EnvironmentStatus} from './collect-status.js';
import type {OperationServices} from './operation-services.js';

/** What to change: a promotion of FROM's running release, a deploy of a branch head, or a rollback to a commit. */
export type OperationRequest =
	| {readonly kind: 'promotion'; readonly from: string; readonly to: string}
	| {readonly kind: 'deploy'; readonly env: string}
	| {readonly kind: 'rollback'; readonly env: string; readonly commit: string; readonly targetRelease: string | null};

export function environmentNamed(environments: readonly EnvironmentConfig[], name: string): EnvironmentConfig {
	const environment = environments.find(candidate => candidate.name === name);
	if (!environment) throw new UsageError(`no environment "${name}" (known: ${environments.map(candidate => candidate.name).join(', ')})`);
	return environment;
}

export type PlannedOperation = {
	readonly plan: OperationPlan;
	readonly target: EnvironmentConfig;
	readonly from: EnvironmentConfig | undefined;
	readonly targetStatus: EnvironmentStatus;
	readonly fromStatus: EnvironmentStatus | undefined;
};

/** Reads live state and git to say exactly what the operation would do; changes nothing. */
export async function planOperation(services: OperationServices, request: OperationRequest): Promise<PlannedOperation> {
	const {environments} = services.project;
	const target = environmentNamed(environments, request.kind === 'promotion' ? request.to : request.env);
	const from = request.kind === 'promotion' ? environmentNamed(environments, request.from) : undefined;
	if (from && from.promotesTo !== target.name) {
		throw new UsageError(`${from.name} promotes to ${from.promotesTo ?? 'nothing'}, not ${target.name}`);
	}

	const [targetStatus, fromStatus] = await Promise.all([
		collectEnvironmentStatus(services, environments, target),
		from ? collectEnvironmentStatus(services, environments, from) : undefined,
	]);
	const currentCommit = runningCommit(targetStatus.containers) ?? null;
	const branchHead = targetStatus.commit;

	let commit: string | undefined;
	if (request.kind === 'promotion') commit = fromStatus && runningCommit(fromStatus.containers);
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
	const currentRelease = targetStatus.release;
	const deployedAt = currentRelease ? services.releases.get(currentRelease)?.finishedAt ?? null : null;
	const verifiedInFrom = from && commit ? services.releases.list({env: from.name}).some(release => release.commit === commit && release.outcome === 'succeeded') : null;

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
		},
	};
}
