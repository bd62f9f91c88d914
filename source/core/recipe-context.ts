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
		OPSCONSOLE_RELEASE: context.release,
		OPSCONSOLE_DOCKER_HOST: context.dockerHost,
		OPSCONSOLE_DRY_RUN: context.dryRun ? '1' : '',
		OPSCONSOLE_OPERATOR: context.operator,
	};
}
