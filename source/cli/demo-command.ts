import path from 'node:path';
import {collectEnvironmentStatus} from '../app/collect-status.js';
import {composeServices} from '../app/compose.js';
import {removeDemoEdge, startDemoEdge} from '../app/demo-edge.js';
import {onEndingSignals, OperationControl} from '../app/operation-control.js';
import {runOperation} from '../app/run-operation.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {UsageError} from '../core/errors.js';
import {exitCodeForOutcome, type FlowState} from '../core/operation-flow.js';
import {shortSha} from '../core/words.js';
import {createDemoProject, isDemoProject} from '../demo/demo-project.js';
import {exitCodes} from './exit-codes.js';
import {progressLines} from './operation-progress.js';
import type {Output} from './output.js';

export const defaultDemoDirectory = 'opsconsole-demo';

/**
 * `demo up`: the throw-away project, then every environment deployed and verified (skipping those
 * already healthy on their branch head), then where each answers. Running it again is harmless.
 */
async function demoUp(root: string, options: {freePorts?: boolean; swarm?: boolean}, globals: GlobalOptions, output: Output): Promise<number> {
	const demo = await createDemoProject(root, {anyFreePorts: options.freePorts, swarm: options.swarm});
	output.line(demo.created ? `created the demo project in ${demo.root} (git branches dev, staging, main)` : `reusing the demo project in ${demo.root}`);
	const services = await composeServices({...globals, project: demo.root});
	const {environments} = services.project;
	if (environments.some(environment => environment.docker.mode === 'swarm')) await (await import('./demo-swarm.js')).ensureDemoSwarm(services, demo.root, output);
	const control = new OperationControl();
	const stopListening = onEndingSignals(() => control.cancel());
	let exitCode: number = exitCodes.done;
	try {
		for (const environment of environments) {
			if (control.cancelled) break;
			const status = await collectEnvironmentStatus(services, environments, environment);
			if (status.health === 'healthy' && status.commit && status.runningCommit === status.commit) {
				output.line(`${environment.name}: already healthy on ${shortSha(status.commit)}`);
				continue;
			}

			output.line(`${environment.name}: deploying ${environment.branch}…`);
			let previous: FlowState | undefined;
			const state = await runOperation(services, {kind: 'deploy', env: environment.name}, {
				confirm: async () => true,
				control,
				onState: (current, event) => {
					if (event.type !== 'output') for (const line of progressLines(previous ?? current, current, event, output.style)) output.line(`  ${line}`);
					previous = current;
				},
			});
			exitCode = Math.max(exitCode, exitCodeForOutcome(state.outcome));
		}
	} finally {
		stopListening();
	}

	if (!control.cancelled) output.line(await startDemoEdge(services));
	output.line('');
	for (const environment of environments) {
		for (const [name, service] of Object.entries(environment.services)) {
			if (service.port) output.line(`${environment.name.padEnd(11)} ${name}: http://127.0.0.1:${service.port}/`);
		}
	}

	output.line(`\nnext: cd ${path.relative(process.cwd(), demo.root) || '.'} && opsconsole status   (opsconsole demo down --dir ${demo.root} removes it)`);
	return exitCode;
}

async function demoDown(root: string, globals: GlobalOptions, output: Output): Promise<number> {
	if (!isDemoProject(root)) throw new UsageError(`${root} is not an opsconsole demo (no .opsconsole-demo file); nothing removed`);
	const services: Services = await composeServices({...globals, project: root});
	const totals = {containers: 0, networks: 0, images: 0};
	const engines = new Set(services.project.environments.map(environment => services.engines.engineFor(environment.docker)));
	if (services.project.environments.some(environment => environment.docker.mode === 'swarm')) {
		const removed = await (await import('./demo-swarm.js')).removeDemoSwarm(services, root, output);
		output.line(`removed ${removed.services} services and ${removed.networks} networks of the demo's stacks`);
	}

	for (const environment of services.project.environments) {
		const removed = await services.engines.engineFor(environment.docker).removeEnvironment(environment.docker.project);
		totals.containers += removed.containers;
		totals.networks += removed.networks;
	}

	const edge = await removeDemoEdge(services);
	totals.containers += edge.containers;
	totals.networks += edge.networks;
	for (const engine of engines) totals.images += await engine.removeImagesLabelled('opsconsole.project', services.projectName);
	output.line(`removed ${totals.containers} containers, ${totals.networks} networks and ${totals.images} images of the demo in ${root} (its files stay)`);
	return exitCodes.done;
}

export async function demoCommand(action: string, options: {dir?: string; freePorts?: boolean; swarm?: boolean}, globals: GlobalOptions, output: Output): Promise<number> {
	const root = path.resolve(options.dir ?? defaultDemoDirectory);
	if (action === 'up') return demoUp(root, options, globals, output);
	if (action === 'down') return demoDown(root, globals, output);
	throw new UsageError(`demo takes "up" or "down", not "${action}"`);
}
