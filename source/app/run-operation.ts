import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs';
import path from 'node:path';
import {confirmationFor, type ConfirmationNeed} from '../core/confirmation.js';
import {RefusedError} from '../core/errors.js';
import {initialFlowState, reduceFlow, type FlowEvent, type FlowState} from '../core/operation-flow.js';
import {evaluatePreflight, preflightPassed} from '../core/preflight.js';
import type {RecipeContext} from '../core/recipe-context.js';
import {recipeVariables} from '../core/recipe-context.js';
import {newReleaseId, type ReleaseOutcome, type ReleaseRecord} from '../core/release.js';
import {createRedactor} from '../core/secrets.js';
import {resolveDockerHost} from '../engine/docker-host.js';
import {describeRecipeFailure, runRecipe} from '../recipes/recipe-runner.js';
import {describeHolder} from '../state/lock-store.js';
import type {OperatorIdentity} from '../state/operator.js';
import type {OperationServices} from './operation-services.js';
import {planOperation, type OperationRequest, type PlannedOperation} from './plan-operation.js';
import {verifyEnvironment} from './verify-environment.js';

export type OperationHooks = {
	/** Asks the operator (or checks flags); resolves false to refuse. Only called when protection asks. */
	readonly confirm: (need: ConfirmationNeed, state: FlowState) => Promise<boolean>;
	/** Shows the plan before anything is checked or changed; resolving false abandons (nothing changed). */
	readonly reviewPlan?: (state: FlowState) => Promise<boolean>;
	/** Every state change, for a face to render. */
	readonly onState?: (state: FlowState, event: FlowEvent) => void;
	/** Aborting cancels the running recipe (SIGTERM to its group, SIGKILL after a grace period). */
	readonly signal?: AbortSignal;
	readonly dryRun?: boolean;
	/** Longest a single recipe may run. */
	readonly recipeTimeoutMs?: number;
};

const short = (sha: string | null | undefined) => (sha ? sha.slice(0, 7) : 'nothing');

/** What recipes' git commits and tags record as their committer: the operator, also where git has no identity set. */
function gitIdentityOf(identity: OperatorIdentity): Record<string, string> {
	const email = identity.operator.includes('@') ? identity.operator : `${identity.operator}@${identity.host}`;
	return {GIT_COMMITTER_NAME: identity.operator, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_NAME: identity.operator, GIT_AUTHOR_EMAIL: email};
}

/**
 * Drives a promotion, deploy or rollback through plan → preflight → confirm → lock → recipes →
 * verify → (automatic rollback) → record → unlock. Every state goes through the core reducer;
 * every outcome, including a crash of a recipe or a cancel, is recorded and the lock freed.
 */
export async function runOperation(services: OperationServices, request: OperationRequest, hooks: OperationHooks): Promise<FlowState> {
	const targetName = request.kind === 'promotion' ? request.to : request.env;
	let state = initialFlowState(request.kind, targetName, request.kind === 'promotion' ? request.from : null);
	const dispatch = (event: FlowEvent) => {
		state = reduceFlow(state, event);
		hooks.onState?.(state, event);
	};

	const audit = (action: string, outcome: string, extra: {release?: string; commit?: string; detail?: string} = {}) => services.audit.record(services.identity, {action, env: targetName, outcome, ...extra});
	const action = `${request.kind === 'promotion' ? `promote ${request.from}→${request.to}` : request.kind}${hooks.dryRun ? ' (dry run)' : ''}`;

	const refuse = (reason: string) => {
		audit(action, 'refused', {detail: reason});
		dispatch({type: 'refused', reason});
		return state;
	};

	const planned = await planOperation(services, request);
	dispatch({type: 'planned', plan: planned.plan});
	if (hooks.reviewPlan && !(await hooks.reviewPlan(state))) return refuse('abandoned after reviewing the plan');

	const checks = await runPreflight(services, planned);
	dispatch({type: 'preflight-checked', checks});
	if (!preflightPassed(checks)) {
		const failed = checks.filter(item => !item.ok).map(item => item.reason ?? item.label);
		return refuse(failed.join('; '));
	}

	const need = confirmationFor(planned.target);
	if (need.level !== 'none') {
		dispatch({type: 'confirmation-requested', need});
		try {
			if (!(await hooks.confirm(need, state))) return refuse(`not confirmed for ${planned.target.name}`);
		} catch (error) {
			if (error instanceof RefusedError) return refuse(error.message);
			throw error;
		}
	}

	if (hooks.signal?.aborted) return refuse('cancelled before anything changed');

	try {
		services.locks.acquire({env: targetName, operator: services.identity.operator, host: services.identity.host, pid: process.pid, action, message: null});
	} catch (error) {
		if (error instanceof RefusedError) return refuse(error.message);
		throw error;
	}

	try {
		return await execute(services, planned, hooks, dispatch, () => state, audit, action);
	} finally {
		services.locks.release(targetName, {operator: services.identity.operator, ownPid: process.pid});
	}
}

