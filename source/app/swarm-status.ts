/**
 * What a swarm environment's status is made of: its stack read from the engine and summed up by
 * core/swarm.ts. Loaded only for swarm environments, so status and the dashboard of single-host
 * projects never load it.
 */
import type {Engines} from '../core/adapters.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {EngineUnavailableError} from '../core/errors.js';
import {rollupSwarmHealth, stackRelease, type SwarmSnapshot} from '../core/swarm.js';
import type {SwarmStatus, SwarmStatusPart} from './collect-status.js';

/** A swarm environment's stack, or why it could not be read (never throws for that). */
export async function readEnvironmentStack(engines: Engines, environment: EnvironmentConfig): Promise<{snapshot: SwarmSnapshot | undefined; error: string | undefined}> {
	const engine = engines.engineFor(environment.docker);
	const stack = environment.docker.stack!;
	if (!engine.swarm) return {snapshot: undefined, error: `the engine at ${engine.host} cannot speak to a swarm`};
	try {
		return {snapshot: await engine.swarm.readStack(stack), error: undefined};
	} catch (error) {
		if (error instanceof EngineUnavailableError) throw error;
		return {snapshot: undefined, error: `stack ${stack}: ${(error as Error).message}`};
	}
}

/** The status part a swarm environment adds: the view of its stack, and how that sums up with the probes. */
export function swarmStatusPart(stack: string, read: {snapshot: SwarmSnapshot | undefined; error: string | undefined}): SwarmStatusPart {
	const services = read.snapshot?.services ?? [];
	const view: SwarmStatus = {stack, services, nodes: read.snapshot?.nodes ?? [], error: read.error ?? null};
	const {release, commit} = stackRelease(services);
	return {
		view,
		summarize: probes => ({...rollupSwarmHealth({stackError: read.error, services, probes}), release, commit}),
	};
}
