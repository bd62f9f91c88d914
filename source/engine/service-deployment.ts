import {spawn} from 'node:child_process';
import type Docker from 'dockerode';
import type {ServiceConfig} from '../core/environment-schema.js';
import {imageTagFor} from '../core/release.js';

export const composeProjectLabel = 'com.docker.compose.project';
export const composeServiceLabel = 'com.docker.compose.service';

/** Labels every container opsconsole's recipes start carry (DESIGN.md §3). */
export type ReleaseLabels = {
	readonly project: string;
	readonly env: string;
	readonly composeProject: string;
	readonly commit: string;
	readonly release: string;
};


export async function imageExists(docker: Docker, tag: string, signal?: AbortSignal): Promise<boolean> {
	try {
		await docker.getImage(tag).inspect({abortSignal: signal} as Docker.ImageInspectOptions);
		return true;
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode === 404) return false;
		throw error;
	}
}

/** An image for a commit: reused as it was, or built now, in `ms`. */
export type EnsuredImage = {readonly tag: string; readonly built: false} | {readonly tag: string; readonly built: true; readonly ms: number};

/**
 * Builds the service's image from the repository exactly at `commit` (`git archive`, so the
 * work tree's state does not leak in), or reuses the image when one exists for that commit.
 */
export async function ensureImage(docker: Docker, options: {repositoryRoot: string; commit: string; service: ServiceConfig; labels: Record<string, string>; onLine?: (line: string) => void}): Promise<EnsuredImage> {
	const tag = imageTagFor(options.service, options.commit);
	if (await imageExists(docker, tag)) return {tag, built: false};
	const started = performance.now();
	const buildPath = (options.service.build ?? '.').replace(/^\.\/?/, '').replace(/\/$/, '');
	const treeish = buildPath ? `${options.commit}:${buildPath}` : options.commit;
	const archive = spawn('git', ['archive', '--format=tar', treeish], {cwd: options.repositoryRoot, stdio: ['ignore', 'pipe', 'pipe']});
	let gitError = '';
	archive.stderr.on('data', (chunk: Buffer) => {
		gitError += chunk.toString();
	});
	const archiveExit = new Promise<number | null>(resolve => archive.on('close', resolve));
	const stream = await docker.buildImage(archive.stdout, {t: tag, labels: options.labels, rm: true, forcerm: true});
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(stream, (error: Error | null, events: Array<{error?: string}>) => {
			const failed = events?.find(event => event.error);
			if (error ?? failed) reject(new Error(`building ${tag} failed: ${(error?.message ?? failed?.error ?? '').trim()}`));
			else resolve();
		}, (event: {stream?: string}) => {
			for (const line of (event.stream ?? '').split('\n')) if (line.trim()) options.onLine?.(line.trimEnd());
		});
	});
	if ((await archiveExit) !== 0) throw new Error(`git archive ${treeish} failed: ${gitError.trim()}`);
	return {tag, built: true, ms: Math.round(performance.now() - started)};
}

async function ensureNetwork(docker: Docker, name: string, labels: Record<string, string>): Promise<void> {
	const existing = await docker.listNetworks({filters: {name: [name]}});
	if (existing.some(network => network.Name === name)) return;
	await docker.createNetwork({Name: name, Labels: labels, CheckDuplicate: true});
}

/**
 * Replaces a service's container with one from `image`: the running one is stopped and renamed
 * (kept, with its labels, so the live view marks it retained and a rollback needs no rebuild),
 * the new one is created with the release labels and started. Retained ones are removed only by
 * the retention after a successful release (app/apply-retention.ts), which knows the
 * environment's `retention.keep` and what the other environments run; a failed one removes nothing.
 */
export async function replaceServiceContainer(docker: Docker, options: {serviceName: string; service: ServiceConfig; image: string; labels: ReleaseLabels; environment: Record<string, string>}): Promise<{id: string; retained: string | null}> {
	const {labels, serviceName, service} = options;
	const name = `${labels.composeProject}-${serviceName}`;
	const containerLabels = {
		[composeProjectLabel]: labels.composeProject,
		[composeServiceLabel]: serviceName,
		'opsconsole.project': labels.project,
		'opsconsole.env': labels.env,
		'opsconsole.service': serviceName,
		'opsconsole.commit': labels.commit,
		'opsconsole.release': labels.release,
	};
	const networkName = `${labels.composeProject}_default`;
	await ensureNetwork(docker, networkName, {[composeProjectLabel]: labels.composeProject, 'opsconsole.project': labels.project});

	let retained: string | null = null;
	const previous = await docker.listContainers({all: true, filters: {name: [`^/${name}$`]}});
	for (const summary of previous) {
		const container = docker.getContainer(summary.Id);
		if (summary.State === 'running' || summary.State === 'restarting') await container.stop({t: 5}).catch(ignoreNotModified);
		const release = summary.Labels['opsconsole.release'];
		retained = release ? `${name}-${release.replace(`${labels.env}-`, '')}` : `${name}-${summary.Id.slice(0, 12)}`;
		await container.rename({name: retained}).catch(async () => {
			retained = `${name}-${summary.Id.slice(0, 12)}`;
			await container.rename({name: retained});
		});
	}

	const containerPort = `${service.containerPort ?? 8080}/tcp`;
	const created = await docker.createContainer({
		name,
		Image: options.image,
		Labels: containerLabels,
		Env: Object.entries({...options.environment, ...service.environment}).map(([key, value]) => `${key}=${value}`),
		ExposedPorts: service.port ? {[containerPort]: {}} : {},
		HostConfig: {
			// An init process forwards SIGTERM, so a service stops in moments rather than at the kill timeout.
			Init: true,
			RestartPolicy: {Name: 'unless-stopped'},
			NetworkMode: networkName,
			...(service.port ? {PortBindings: {[containerPort]: [{HostIp: '127.0.0.1', HostPort: String(service.port)}]}} : {}),
		},
		NetworkingConfig: {EndpointsConfig: {[networkName]: {Aliases: [serviceName]}}},
	});
	await created.start();
	return {id: created.id, retained};
}

function ignoreNotModified(error: {statusCode?: number}): void {
	if (error.statusCode !== 304) throw error;
}
