import type {EnvironmentConfig} from './environment-schema.js';

/** What a recipe learns from OPSCONSOLE_CONTEXT: the full environment definition and the plan. */
export type RecipeContext = {
	readonly action: 'promote' | 'deploy' | 'rollback' | 'check';
	readonly projectRoot: string;
	/** Slug of the deployment project, the `opsconsole.project` label. */
	readonly projectName: string;
	readonly environment: EnvironmentConfig;
	readonly fromEnvironment: string | null;
	readonly commit: string;
	readonly previousCommit: string | null;
	/** Where the recipe is to leave the environment's branch; null: leave it where it is (DESIGN: no commit ever made unreachable). */
	readonly branchTo: string | null;
	readonly release: string;
	readonly dockerHost: string;
	readonly dryRun: boolean;
	readonly operator: string;
};

/** The OPSCONSOLE_* variables DESIGN.md §4 promises every recipe. */
export function recipeVariables(context: RecipeContext): Record<string, string> {
	return {
		OPSCONSOLE_ACTION: context.action,
		OPSCONSOLE_ENV: context.environment.name,
		OPSCONSOLE_FROM_ENV: context.fromEnvironment ?? '',
		OPSCONSOLE_COMMIT: context.commit,
		OPSCONSOLE_PREVIOUS_COMMIT: context.previousCommit ?? '',
		OPSCONSOLE_BRANCH_TO: context.branchTo ?? '',
		OPSCONSOLE_RELEASE: context.release,
		OPSCONSOLE_DOCKER_HOST: context.dockerHost,
		OPSCONSOLE_DRY_RUN: context.dryRun ? '1' : '',
		OPSCONSOLE_OPERATOR: context.operator,
	};
}

export type RecipeEvent =
	| {readonly type: 'line'; readonly stream: 'stdout' | 'stderr'; readonly text: string}
	| {readonly type: 'step'; readonly name: string; readonly at: number};

/** One recipe run, as the executor asks for it. */
export type RecipeRequest = {
	readonly projectRoot: string;
	/** Relative to `recipes/`, e.g. `deploy.mjs` or `checks/integration.mjs`. */
	readonly recipe: string;
	/** OPSCONSOLE_* variables (ACTION, ENV, COMMIT, …); merged over the parent's environment. */
	readonly variables: Readonly<Record<string, string>>;
	/** Written to a JSON file whose path the recipe finds in OPSCONSOLE_CONTEXT. */
	readonly context: unknown;
	readonly contextFile: string;
	readonly timeoutMs: number;
	/** How long SIGTERM gets before SIGKILL when cancelling. */
	readonly graceMs?: number;
	/** Cancels: SIGTERM to the recipe's process group, SIGKILL after the grace period. */
	readonly signal?: AbortSignal;
	/** Stops at once: SIGKILL to the group. */
	readonly killSignal?: AbortSignal;
	readonly onEvent?: (event: RecipeEvent) => void;
};

export type RecipeResult = {
	readonly ok: boolean;
	readonly exitCode: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly cancelled: boolean;
	readonly timedOut: boolean;
	readonly ms: number;
	readonly steps: ReadonlyArray<{name: string; ms: number}>;
	/** The last lines of output, for an error message. */
	readonly tail: readonly string[];
};

/** The line of a failed recipe's output that says most: its error message, not a stack frame. */
function mostTellingLine(tail: readonly string[]): string | undefined {
	const meaningful = tail.map(line => line.trim()).filter(line => line && !/^at\s/.test(line) && !/^Node\.js v\d/.test(line) && !/^\^+$/.test(line));
	return meaningful.findLast(line => /\b\w*Error\b:/.test(line)) ?? meaningful.at(-1);
}

/** A one-line reason a recipe did not succeed. */
export function describeRecipeFailure(recipe: string, result: RecipeResult): string {
	if (result.cancelled) return `${recipe} was cancelled`;
	if (result.timedOut) return `${recipe} timed out after ${Math.round(result.ms / 1000)} s`;
	const telling = mostTellingLine(result.tail);
	// A reason is one line of a record and a screen: the whole output is in the log.
	const last = telling && telling.length > 300 ? `${telling.slice(0, 299)}…` : telling;
	const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
	return `${recipe} ${how}${last ? `: ${last}` : ''}`;
}
