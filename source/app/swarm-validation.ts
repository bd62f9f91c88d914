import type {EnvironmentConfig} from '../core/environment-schema.js';
import {EngineUnavailableError} from '../core/errors.js';
import {EnginePool} from '../engine/docker-engine.js';

/** What `validate` learns by asking a swarm environment's engine: a problem (exit 2), or a note when it cannot ask. */
export type SwarmFinding = {readonly env: string; readonly fieldPath: readonly string[]; readonly kind: 'problem' | 'note'; readonly message: string};

/**
 * Asks each swarm environment's engine whether it is a swarm manager: only a manager lists and
 * updates services. An engine that cannot be reached is a note, not a configuration problem.
 */
export async function swarmEngineFindings(root: string, environments: readonly EnvironmentConfig[]): Promise<SwarmFinding[]> {
	const engines = new EnginePool({projectRoot: root});
	try {
		return (await Promise.all(environments.map(async (environment): Promise<SwarmFinding[]> => {
			const engine = engines.engineFor(environment.docker);
			const at = {env: environment.name, fieldPath: ['docker', 'mode']};
			try {
				const role = await engine.swarm.role();
				if (role === 'manager') return [];
				const message = role === 'worker'
					? `the engine at ${engine.host} is a swarm worker: services are read and updated only through a manager — point docker.host (or docker.context) at a manager node`
					: `the engine at ${engine.host} is not in a swarm (not a swarm manager) — run \`docker swarm init\` there, or join it to the swarm as a manager, or remove mode: swarm`;
				return [{...at, kind: 'problem', message}];
			} catch (error) {
				if (!(error instanceof EngineUnavailableError)) throw error;
				return [{...at, kind: 'note', message: `could not check that the engine is a swarm manager: ${error.message}`}];
			}
		}))).flat();
	} finally {
		engines.close();
	}
}
