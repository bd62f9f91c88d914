import type Docker from 'dockerode';
import {composeProjectLabel} from './docker-engine.js';

export type RemovedResources = {containers: number; networks: number; images: number};

/** Removes every container and network labelled with a compose project. */
export async function removeComposeProject(docker: Docker, project: string): Promise<Omit<RemovedResources, 'images'>> {
	const filter = {label: [`${composeProjectLabel}=${project}`]};
	const containers = await docker.listContainers({all: true, filters: filter});
	await Promise.all(containers.map(async container => docker.getContainer(container.Id).remove({force: true, v: true})));
	const networks = await docker.listNetworks({filters: filter});
	await Promise.all(networks.map(async network => docker.getNetwork(network.Id).remove()));
	return {containers: containers.length, networks: networks.length};
}

/** Removes every image carrying `label=value` (images built by opsconsole for one project). */
export async function removeImagesLabelled(docker: Docker, label: string, value: string): Promise<number> {
	const images = await docker.listImages({filters: {label: [`${label}=${value}`]}});
	let removed = 0;
	for (const image of images) {
		try {
			await docker.getImage(image.Id).remove({force: true});
			removed++;
		} catch (error) {
			if ((error as {statusCode?: number}).statusCode !== 404) throw error;
		}
	}

	return removed;
}
