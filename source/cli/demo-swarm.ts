import {existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Services} from '../app/services.js';
import type {Engine} from '../core/adapters.js';
import {UsageError} from '../core/errors.js';
import type {Output} from './output.js';

/** Where `demo up --swarm` notes that it made the swarm, so `demo down` undoes only what it did (gitignored). */
function initialisedMarker(root: string): string {
	return path.join(root, '.opsconsole', 'demo-initialised-swarm');
}

function swarmEngines(services: Services): Engine[] {
	return [...new Set(services.project.environments.filter(environment => environment.docker.mode === 'swarm').map(environment => services.engines.engineFor(environment.docker)))];
}

/** Makes sure the demo's swarm environments have a manager to talk to: a single-node swarm when the engine is in none, said out loud. */
export async function ensureDemoSwarm(services: Services, root: string, output: Output): Promise<void> {
	for (const engine of swarmEngines(services)) {
		const role = await engine.swarm!.role();
		if (role === 'manager') continue;
		if (role === 'worker') throw new UsageError(`the engine at ${engine.host} is a swarm worker; the swarm demo needs a manager (run it there, or leave that swarm)`);
		await engine.swarm!.initialise();
		mkdirSync(path.dirname(initialisedMarker(root)), {recursive: true});
		writeFileSync(initialisedMarker(root), `${engine.host}\n`);
		output.line(`the engine at ${engine.host} was in no swarm: initialised a single-node swarm for the demo (demo down leaves it again)`);
	}
}

/** Removes the demo's stacks, and the swarm too when the demo made it and nothing else runs in it. */
export async function removeDemoSwarm(services: Services, root: string, output: Output): Promise<{services: number; networks: number}> {
	const totals = {services: 0, networks: 0};
	for (const environment of services.project.environments.filter(candidate => candidate.docker.mode === 'swarm')) {
		const engine = services.engines.engineFor(environment.docker);
		if (await engine.swarm!.role() !== 'manager') continue;
		const removed = await engine.swarm!.removeStack(environment.docker.stack!);
		totals.services += removed.services;
		totals.networks += removed.networks;
	}

	if (existsSync(initialisedMarker(root))) {
		for (const engine of swarmEngines(services)) {
			if (await engine.swarm!.role() !== 'manager') continue;
			const others = await engine.swarm!.serviceCount();
			if (others > 0) {
				output.line(`the demo initialised the swarm at ${engine.host}, but ${others} other services run in it now: left it as it is (\`docker swarm leave --force\` ends it)`);
				continue;
			}

			await engine.swarm!.leave();
			output.line(`the engine at ${engine.host} left the single-node swarm the demo initialised`);
		}

		rmSync(initialisedMarker(root), {force: true});
	}

	return totals;
}
