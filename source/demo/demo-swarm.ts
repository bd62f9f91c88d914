import {isMap, isSeq, parseDocument} from 'yaml';

/**
 * A demo environment file made to run on a swarm: its stack is named after the demo and the
 * environment, its web service is published through the swarm's routing mesh on the same port.
 * Its probes go: the routing mesh is not reachable on every machine (nested or rootless engines),
 * and health comes from the tasks' own health checks.
 */
export function swarmEnvironmentFile(text: string, slug: string): string {
	const document = parseDocument(text);
	const name = String(document.get('name'));
	const docker = document.get('docker');
	if (isMap(docker)) {
		docker.delete('project');
		docker.set('mode', 'swarm');
		docker.set('stack', `${slug}-${name}`);
	}

	const probes = document.get('probes');
	if (isSeq(probes)) document.delete('probes');
	return document.toString();
}
