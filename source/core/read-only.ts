import type {EnvironmentConfig} from './environment-schema.js';

/** Why an environment may not be changed by this process, or undefined when it may. */
export type ReadOnlyPolicy = {
	/** Set when nothing may be changed at all (flag or preference). */
	readonly everywhere: string | undefined;
	reasonFor(env: string): string | undefined;
};

/**
 * Read-only decided once, from every source: `--read-only`, the user's preferences (`readOnly`,
 * `readOnlyEnvironments`) and an environment file's `readOnly`. Every command and key asks this.
 */
export function readOnlyPolicy(sources: {
	readonly flag: boolean;
	readonly preferences: {readonly readOnly?: boolean; readonly readOnlyEnvironments?: readonly string[]};
	readonly environments: ReadonlyArray<Pick<EnvironmentConfig, 'name' | 'readOnly'>>;
}): ReadOnlyPolicy {
	const everywhere = sources.flag
		? 'opsconsole runs read-only (--read-only)'
		: sources.preferences.readOnly ? 'opsconsole runs read-only (your preferences say readOnly)' : undefined;
	return {
		everywhere,
		reasonFor(env) {
			if (everywhere) return everywhere;
			if (sources.environments.find(environment => environment.name === env)?.readOnly) return `${env} is read-only (its environment file says so)`;
			if (sources.preferences.readOnlyEnvironments?.includes(env)) return `${env} is read-only (your preferences list it in readOnlyEnvironments)`;
			return undefined;
		},
	};
}
