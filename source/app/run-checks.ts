import {rmSync} from 'node:fs';
import {activeContainers, runningCommit} from '../core/container.js';
import {failed, healthVerdict, logsVerdict, newCheckRunId, passed, type CheckResult, type CheckRun, type CheckVerdict} from '../core/checks.js';
import type {CheckConfig, EnvironmentConfig} from '../core/environment-schema.js';
import {environmentNamed} from '../core/pipeline.js';
import {describeRecipeFailure, recipeVariables, type RecipeContext} from '../core/recipe-context.js';
import {createRedactor} from '../core/secrets.js';
import {printableLine} from '../core/terminal-text.js';
import {collectEnvironmentStatus, readEnvironmentContainers} from './collect-status.js';
import type {Services} from './services.js';

/** At most this many checks run at once: enough to finish quickly, few enough not to load the service under test. */
export const checkConcurrency = 3;

/** What a checklist run is about: the environment and the release it runs. */
export type ChecklistSubject = {
	readonly env: string;
	readonly release: string | null;
	readonly commit: string | null;
	readonly subject: string | null;
};

export type ChecklistHooks = {
	readonly onStart?: (index: number) => void;
	readonly onFinish?: (index: number, result: CheckResult) => void;
	/** The run could not be stored (a read-only state folder): said, never fatal. */
	readonly onStoreProblem?: (message: string) => void;
	/** Stops every check still running (each then fails, saying so). */
	readonly signal?: AbortSignal;
};

/** The release ENV runs now, and its commit's subject: what a run checks and a report names. */
export async function checklistSubject(services: Services, env: string): Promise<ChecklistSubject> {
	const environment = environmentNamed(services.project.environments, env);
	const status = await collectEnvironmentStatus(services, services.project.environments, environment);
	const commit = runningCommit(status.containers) ?? null;
	const summary = commit ? await services.git.commit(commit).catch(() => undefined) : undefined;
	return {env, release: status.release, commit, subject: summary?.subject ?? null};
}

async function healthCheck(services: Services, environment: EnvironmentConfig): Promise<CheckVerdict> {
	const status = await collectEnvironmentStatus(services, services.project.environments, environment);
	return healthVerdict(status.health, status.engine.error ? [status.engine.error] : status.reasons, activeContainers(status.containers).length);
}

async function logsCheck(services: Services, environment: EnvironmentConfig, check: Extract<CheckConfig, {type: 'logs'}>): Promise<CheckVerdict> {
	const {containers, engineError} = await readEnvironmentContainers(services, environment);
	if (engineError) return failed(`cannot read the logs: ${engineError}`);
	const engine = services.engines.engineFor(environment.docker);
	// Each container of the running release was started by it: its log since then is the release's.
	const running = activeContainers(containers).filter(container => container.state === 'running' && container.startedAt);
	const logs = await Promise.all(running.map(async container => ({container: container.name, lines: await engine.logLinesSince(container.id, container.startedAt!)})));
	return logsVerdict(check.pattern, logs);
}

async function recipeCheck(services: Services, environment: EnvironmentConfig, check: Extract<CheckConfig, {type: 'recipe'}>, run: {id: string; index: number; subject: ChecklistSubject}, signal: AbortSignal): Promise<CheckVerdict> {
	const output: string[] = [];
	const context: RecipeContext = {
		action: 'check',
		projectRoot: services.project.root,
		projectName: services.projectName,
		environment,
		fromEnvironment: null,
		commit: run.subject.commit ?? '',
		previousCommit: null,
		branchTo: null,
		release: run.subject.release ?? '',
		dockerHost: services.engines.engineFor(environment.docker).host,
		dryRun: false,
		operator: services.identity.operator,
	};
	const contextFile = services.state.logs.contextFile(run.id, `check-${run.index + 1}`);
	try {
		const result = await services.recipes.run({
			projectRoot: services.project.root,
			recipe: check.recipe,
			variables: recipeVariables(context),
			context,
			contextFile,
			timeoutMs: check.timeoutMs,
			signal,
			onEvent: event => output.push(event.type === 'step' ? `▸ ${event.name}` : event.text),
		});
		if (result.ok) return passed(`${check.recipe} passed in ${result.ms} ms`, output);
		return failed(describeRecipeFailure(check.recipe, result), output);
	} finally {
		rmSync(contextFile, {force: true});
	}
}

async function verdictOf(services: Services, environment: EnvironmentConfig, check: CheckConfig, run: {id: string; index: number; subject: ChecklistSubject}, signal: AbortSignal): Promise<CheckVerdict> {
	const network = services.networkChecks;
	switch (check.type) {
		case 'health': return healthCheck(services, environment);
		case 'http': return network.http(check, signal);
		case 'latency': return network.latency(check, signal);
		case 'tcp': return network.tcp(check, signal);
		case 'tls': return network.tls(check, services.project.root, signal);
		case 'headers': return network.headers(check, signal);
		case 'logs': return logsCheck(services, environment, check);
		case 'recipe': return recipeCheck(services, environment, check, run, signal);
	}
}