async function runPreflight(services: OperationServices, planned: PlannedOperation) {
	const {plan, target, targetStatus, fromStatus} = planned;
	const lock = services.locks.read(target.name);
	const [cleanTree, fastForward] = await Promise.all([
		services.git.isClean().catch(() => false),
		plan.kind === 'promotion' && plan.commit && plan.current.branchHead ? services.git.isAncestor(plan.current.branchHead, plan.commit) : Promise.resolve(true),
	]);
	const engineErrors = [targetStatus, fromStatus].filter(status => status?.engine.error).map(status => `${status!.name}: ${status!.engine.error}`);
	return evaluatePreflight({
		kind: plan.kind,
		target: target.name,
		from: plan.from ?? undefined,
		readOnly: {global: services.readOnly, environment: target.readOnly},
		engineErrors,
		fromHealth: fromStatus ? {health: fromStatus.health, reasons: fromStatus.reasons} : undefined,
		fromRunningCommit: plan.kind === 'promotion' ? plan.commit || undefined : undefined,
		commit: plan.commit || undefined,
		targetRunningCommit: plan.current.commit ?? undefined,
		fastForward,
		requireCleanTree: target.protection.requireCleanTree,
		cleanTree,
		freeze: target.protection.freeze,
		approvers: target.protection.approvers,
		operator: services.identity.operator,
		lockHolder: lock ? describeHolder(lock) : undefined,
		lockStale: lock?.stale,
	});
}

type Dispatch = (event: FlowEvent) => void;
type Audit = (action: string, outcome: string, extra?: {release?: string; commit?: string; detail?: string}) => void;

