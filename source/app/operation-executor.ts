import {rmSync} from 'node:fs';
import type {LogSink} from '../core/adapters.js';
import type {ConfirmationNeed} from '../core/confirmation.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {RefusedError, StateError} from '../core/errors.js';
import {initialFlowState, nextMove, reduceFlow, type FailureChoice, type FailureDecision, type OnFailure, type FlowEvent, type FlowState, type FlowStep, type FlowVerdict} from '../core/operation-flow.js';
import type {OperationPlan} from '../core/operation-plan.js';
import type {PreflightCheck} from '../core/preflight.js';
import {describeRecipeFailure, recipeVariables, type RecipeContext} from '../core/recipe-context.js';
import {imageTagFor, newReleaseId, type ReleaseKind, type ReleaseRecord, type ReleaseStep} from '../core/release.js';
import {createRedactor} from '../core/secrets.js';
import {formatDuration} from '../core/duration.js';
import {formatSeconds, shortSha} from '../core/words.js';
import {applyRetention} from './apply-retention.js';
import {OperationControl, trackOperation} from './operation-control.js';
import {recordAudit, type Services} from './services.js';
import {verifyEnvironment} from './verify-environment.js';

export type OperationHooks = {
	/** Asks the operator (or checks flags); resolves false (or throws RefusedError) to refuse. Only called when protection asks. */
	readonly confirm: (need: ConfirmationNeed, state: FlowState) => Promise<boolean>;
	/** Shows the plan before anything is checked or changed; resolving false abandons (nothing changed). */
	readonly reviewPlan?: (state: FlowState) => Promise<boolean>;
	/** Every state change, for a face to render. */
	readonly onState?: (state: FlowState, event: FlowEvent) => void;
	/** How the face cancels; without one, only a signal to the process (through the registry) can. */
	readonly control?: OperationControl;
	readonly dryRun?: boolean;
	/** `--on-failure`; absent: pause when the face can ask (`decideFailure`), else the environment's `autoRollback`. */
	readonly onFailure?: OnFailure;
	/**
	 * Guided failure: asks the operator what to do about a failed step (any of `decision.options`).
	 * Unanswered until `decision.until`, or cancelled, the flow takes `decision.fallback`, and
	 * `stopAsking` aborts so the face can close its question.
	 */
	readonly decideFailure?: (decision: FailureDecision, state: FlowState, stopAsking: AbortSignal) => Promise<FailureChoice>;
	/** How long a paused failure waits for `decideFailure` (tests shorten it). */
	readonly decisionWaitMs?: number;
	/** How long to wait for a held lock before refusing (`--lock-wait`); 0 or absent: refuse at once. */
	readonly lockWaitMs?: number;
};

/** What the executor needs to know of the operation before its flow starts. */
export type OperationSubject = {
	readonly kind: ReleaseKind;
	readonly env: string;
	readonly from: string | null;
	/** How the audit log names it, e.g. `promote dev→staging`. */
	readonly action: string;
	/** Reads live state and git to say what it would do; changes nothing. */
	readonly plan: () => Promise<{plan: OperationPlan; target: EnvironmentConfig}>;
	/** The preflight checklist for that plan. */
	readonly check: () => Promise<readonly PreflightCheck[]>;
};

/** What recipes' git commits and tags record as their committer: the operator, also where git has no identity set. */
function gitIdentityOf(services: Services): Record<string, string> {
	const {operator, host} = services.identity;
	const email = operator.includes('@') ? operator : `${operator}@${host}`;
	return {GIT_COMMITTER_NAME: operator, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_NAME: operator, GIT_AUTHOR_EMAIL: email};
}

/** The steps a record keeps: one part's, or (without a part) all of them. */
function recordSteps(steps: readonly FlowStep[], part: FlowStep['part'] | undefined): ReleaseStep[] {
	return steps.filter(step => (part === undefined || step.part === part) && step.startedAt !== undefined).map(step => ({
		id: step.id,
		name: step.label,
		startedAt: new Date(step.startedAt!).toISOString(),
		...(step.ms === undefined ? {} : {finishedAt: new Date(step.startedAt! + step.ms).toISOString(), ms: step.ms}),
		...(step.status === 'succeeded' || step.status === 'failed' ? {ok: step.status === 'succeeded' && !step.ignored} : {}),
		...(step.status === 'failed' && step.detail ? {error: step.detail} : {}),
		...(step.ignored ? {error: step.ignored, ignored: true} : {}),
		...(step.retries ? {retries: step.retries} : {}),
	}));
}

