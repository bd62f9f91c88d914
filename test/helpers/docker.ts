import {copyFileSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import {temporaryFolder, type Resources} from './temp.js';

/** Every container and image a test makes carries this label, so cleanup cannot miss one. */
export const testLabel = 'opsconsole.test';

export const skipDockerVariable = 'OPSCONSOLE_SKIP_DOCKER_TESTS';

/**
 * The local engine, or a clear failure when none answers. A developer may opt out with
 * OPSCONSOLE_SKIP_DOCKER_TESTS=1 (the tests then report as skipped); CI never skips.
 */
export async function engineForTests(): Promise<{docker: Docker; skip: false} | {docker: undefined; skip: string}> {
	const docker = new Docker();
	try {
		await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 3 s")), 3000).unref())]);
		return {docker, skip: false};
	} catch (error) {
		if (process.env[skipDockerVariable] === '1' && process.env['OPSCONSOLE_CI'] !== '1' && process.env['CI'] !== 'true') {
			return {docker: undefined, skip: `${skipDockerVariable}=1 and no Docker engine answers`};
		}

		throw new Error(`These tests need a running Docker engine and none answers at the local socket (${(error as Error).message}). `
			+ `Start one with \`bash scripts/setup.sh\` (as root), or set ${skipDockerVariable}=1 to skip them on a laptop.`);
	}
}

async function followBuild(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(stream, (error: Error | null, events: Array<{error?: string}>) => {
			const failed = events?.find(event => event.error);
			if (error ?? failed) reject(error ?? new Error(failed!.error));
			else resolve();
		});
	});
}

const webHealthTest = ['CMD', '/bin/busybox', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health'];

/**
 * Builds a tiny web image (static busybox, no registry needed) whose HEALTHCHECK asks its own
 * httpd for /health every second. Removed when the test file ends.
 */
export async function buildWebImage(docker: Docker, runId: string, resources: Resources): Promise<string> {
	const context = temporaryFolder(resources, 'opsconsole-image-');
	copyFileSync('/bin/busybox', path.join(context, 'busybox'));
	mkdirSync(path.join(context, 'www'));
	writeFileSync(path.join(context, 'www', 'health'), 'ok\n');
	writeFileSync(path.join(context, 'www', 'index.html'), '<h1>opsconsole test</h1>\n');
	writeFileSync(path.join(context, 'Dockerfile'), [
		'FROM scratch',
		'COPY busybox /bin/busybox',
		'COPY www /www',
		`HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD ${JSON.stringify(webHealthTest.slice(1))}`,
		'CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]',
		'',
	].join('\n'));
	const tag = `opsconsole-test-web:${runId}`;
	await followBuild(docker, await docker.buildImage({context, src: ['Dockerfile', 'busybox', 'www']}, {t: tag, labels: {[testLabel]: runId}}));
	resources.defer(async () => {
		// Containers first: an image removed while one still uses it only loses its tag and stays behind, dangling.
		const users = await docker.listContainers({all: true, filters: {ancestor: [tag]}});
		await Promise.all(users.map(async info => docker.getContainer(info.Id).remove({force: true}).catch(() => undefined)));
		const images = await docker.listImages({filters: {label: [`${testLabel}=${runId}`]}});
		for (const image of images) await docker.getImage(image.Id).remove({force: true}).catch(() => undefined);
	});
	return tag;
}

export type TestContainerOptions = {
	readonly image: string;
	readonly project: string;
	readonly service: string;
	readonly runId: string;
	/** `slow`: the image's check every 30 s instead of every second, for a machine the checks keep quiet. */
	readonly healthcheck?: 'image' | 'slow' | 'failing' | 'none';
	readonly labels?: Record<string, string>;
	/** Publish container port 8080 on a free loopback port (no fixed host ports). */
	readonly publish?: boolean;
	readonly env?: readonly string[];
	readonly cmd?: readonly string[];
};

/** Creates and starts a labelled container (see removeRunContainersAfter). */
export async function startContainer(docker: Docker, options: TestContainerOptions): Promise<Docker.Container> {
	const healthcheck = options.healthcheck === 'failing'
		? {Test: ['CMD', '/bin/busybox', 'false'], Interval: 300_000_000, Timeout: 1_000_000_000, Retries: 1}
		: options.healthcheck === 'slow'
			? {Test: webHealthTest, Interval: 30_000_000_000, Timeout: 2_000_000_000, Retries: 2}
			: options.healthcheck === 'none'
				? {Test: ['NONE']}
				: undefined;
	const container = await docker.createContainer({
		Image: options.image,
		name: `${options.project}-${options.service}-${options.runId}`,
		Labels: {
			[testLabel]: options.runId,
			'com.docker.compose.project': options.project,
			'com.docker.compose.service': options.service,
			...options.labels,
		},
		...(healthcheck ? {Healthcheck: healthcheck} : {}),
		...(options.env ? {Env: [...options.env]} : {}),
		...(options.cmd ? {Cmd: [...options.cmd]} : {}),
		HostConfig: options.publish ? {PortBindings: {'8080/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]}} : {},
		ExposedPorts: options.publish ? {'8080/tcp': {}} : {},
	});
	await container.start();
	return container;
}

/** The loopback port Docker chose for a published container's 8080. */
export async function publishedPort(container: Docker.Container): Promise<number> {
	const info = await container.inspect();
	const binding = info.NetworkSettings.Ports['8080/tcp']?.[0];
	if (!binding) throw new Error('container has no published port 8080');
	return Number(binding.HostPort);
}

/** Removes every container of a test run when `resources` are released; call it after building the image they use, so they go first. */
export function removeRunContainersAfter(docker: Docker, runId: string, resources: Resources): void {
	resources.defer(async () => {
		const containers = await docker.listContainers({all: true, filters: {label: [`${testLabel}=${runId}`]}});
		await Promise.all(containers.map(async info => docker.getContainer(info.Id).remove({force: true}).catch(() => undefined)));
	});
}

/** Polls until `predicate` holds for the container's inspect data, or fails after `timeoutMs`. */
export async function waitForContainer(container: Docker.Container, predicate: (info: Docker.ContainerInspectInfo) => boolean, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const info = await container.inspect();
		if (predicate(info)) return;
		if (Date.now() > deadline) throw new Error(`container ${info.Name} did not reach the expected state in ${timeoutMs} ms (state ${info.State.Status}, health ${info.State.Health?.Status ?? 'none'})`);
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

export function newRunId(): string {
	return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
