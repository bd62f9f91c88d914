import type {DockerTarget} from '../core/adapters.js';
import {environmentNamed} from '../core/pipeline.js';
import {demoTlsPort} from '../demo/demo-project.js';
import {EnginePool} from '../engine/docker-engine.js';
import type {Services} from './services.js';

/**
 * The demo's TLS endpoint runs beside the environments, in a compose project of its own, so it
 * is no environment's container and no release changes it; staging's checklist checks it.
 */
function edgeTarget(services: Services): DockerTarget {
	const staging = environmentNamed(services.project.environments, 'staging');
	return {...staging.docker, project: `${services.projectName}-edge`};
}

/** Builds and starts the TLS endpoint unless it runs; resolves to a line saying where it answers. */
export async function startDemoEdge(services: Services): Promise<string> {
	const root = services.project.root;
	const port = demoTlsPort(root);
	const target = edgeTarget(services);
	const pool = new EnginePool({projectRoot: root});
	try {
		const engine = pool.engineFor(target);
		const running = (await engine.listEnvironmentContainers(target.project)).some(container => container.state === 'running');
		if (running) return `tls endpoint: https://127.0.0.1:${port}/ (already running)`;
		const commit = await services.git.resolve('HEAD');
		if (!commit) throw new Error('the demo repository has no commit to build the TLS endpoint from');
		const service = {image: `${services.projectName}-tls`, build: 'tls', port, containerPort: 8443};
		const {tag} = await engine.ensureServiceImage({repositoryRoot: root, commit, service, labels: {'opsconsole.project': services.projectName, 'opsconsole.commit': commit}});
		await engine.replaceServiceContainer({
			serviceName: 'tls',
			service,
			image: tag,
			labels: {project: services.projectName, env: 'edge', composeProject: target.project, commit, release: `edge-${commit.slice(0, 7)}`},
			environment: {},
		});
		return `tls endpoint: https://127.0.0.1:${port}/ (certificate for 127.0.0.1 and localhost, CA in tls/certs/ca.pem)`;
	} finally {
		pool.close();
	}
}

/** Removes the TLS endpoint's container and network. */
export async function removeDemoEdge(services: Services): Promise<{containers: number; networks: number}> {
	return services.engines.engineFor(edgeTarget(services)).removeEnvironment(edgeTarget(services).project);
}
