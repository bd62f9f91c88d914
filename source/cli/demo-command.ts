import path from 'node:path';
import {collectEnvironmentStatus} from '../app/collect-status.js';
import {createContext, type GlobalOptions} from '../app/context.js';
import {createOperationServices} from '../app/operation-services.js';
import {runOperation} from '../app/run-operation.js';
import {runningCommit} from '../core/container.js';
import {exitCodeForOutcome} from '../core/operation-flow.js';
import {UsageError} from '../core/errors.js';
import {createDemoProject, isDemoProject} from '../demo/demo-project.js';
import {resolveDockerHost} from '../engine/docker-host.js';
import {removeComposeProject, removeImagesLabelled} from '../engine/project-cleanup.js';
import {exitCodes} from './exit-codes.js';
import {progressLines} from './operation-progress.js';
import type {Output} from './output.js';

export const defaultDemoDirectory = 'opsconsole-demo';

/**
 * `demo up`: the throw-away project, then every environment deployed and verified (skipping those
 * already healthy on their branch head), then where each answers. Running it again is harmless.
 */
async function demoUp(root: string, options: {freePorts?: boolean}, globals: GlobalOptions, output: Output): Promise<number> {
	const demo = await createDemoProject(root, {anyFreePorts: options.freePorts});
	output.line(demo.created ? `created the demo project in ${demo.root} (git branches dev, staging, main)` : `reusing the demo project in ${demo.root}`);
	const context = createContext({project: demo.root});
	const services = await createOperationServices(context, {operator: globals.operator, readOnly: globals.readOnly});
	let exitCode: number = exitCodes.done;
	for (const environment of context.project.environments) {
		const status = await collectEnvironmentStatus(context, context.project.environments, environment);
		if (status.health === 'healthy' && status.commit && runningCommit(status.containers) === status.commit) {
			output.line(`${environment.name}: already healthy on ${status.commit.slice(0, 7)}`);
			continue;
		}

		output.line(`${environment.name}: deploying ${environment.branch}…`);
		const state = await runOperation(services, {kind: 'deploy', env: environment.name}, {
			confirm: async () => true,
			onState: (current, event) => {
				if (event.type === 'output') return;
				for (const line of progressLines(current, event, output.style)) output.line(`  ${line}`);
			},
		});
		exitCode = Math.max(exitCode, exitCodeForOutcome(state.outcome));
	}

	output.line('');
	for (const environment of context.project.environments) {
		for (const [name, service] of Object.entries(environment.services)) {
			if (service.port) output.line(`${environment.name.padEnd(11)} ${name}: http://127.0.0.1:${service.port}/`);
		}
	}

	output.line(`\nnext: cd ${path.relative(process.cwd(), demo.root) || '.'} && opsconsole status   (opsconsole demo down --dir ${demo.root} removes it)`);
	return exitCode;
}

async function demoDown(root: string, output: Output): Promise<number> {
	if (!isDemoProject(root)) throw new UsageError(`${root} is not an opsconsole demo (no .opsconsole-demo file); nothing removed`);
	const context = createContext({project: root});
	const services = await createOperationServices(context, {});
	const totals = {containers: 0, networks: 0, images: 0};
	for (const environment of context.project.environments) {
		const engine = context.engines.engineFor(resolveDockerHost(environment.docker.host));
		const removed = await removeComposeProject(engine.docker, environment.docker.project);
		totals.containers += removed.containers;
		totals.networks += removed.networks;
	}

	const hosts = new Set(context.project.environments.map(environment => resolveDockerHost(environment.docker.host)));
	for (const host of hosts) totals.images += await removeImagesLabelled(context.engines.engineFor(host).docker, 'opsconsole.project', services.projectName);
	output.line(`removed ${totals.containers} containers, ${totals.networks} networks and ${totals.images} images of the demo in ${root} (its files stay)`);
	return exitCodes.done;
}

export async function demoCommand(action: string, options: {dir?: string; freePorts?: boolean}, globals: GlobalOptions, output: Output): Promise<number> {
	const root = path.resolve(options.dir ?? defaultDemoDirectory);
	if (action === 'up') return demoUp(root, options, globals, output);
	if (action === 'down') return demoDown(root, output);
	throw new UsageError(`demo takes "up" or "down", not "${action}"`);
}