async function execute(
	services: OperationServices,
	planned: PlannedOperation,
	hooks: OperationHooks,
	dispatch: Dispatch,
	currentState: () => FlowState,
	audit: Audit,
	action: string,
): Promise<FlowState> {
	const {plan, target} = planned;
	const startedAt = new Date();
	const releaseId = newReleaseId(target.name, plan.commit, startedAt);
	const logDirectory = path.join(services.stateDirectory, 'logs');
	mkdirSync(logDirectory, {recursive: true});
	const logFile = path.join(logDirectory, `${releaseId}.log`);
	const log = createWriteStream(logFile, {flags: 'a'});
	const redact = createRedactor(process.env);

	let record: ReleaseRecord = {
		id: releaseId,
		env: target.name,
		kind: plan.kind,
		from: plan.from,
		commit: plan.commit,
		previous: plan.current.commit,
		previousRelease: plan.current.release,
		images: Object.values(target.services).map(service => `${service.image}:${plan.commit.slice(0, 12)}`),
		operator: services.identity.operator,
		host: services.identity.host,
		startedAt: startedAt.toISOString(),
		finishedAt: null,
		steps: [],
		outcome: 'running',
		error: null,
		rolledBackTo: null,
		pid: process.pid,
		logFile,
	};
	const save = () => {
		record = {...record, steps: currentState().steps.filter(step => step.startedAt !== undefined).map(step => ({
			name: step.label,
			startedAt: new Date(step.startedAt!).toISOString(),
			...(step.ms === undefined ? {} : {finishedAt: new Date(step.startedAt! + step.ms).toISOString(), ms: step.ms}),
			...(step.status === 'succeeded' || step.status === 'failed' ? {ok: step.status === 'succeeded'} : {}),
			...(step.status === 'failed' && step.detail ? {error: step.detail} : {}),
		}))};
		// A dry run changes nothing, so it must not enter history as a release that ran.
		if (!hooks.dryRun) services.releases.save(record);
	};

	const writeLog = (line: string) => {
		log.write(`${redact(line)}\n`);
	};

	const writeOutput = (line: string) => {
		writeLog(line);
		dispatch({type: 'output', line: redact(line)});
	};

	const steps = [
		...(plan.kind === 'promotion' ? [{id: 'promote', label: `promote recipe (${target.recipes.promote})`}] : []),
		{id: 'deploy', label: plan.kind === 'rollback' ? `rollback recipe (${target.recipes.rollback})` : `deploy recipe (${target.recipes.deploy})`},
		{id: 'verify', label: `verify ${target.name}`},
		{id: 'record', label: 'record release'},
	];
	dispatch({type: 'run-started', steps, logFile});
	audit(action, 'started', {release: releaseId, commit: plan.commit});
	save();

	const runStep = async (id: string, recipe: string, commit: string, release: string, recipeAction: RecipeContext['action'], label?: string) => {
		dispatch({type: 'step-started', id, label, at: Date.now()});
		save();
		writeLog(`── ${label ?? id}: ${recipe} @ ${short(commit)}`);
		const context: RecipeContext = {
			action: recipeAction,
			projectRoot: services.project.root,
			projectName: services.projectName,
			environment: target,
			fromEnvironment: plan.from,
			commit,
			previousCommit: plan.current.commit,
			release,
			dockerHost: resolveDockerHost(target.docker.host),
			dryRun: hooks.dryRun === true,
			operator: services.identity.operator,
		};
		const result = await runRecipe({
			projectRoot: services.project.root,
			recipe,
			variables: {...recipeVariables(context), ...gitIdentityOf(services.identity)},
			context,
			contextFile: path.join(logDirectory, `${release}.${id}.context.json`),
			timeoutMs: hooks.recipeTimeoutMs ?? 15 * 60_000,
			signal: id === 'rollback' ? undefined : hooks.signal,
			onEvent: event => {
				if (event.type === 'step') {
					writeLog(`::step::${event.name}`);
					dispatch({type: 'recipe-step', name: event.name, at: event.at});
				} else {
					writeOutput(event.text);
				}
			},
		});
		const detail = result.ok ? `${(result.ms / 1000).toFixed(1)} s` : describeRecipeFailure(recipe, result);
		dispatch({type: 'step-finished', id, ok: result.ok, detail, at: Date.now()});
		save();
		return result;
	};

	const runVerify = async (id: string, commit: string, label?: string) => {
		dispatch({type: 'step-started', id, label, at: Date.now()});
		save();
		if (hooks.dryRun) {
			dispatch({type: 'step-skipped', id, detail: 'dry run'});
			return {ok: true, reasons: [] as readonly string[]};
		}

		const result = await verifyEnvironment(services, target, commit, {
			timeoutMs: target.verify.timeoutMs,
			signal: id === 'verify' ? hooks.signal : undefined,
			onVerdict: verdict => writeOutput(`verify: ${verdict.state}${verdict.reasons.length > 0 ? ` — ${verdict.reasons.join('; ')}` : ''}`),
		});
		const ok = result.state === 'passed';
		dispatch({type: 'step-finished', id, ok, detail: ok ? `healthy in ${(result.ms / 1000).toFixed(1)} s` : result.reasons.join('; '), at: Date.now()});
		save();
		return {ok, reasons: result.reasons};
	};

	const finish = (outcome: ReleaseOutcome, error: string | null, rolledBackTo: string | null = null) => {
		dispatch({type: 'step-started', id: 'record', at: Date.now()});
		record = {...record, outcome, error, rolledBackTo, finishedAt: new Date().toISOString()};
		dispatch({type: 'step-finished', id: 'record', ok: true, detail: outcome, at: Date.now()});
		save();
		audit(action, outcome, {release: releaseId, commit: plan.commit, ...(error ? {detail: error} : {})});
		writeLog(`── ${outcome}${error ? `: ${error}` : ''}`);
		dispatch({type: 'finished', outcome, error: error ?? undefined, release: record});
		return new Promise<FlowState>(resolve => {
			log.end(() => resolve(currentState()));
		});
	};

	const cancelled = () => hooks.signal?.aborted === true;

	try {
		if (plan.kind === 'promotion') {
			const promoted = await runStep('promote', target.recipes.promote, plan.commit, releaseId, 'promote');
			if (!promoted.ok) {
				for (const id of ['deploy', 'verify']) dispatch({type: 'step-skipped', id});
				const reason = describeRecipeFailure(target.recipes.promote, promoted);
				return await finish(cancelled() ? 'aborted' : 'failed', `${reason}; nothing was deployed`);
			}
		}

		const recipe = plan.kind === 'rollback' ? target.recipes.rollback : target.recipes.deploy;
		const deployed = await runStep('deploy', recipe, plan.commit, releaseId, plan.kind === 'rollback' ? 'rollback' : 'deploy');
		let failure: string | undefined;
		if (deployed.ok) {
			const verified = await runVerify('verify', plan.commit);
			if (!verified.ok) failure = `verification failed: ${verified.reasons.join('; ')}`;
		} else {
			dispatch({type: 'step-skipped', id: 'verify'});
			failure = describeRecipeFailure(recipe, deployed);
		}

		if (!failure) return await finish('succeeded', null);
		return await recover(failure);
	} catch (error) {
		return await recover(`opsconsole failed while running: ${(error as Error).message}`);
	}

	async function recover(failure: string): Promise<FlowState> {
		const outcomeIfNotRolledBack: ReleaseOutcome = cancelled() ? 'aborted' : 'failed';
		const previous = plan.current.commit;
		if (hooks.dryRun) return finish(outcomeIfNotRolledBack, failure);
		if (!previous || previous === plan.commit) {
			return finish(outcomeIfNotRolledBack, `${failure}; not rolled back: ${target.name} ran no earlier release to return to`);
		}

		if (!target.verify.autoRollback) {
			return finish(outcomeIfNotRolledBack, `${failure}; not rolled back (autoRollback is off): run \`opsconsole rollback ${target.name} --to ${short(previous)}\``);
		}

		// The rollback is a release of its own, so the containers it starts name a release that
		// history knows, and the older containers of the same commit read as retained.
		const rollbackStartedAt = new Date();
		const rollbackRelease = newReleaseId(target.name, previous, rollbackStartedAt);
		const rollbackRecord: ReleaseRecord = {
			...record,
			id: rollbackRelease,
			kind: 'rollback',
			from: null,
			commit: previous,
			previous: plan.commit,
			previousRelease: releaseId,
			images: Object.values(target.services).map(service => `${service.image}:${previous.slice(0, 12)}`),
			startedAt: rollbackStartedAt.toISOString(),
			steps: [],
			error: `automatic, after ${releaseId} failed`,
		};
		services.releases.save(rollbackRecord);
		const rolledBack = await runStep('rollback', target.recipes.rollback, previous, rollbackRelease, 'rollback', `roll back to ${short(previous)}`);
		const rollbackVerified = rolledBack.ok ? await runVerify('verify-rollback', previous, `verify ${target.name} on ${short(previous)}`) : {ok: false, reasons: [describeRecipeFailure(target.recipes.rollback, rolledBack)]};
		services.releases.save({
			...rollbackRecord,
			steps: record.steps.filter(step => step.name.startsWith('roll back') || step.name.startsWith(`verify ${target.name} on`)),
			outcome: rollbackVerified.ok ? 'succeeded' : 'failed',
			finishedAt: new Date().toISOString(),
			error: rollbackVerified.ok ? rollbackRecord.error : `${rollbackRecord.error}; ${rollbackVerified.reasons.join('; ')}`,
		});
		if (!rollbackVerified.ok) {
			return finish(outcomeIfNotRolledBack, `${failure}; the automatic rollback to ${short(previous)} failed too: ${rollbackVerified.reasons.join('; ')} — ${target.name} needs attention`);
		}

		return finish(cancelled() ? 'aborted' : 'rolled-back', `${failure}; rolled back to ${short(previous)}`, rollbackRelease);
	}
}