/** Resolves with the promise's value, or undefined once `signal` aborts first. */
async function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
	if (signal.aborted) return undefined;
	return new Promise<T | undefined>((resolve, reject) => {
		const onAbort = () => resolve(undefined);
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/**
 * Runs one operation's flow (core/operation-flow.ts) with the adapters. It decides nothing about
 * order: it asks the flow for the next move, does it, and reports the result. It owns, in one
 * place, cancellation (first cancel: SIGTERM to the recipe's group and SIGKILL after the grace
 * period; second: SIGKILL and no more waiting), recipe timeouts, the lock, the log file, saving
 * the record after every step, and the audit lines.
 */
export async function executeOperation(services: Services, subject: OperationSubject, hooks: OperationHooks): Promise<FlowState> {
	const execution = new Execution(services, subject, hooks);
	const done = execution.run();
	trackOperation(execution.control, done);
	return done;
}

class Execution {
	readonly control: OperationControl;
	#state: FlowState;
	#target: EnvironmentConfig | undefined;
	#lockHeld = false;
	#log: LogSink | undefined;
	#startedAt = new Date();
	#redact: (text: string) => string;
	readonly #fileSecrets: Record<string, string>;

	constructor(private readonly services: Services, private readonly subject: OperationSubject, private readonly hooks: OperationHooks) {
		this.control = hooks.control ?? new OperationControl();
		const onFailure = hooks.onFailure ?? (hooks.decideFailure ? 'pause' : undefined);
		this.#state = initialFlowState({kind: subject.kind, env: subject.env, from: subject.from, review: hooks.reviewPlan !== undefined, dryRun: hooks.dryRun, onFailure, decisionWaitMs: hooks.decisionWaitMs});
		this.#fileSecrets = Object.assign({}, ...services.project.environments.flatMap(environment => Object.values(environment.services).map(service => service.environment ?? {}))) as Record<string, string>;
		this.#redact = createRedactor({...process.env, ...this.#fileSecrets});
	}

	get #action(): string {
		return `${this.subject.action}${this.hooks.dryRun ? ' (dry run)' : ''}`;
	}

	async run(): Promise<FlowState> {
		const onCancel = () => this.#dispatch({type: 'cancel-requested'});
		this.control.cancelSignal.addEventListener('abort', onCancel, {once: true});
		this.control.forceSignal.addEventListener('abort', onCancel, {once: true});
		if (this.control.cancelled) onCancel();
		try {
			for (;;) {
				const move = nextMove(this.#state);
				switch (move.type) {
					case 'plan': {
						const {plan, target} = await this.subject.plan();
						this.#target = target;
						if (this.#state.phase === 'planning') this.#dispatch({type: 'planned', plan, target});
						break;
					}

					case 'review': {
						const proceed = await unlessAborted(this.hooks.reviewPlan!(this.#state), this.control.cancelSignal);
						if (proceed !== undefined && this.#state.phase === 'reviewing') this.#dispatch({type: 'plan-reviewed', proceed});
						break;
					}

					case 'check': {
						const checks = await this.subject.check();
						if (this.#state.phase === 'checking') this.#dispatch({type: 'preflight-checked', checks});
						break;
					}

					case 'confirm':
						await this.#confirm(move.need);
						break;
					case 'lock':
						await this.#learnSecrets();
						if (this.#state.phase === 'locking') await this.#lock();
						break;
					case 'run':
						await this.#runStep(move.step);
						break;
					case 'decide':
						await this.#decide(move.decision);
						break;
					case 'record':
						await this.#record(move.verdict);
						break;
					case 'done':
						if (this.#state.outcome === 'refused') this.#auditRefusal();
						return this.#state;
				}
			}
		} finally {
			this.control.cancelSignal.removeEventListener('abort', onCancel);
			this.control.forceSignal.removeEventListener('abort', onCancel);
			this.#log?.close();
			if (this.#lockHeld) this.services.state.locks.release(this.subject.env, {operator: this.services.identity.operator, ownPid: process.pid});
		}
	}

	#dispatch(event: FlowEvent): void {
		this.#state = reduceFlow(this.#state, event);
		this.hooks.onState?.(this.#state, event);
	}

	#audit(outcome: string, extra: {release?: string; commit?: string; detail?: string} = {}): void {
		recordAudit(this.services, {action: this.#action, env: this.subject.env, outcome, ...extra});
	}

	/** A refusal changed nothing, so a state folder that cannot take its audit line is said, not fatal. */
	#auditRefusal(): void {
		try {
			this.#audit('refused', {detail: this.#state.error});
		} catch (error) {
			if (!(error instanceof StateError)) throw error;
			console.warn(`opsconsole: the refusal could not be audited: ${error.message}`);
		}
	}

	async #confirm(need: ConfirmationNeed): Promise<void> {
		let confirmed: boolean | undefined;
		let reason: string | undefined;
		try {
			confirmed = await unlessAborted(this.hooks.confirm(need, this.#state), this.control.cancelSignal);
		} catch (error) {
			if (!(error instanceof RefusedError)) throw error;
			confirmed = false;
			reason = error.message;
		}

		if (confirmed !== undefined && this.#state.phase === 'confirming') this.#dispatch({type: 'confirmed', confirmed, ...(reason ? {reason} : {})});
	}

	/** What the recipes may print that must not reach a screen or a log: opsconsole's, the environment files' and the running containers' secrets. */
	async #learnSecrets(): Promise<void> {
		const target = this.#target!;
		const running = await this.services.engines.engineFor(target.docker).secretsToMask(target.docker.project).catch(() => []);
		const named = Object.fromEntries(running.map((value, index) => [`CONTAINER_SECRET_${index}`, value]));
		this.#redact = createRedactor({...process.env, ...this.#fileSecrets, ...named});
	}

	/** Takes the lock; a held one is waited for (a second at a time, cancellable) while `lockWaitMs` lasts. */
	async #lock(): Promise<void> {
		const {identity, state} = this.services;
		const waitMs = this.hooks.lockWaitMs ?? 0;
		const until = Date.now() + waitMs;
		for (;;) {
			try {
				state.locks.acquire({env: this.subject.env, operator: identity.operator, host: identity.host, pid: process.pid, action: this.#action, message: null});
				break;
			} catch (error) {
				if (!(error instanceof RefusedError)) throw error;
				if (Date.now() >= until) {
					this.#dispatch({type: 'refused', reason: waitMs > 0 ? `${error.message} (waited ${formatDuration(waitMs)})` : `${error.message}; --lock-wait 5m waits for it`});
					return;
				}

				this.#dispatch({type: 'lock-waiting', holder: error.message, until});
				await unlessAborted(new Promise(resolve => setTimeout(resolve, Math.min(1000, until - Date.now()))), this.control.cancelSignal);
				if (this.#state.phase !== 'locking') return;
			}
		}

		this.#lockHeld = true;
		this.#startedAt = new Date();
		const at = this.#startedAt.getTime();
		this.#log = state.logs.open(newReleaseId(this.subject.env, this.#state.plan!.commit, this.#startedAt));
		this.#dispatch({type: 'locked', at, logFile: this.#log.file});
		this.#audit('started', {release: this.#state.releaseId, commit: this.#state.plan!.commit});
		const override = this.#state.preflight.find(check => check.id === 'freeze-override' && check.ok);
		if (override) this.#audit('freeze overridden', {release: this.#state.releaseId, commit: this.#state.plan!.commit, detail: override.label});
		this.#save();
	}

	/** The release record(s) as they stand: the main release, and its automatic rollback once that began. */
	#records(verdict?: FlowVerdict): ReleaseRecord[] {
		const state = this.#state;
		const plan = state.plan!;
		const target = this.#target!;
		const imagesFor = (commit: string) => Object.values(target.services).map(service => imageTagFor(service, commit));
		const main: ReleaseRecord = {
			id: state.releaseId!,
			env: state.env,
			kind: state.kind,
			from: state.from,
			commit: plan.commit,
			previous: plan.current.commit,
			previousRelease: plan.current.release,
			images: imagesFor(plan.commit),
			operator: this.services.identity.operator,
			host: this.services.identity.host,
			startedAt: this.#startedAt.toISOString(),
			finishedAt: verdict ? new Date().toISOString() : null,
			steps: recordSteps(state.steps, state.recovering === 'restore-branch' ? undefined : 'main'),
			outcome: verdict?.outcome ?? 'running',
			error: verdict?.error ?? null,
			rolledBackTo: verdict?.rolledBackTo ?? null,
			pid: process.pid,
			logFile: this.#log?.file ?? null,
		};
		const revert = state.recovery?.revert;
		if (state.recovering !== 'revert' || revert?.kind !== 'revert') return [main];
		const recoverySteps = recordSteps(state.steps, 'recovery');
		return [main, {
			...main,
			id: state.recoveryReleaseId!,
			kind: 'rollback',
			from: null,
			commit: revert.commit,
			previous: plan.commit,
			previousRelease: state.releaseId!,
			images: imagesFor(revert.commit),
			startedAt: recoverySteps[0]?.startedAt ?? new Date().toISOString(),
			steps: recoverySteps,
			outcome: verdict?.recovery?.outcome ?? 'running',
			error: verdict?.recovery?.error ?? `automatic, after ${state.releaseId} failed`,
			rolledBackTo: null,
		}];
	}

	/** Every step rewrites the records, so a crash leaves them at the last step; a dry run stays out of history. */
	#save(verdict?: FlowVerdict): ReleaseRecord {
		const records = this.#records(verdict);
		if (!this.hooks.dryRun) for (const record of records) this.services.state.releases.save(record);
		return records[0]!;
	}

	#writeLog(line: string): void {
		this.#log?.write(this.#redact(line));
	}

	#output(line: string): void {
		const redacted = this.#redact(line);
		this.#log?.write(redacted);
		this.#dispatch({type: 'output', line: redacted});
	}

	async #runStep(step: FlowStep): Promise<void> {
		this.#dispatch({type: 'step-started', id: step.id, at: Date.now()});
		this.#save();
		let result: {ok: boolean; detail?: string};
		try {
			if (step.kind === 'recipe') result = await this.#runRecipe(step);
			else if (step.kind === 'verify') result = await this.#verify(step);
			else result = await this.#restoreBranch();
		} catch (error) {
			result = {ok: false, detail: `opsconsole failed while running it: ${(error as Error).message}`};
		}

		this.#dispatch({type: 'step-finished', id: step.id, ok: result.ok, ...(result.detail ? {detail: result.detail} : {}), at: Date.now()});
		this.#save();
	}

	async #runRecipe(step: FlowStep): Promise<{ok: boolean; detail?: string}> {
		const {services, control} = this;
		const state = this.#state;
		const target = this.#target!;
		const plan = state.plan!;
		const {file, action} = step.recipe!;
		const release = step.part === 'main' ? state.releaseId! : state.recoveryReleaseId!;
		this.#writeLog(`── ${step.label}: ${file} @ ${shortSha(step.commit)}`);
		const context: RecipeContext = {
			action,
			projectRoot: services.project.root,
			projectName: services.projectName,
			environment: target,
			fromEnvironment: state.from,
			commit: step.commit,
			previousCommit: step.part === 'main' ? plan.current.commit : plan.commit,
			branchTo: step.recipe!.branchTo,
			release,
			dockerHost: services.engines.engineFor(target.docker).host,
			dryRun: state.dryRun,
			operator: services.identity.operator,
		};
		const contextFile = services.state.logs.contextFile(release, step.id);
		try {
			const result = await services.recipes.run({
				projectRoot: services.project.root,
				recipe: file,
				variables: {...recipeVariables(context), ...gitIdentityOf(services)},
				context,
				contextFile,
				timeoutMs: target.recipes.timeoutMs,
				// The first cancel stops the release's own recipes, not the rollback that puts things back.
				...(step.part === 'main' ? {signal: control.cancelSignal} : {}),
				killSignal: control.forceSignal,
				onEvent: event => {
					if (event.type === 'step') {
						this.#writeLog(`::step::${event.name}`);
						this.#dispatch({type: 'recipe-step', name: event.name, at: event.at});
					} else {
						this.#output(event.text);
					}
				},
			});
			return {ok: result.ok, ...(result.ok ? {} : {detail: describeRecipeFailure(file, result)})};
		} finally {
			rmSync(contextFile, {force: true});
		}
	}

	/** Puts the branch back where it was before a promote recipe stopped half way, if it moved; drops the release's tag. */
	async #restoreBranch(): Promise<{ok: boolean; detail: string}> {
		const {git} = this.services;
		const state = this.#state;
		const restore = state.recovery!.restoreBranch!;
		const moved = await git.moveBranch(restore.branch, restore.to, state.plan!.commit);
		await git.deleteTag(`opsconsole/${state.env}/${state.releaseId}`);
		const detail = moved === 'moved' ? `${restore.branch} is back at ${shortSha(restore.to, 'nothing')}` : `${restore.branch} had not moved`;
		this.#writeLog(`── ${detail}`);
		return {ok: true, detail};
	}

	async #verify(step: FlowStep): Promise<{ok: boolean; detail: string}> {
		const target = this.#target!;
		const result = await verifyEnvironment(this.services, target, step.commit, {
			timeoutMs: target.verify.timeoutMs,
			signal: step.part === 'main' ? this.control.cancelSignal : this.control.forceSignal,
			onVerdict: verdict => this.#output(`verify: ${verdict.state}${verdict.reasons.length > 0 ? ` — ${verdict.reasons.join('; ')}` : ''}`),
		});
		const ok = result.state === 'passed';
		return {ok, detail: ok ? `healthy in ${formatSeconds(result.ms)}` : result.reasons.join('; ')};
	}

	/** A failed step waits for the operator's choice; nobody answering in time, a cancel, or nobody to ask takes the fallback. */
	async #decide(decision: FailureDecision): Promise<void> {
		let choice: FailureChoice | undefined;
		let by = 'nobody (no one to ask)';
		if (this.hooks.decideFailure && !this.control.cancelled) {
			const asking = new AbortController();
			let timer: ReturnType<typeof setTimeout> | undefined;
			const timedOut = new Promise<undefined>(resolve => {
				timer = setTimeout(() => resolve(undefined), Math.max(0, decision.until - Date.now()));
			});
			try {
				choice = await unlessAborted(Promise.race([this.hooks.decideFailure(decision, this.#state, asking.signal), timedOut]), this.control.cancelSignal);
			} finally {
				clearTimeout(timer);
				asking.abort();
			}

			by = choice ? this.services.identity.operator : this.control.cancelled ? 'a cancel' : `nobody within ${formatDuration(this.#state.decisionWaitMs)}`;
		} else if (this.control.cancelled) {
			by = 'a cancel';
		}

		choice ??= decision.fallback;
		const failed = this.#state.steps.find(step => step.id === decision.step);
		this.#writeLog(`── ${decision.step} failed; ${choice} (chosen by ${by})`);
		this.#dispatch({type: 'failure-decided', choice, by, at: Date.now()});
		this.#audit(`failure: ${choice}`, {release: this.#state.releaseId, commit: this.#state.plan!.commit, detail: `${failed?.label ?? decision.step}: ${failed?.detail ?? 'failed'} (chosen by ${by})`});
		this.#save();
	}

	async #record(verdict: FlowVerdict): Promise<void> {
		this.#dispatch({type: 'step-started', id: 'record', at: Date.now()});
		this.#dispatch({type: 'step-finished', id: 'record', ok: true, detail: verdict.outcome, at: Date.now()});
		const release = this.#save(verdict);
		this.#audit(verdict.outcome, {release: release.id, commit: release.commit, ...(verdict.error ? {detail: verdict.error} : {})});
		this.#writeLog(`── ${verdict.outcome}${verdict.error ? `: ${verdict.error}` : ''}`);
		// Under the lock, into the open log, before a face hears "finished" and may close the engines; only
		// after a clean success (a success with an error, e.g. an ignored verification, keeps every way back).
		if (verdict.outcome === 'succeeded' && verdict.error === null && !this.hooks.dryRun) await applyRetention(this.services, this.#target!, release, line => this.#writeLog(line));
		this.#dispatch({type: 'finished', release});
	}
}
