/**
 * What recipes import (`await import(process.env.OPSCONSOLE_RECIPE_KIT)`): the run's context and
 * the Docker verbs of a deployment, so a recipe reads as the steps it takes and needs no
 * node_modules of its own. Git is left to the recipe's own zx `$` commands.
 */
import {readFileSync} from 'node:fs';
import {swarmUpdateConfig} from '../core/swarm.js';
import type {RecipeContext} from '../core/recipe-context.js';
import {EnginePool, type DockerEngine} from '../engine/docker-engine.js';
import type {EnsuredImage} from '../engine/service-deployment.js';
import {BuildStore} from '../state/build-store.js';
import {stateDirectory} from '../state/state-directory.js';

let cachedContext: RecipeContext | undefined;
let cachedEngine: DockerEngine | undefined;

export function context(): RecipeContext {
	const file = process.env['OPSCONSOLE_CONTEXT'];
	if (!file) throw new Error('OPSCONSOLE_CONTEXT is not set: recipes are run by opsconsole');
	cachedContext ??= JSON.parse(readFileSync(file, 'utf8')) as RecipeContext;
	return cachedContext;
}

function engine(): DockerEngine {
	// Resolved as the console resolved it (context, TLS files, ssh), from the same docker block.
	cachedEngine ??= new EnginePool({timeoutMs: 120_000, projectRoot: context().projectRoot}).engineFor(context().environment.docker);
	return cachedEngine;
}

/** Starts a named step: the console shows it as progress, with its time. */
export function step(name: string): void {
	console.log(`::step::${name}`);
}

function service(serviceName: string) {
	const found = context().environment.services[serviceName];
	if (!found) throw new Error(`no service "${serviceName}" in environment ${context().environment.name}`);
	return found;
}

/**
 * The service's image for the context's commit, built from git at that commit unless it exists.
 * A build is recorded with its time, so the rollback picker can say what a rebuild costs once
 * retention has removed the image.
 */
export async function ensureImage(serviceName: string): Promise<EnsuredImage> {
	const {commit, projectRoot, projectName, environment, release} = context();
	const image = await engine().ensureServiceImage({
		repositoryRoot: projectRoot,
		commit,
		service: service(serviceName),
		labels: {'opsconsole.project': projectName, 'opsconsole.commit': commit},
		onLine: line => console.log(`  ${line}`),
	});
	if (image.built) {
		try {
			// The recipe runs with the console's environment, so OPSCONSOLE_STATE_DIR names the same folder.
			new BuildStore(stateDirectory(projectRoot)).append({image: image.tag, service: serviceName, commit, env: environment.name, release, ms: image.ms, at: new Date().toISOString()});
		} catch (error) {
			console.log(`  (the build time could not be recorded: ${(error as Error).message})`);
		}
	}

	return image;
}

/** Replaces the service's container with one from `image`, labelled with this release. */
export async function replaceContainer(serviceName: string, image: string): Promise<{id: string; retained: string | null}> {
	const current = context();
	return engine().replaceServiceContainer({
		serviceName,
		service: service(serviceName),
		image,
		labels: {project: current.projectName, env: current.environment.name, composeProject: current.environment.docker.project, commit: current.commit, release: current.release},
		environment: {APP_ENV: current.environment.name, APP_COMMIT: current.commit, APP_RELEASE: current.release},
	});
}

/** True when the environment runs on a Docker Swarm (`docker.mode: swarm`): deploys update its stack's services. */
export function isSwarm(): boolean {
	return context().environment.docker.mode === 'swarm';
}

function swarmDeployment(serviceName: string, image: string) {
	const current = context();
	return {
		stack: current.environment.docker.stack!,
		serviceName,
		service: service(serviceName),
		image,
		labels: {project: current.projectName, env: current.environment.name, composeProject: current.environment.docker.project, commit: current.commit, release: current.release},
		environment: {APP_ENV: current.environment.name, APP_COMMIT: current.commit, APP_RELEASE: current.release},
		update: swarmUpdateConfig(current.environment.docker),
		onLine: (line: string) => console.log(`  ${line}`),
	};
}

/** Why the swarm cannot run images built here (several nodes, no registry), or undefined when it can. */
export async function swarmImagesProblem(): Promise<string | undefined> {
	const {docker, verbs} = await engine().swarmDeployment();
	return verbs.localImagesProblem(docker);
}

/**
 * Creates or updates the service of the stack with `image`, this release's labels and the
 * environment's update_config, and follows the update to its end: ok when swarm completed it.
 */
export async function updateSwarmService(serviceName: string, image: string): Promise<{ok: boolean; detail: string; created: boolean}> {
	const {docker, verbs} = await engine().swarmDeployment();
	return verbs.deployService(docker, swarmDeployment(serviceName, image));
}

/** Puts the service back on the context's (earlier) commit: its previous spec when that was it, else a spec for that image. */
export async function rollbackSwarmService(serviceName: string, image: string): Promise<{ok: boolean; detail: string; how: string}> {
	const {docker, verbs} = await engine().swarmDeployment();
	return verbs.rollbackService(docker, swarmDeployment(serviceName, image));
}