/** One check, bounded by its timeoutMs however its runner behaves; a check that cannot run fails with the reason. */
async function runOneCheck(services: Services, environment: EnvironmentConfig, check: CheckConfig, run: {id: string; index: number; subject: ChecklistSubject}, outer: AbortSignal | undefined): Promise<CheckResult> {
	const started = performance.now();
	const controller = new AbortController();
	const stop = () => controller.abort();
	outer?.addEventListener('abort', stop, {once: true});
	let timer: NodeJS.Timeout | undefined;
	// A runner that honours the signal finishes itself, with its own reason; this bound is for one that
	// would not (a hung engine call). A second of grace: on a loaded machine the runner's own deadline
	// fires late, and its reason (which URL, which port) is the better one to show.
	const bound = new Promise<CheckVerdict>(resolve => {
		timer = setTimeout(() => {
			controller.abort();
			resolve(failed(`did not finish within ${check.timeoutMs} ms`));
		}, check.timeoutMs + 1000);
	});
	let verdict: CheckVerdict;
	try {
		verdict = await Promise.race([verdictOf(services, environment, check, run, controller.signal), bound]);
	} catch (error) {
		verdict = failed(`could not run: ${printableLine((error as Error).message)}`);
	} finally {
		clearTimeout(timer);
		outer?.removeEventListener('abort', stop);
	}

	if (outer?.aborted && verdict.status === 'fail') verdict = failed(`stopped before it finished (${verdict.detail})`, verdict.output);
	return {name: check.name, type: check.type, description: check.description ?? null, ms: Math.round(performance.now() - started), ...verdict};
}

/** What a check may quote (a response, a recipe's output) that must not reach a screen or a report: the same secrets an operation masks. */
async function checkRedactor(services: Services, environment: EnvironmentConfig): Promise<(text: string) => string> {
	const fileSecrets = Object.assign({}, ...Object.values(environment.services).map(service => service.environment ?? {})) as Record<string, string>;
	const running = await services.engines.engineFor(environment.docker).secretsToMask(environment.docker.project).catch(() => []);
	return createRedactor({...process.env, ...fileSecrets, ...Object.fromEntries(running.map((value, index) => [`CONTAINER_SECRET_${index}`, value]))});
}

function redacted(result: CheckResult, redact: (text: string) => string): CheckResult {
	return {...result, detail: redact(result.detail), output: result.output.map(line => redact(line))};
}

/**
 * Runs ENV's checklist (or, with `only`, those checks by index, keeping `previous` results for the
 * rest: a re-run of the failed ones), a few at a time, results in the file's order, and stores the
 * run beside the release it checked.
 */
export async function runChecklist(services: Services, env: string, hooks: ChecklistHooks = {}, rerun?: {readonly only: readonly number[]; readonly previous: CheckRun}): Promise<CheckRun> {
	const environment = environmentNamed(services.project.environments, env);
	// A re-run that starts within the millisecond of the run it repeats would take that run's id, and its file.
	const startedAt = new Date(Math.max(Date.now(), rerun ? Date.parse(rerun.previous.startedAt) + 1 : 0));
	const id = newCheckRunId(env, startedAt);
	const [subject, redact] = await Promise.all([checklistSubject(services, env), checkRedactor(services, environment)]);
	const results: Array<CheckResult | undefined> = environment.checks.map((_check, index) => (rerun && !rerun.only.includes(index) ? rerun.previous.checks[index] : undefined));
	const queue = environment.checks.map((_check, index) => index).filter(index => results[index] === undefined);
	const worker = async () => {
		for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
			const check = environment.checks[index]!;
			if (hooks.signal?.aborted) {
				results[index] = {name: check.name, type: check.type, description: check.description ?? null, status: 'skip', ms: 0, detail: 'not run: the checklist was stopped', output: []};
				continue;
			}

			hooks.onStart?.(index);
			const result = redacted(await runOneCheck(services, environment, check, {id, index, subject}, hooks.signal), redact);
			results[index] = result;
			hooks.onFinish?.(index, result);
		}
	};

	await Promise.all(Array.from({length: Math.min(checkConcurrency, queue.length)}, worker));
	const run: CheckRun = {
		id,
		env,
		release: subject.release,
		commit: subject.commit,
		subject: subject.subject,
		operator: services.identity.operator,
		host: services.identity.host,
		startedAt: startedAt.toISOString(),
		finishedAt: new Date().toISOString(),
		checks: results as CheckResult[],
	};
	try {
		services.state.checkRuns.save(run);
	} catch (error) {
		// The run still happened and is shown; it only cannot count toward the gate.
		hooks.onStoreProblem?.(`the run was not stored, so it cannot open the checks gate: ${(error as Error).message}`);
	}

	return run;
}
