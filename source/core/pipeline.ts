import {UsageError} from './errors.js';
import type {EnvironmentConfig} from './environment-schema.js';
import {compareOrdinal} from './text-order.js';

type Linked = Pick<EnvironmentConfig, 'name' | 'promotesTo'>;

/** The environment that promotes into `name`, if any (dev for staging). */
export function upstreamOf<T extends Linked>(environments: readonly T[], name: string): T | undefined {
	return environments.find(environment => environment.promotesTo === name);
}

/** The environment `name` promotes to, if any (production for staging). */
export function downstreamOf<T extends Linked>(environments: readonly T[], name: string): T | undefined {
	const from = environments.find(environment => environment.name === name);
	return from?.promotesTo ? environments.find(environment => environment.name === from.promotesTo) : undefined;
}

/** The names along the first `promotesTo` cycle, starting and ending with the same name, or undefined. */
export function findPromotionCycle(environments: readonly Linked[]): string[] | undefined {
	const byName = new Map(environments.map(environment => [environment.name, environment]));
	for (const start of environments) {
		const path: string[] = [];
		let current: Linked | undefined = start;
		while (current) {
			const seenAt = path.indexOf(current.name);
			if (seenAt !== -1) return [...path.slice(seenAt), current.name];
			path.push(current.name);
			current = current.promotesTo ? byName.get(current.promotesTo) : undefined;
		}
	}

	return undefined;
}

/**
 * Pipeline order: each chain from its first stage along `promotesTo`, chains sorted by their first
 * stage's name. Expects no cycle (validation rejects them); any leftovers are appended by name.
 */
export function orderPipeline<T extends Linked>(environments: readonly T[]): T[] {
	const byName = new Map(environments.map(environment => [environment.name, environment]));
	const starts = environments
		.filter(environment => !upstreamOf(environments, environment.name))
		.sort((a, b) => compareOrdinal(a.name, b.name));
	const ordered: T[] = [];
	const placed = new Set<string>();
	for (const start of starts) {
		let current: T | undefined = start;
		while (current && !placed.has(current.name)) {
			ordered.push(current);
			placed.add(current.name);
			current = current.promotesTo ? byName.get(current.promotesTo) : undefined;
		}
	}

	const leftovers = environments.filter(environment => !placed.has(environment.name)).sort((a, b) => compareOrdinal(a.name, b.name));
	return [...ordered, ...leftovers];
}

/** The environment called `name`, or a UsageError naming the ones that exist. */
export function environmentNamed<T extends Pick<EnvironmentConfig, 'name'>>(environments: readonly T[], name: string): T {
	const environment = environments.find(candidate => candidate.name === name);
	if (!environment) throw new UsageError(`no environment "${name}" (known: ${environments.map(candidate => candidate.name).join(', ')})`);
	return environment;
}
