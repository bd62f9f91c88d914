import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

/** A Docker CLI context's engine endpoint. */
export type DockerContextEndpoint = {
	readonly name: string;
	readonly host: string | undefined;
	readonly skipTlsVerify: boolean;
	/** TLS files stored with the context (`docker context create --docker ca=…,cert=…,key=…`), those that exist. */
	readonly tls: {readonly ca: string | undefined; readonly cert: string | undefined; readonly key: string | undefined};
};

/** A context that cannot be used, worded for people. */
export class DockerContextError extends Error {
	override name = 'DockerContextError';
}

/** The Docker CLI's configuration folder: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigFolder(environment: NodeJS.ProcessEnv, home: string): string {
	return environment['DOCKER_CONFIG'] || path.join(home, '.docker');
}

/** The context a person chose for their Docker CLI: DOCKER_CONTEXT, else config.json's currentContext. */
export function chosenDockerContext(environment: NodeJS.ProcessEnv, home: string): string | undefined {
	const fromEnvironment = environment['DOCKER_CONTEXT'];
	if (fromEnvironment) return fromEnvironment;
	try {
		const config = JSON.parse(readFileSync(path.join(dockerConfigFolder(environment, home), 'config.json'), 'utf8')) as {currentContext?: unknown};
		return typeof config.currentContext === 'string' && config.currentContext ? config.currentContext : undefined;
	} catch {
		return undefined;
	}
}

/** The store keys a context by the SHA-256 of its name (cli/context/store). */
const contextId = (name: string) => createHash('sha256').update(name).digest('hex');

function knownContexts(metaFolder: string): string[] {
	let ids: string[];
	try {
		ids = readdirSync(metaFolder);
	} catch {
		return [];
	}

	return ids.flatMap(id => {
		try {
			const {Name} = JSON.parse(readFileSync(path.join(metaFolder, id, 'meta.json'), 'utf8')) as {Name?: unknown};
			return typeof Name === 'string' ? [Name] : [];
		} catch {
			return [];
		}
	}).sort();
}

/**
 * Reads a context from the Docker CLI's store (`contexts/meta/<sha256>/meta.json`, TLS files in
 * `contexts/tls/<sha256>/docker/`), as `docker context create` wrote it.
 */
export function readDockerContext(name: string, environment: NodeJS.ProcessEnv, home: string): DockerContextEndpoint {
	const store = path.join(dockerConfigFolder(environment, home), 'contexts');
	const id = contextId(name);
	const metaFile = path.join(store, 'meta', id, 'meta.json');
	let meta: {Name?: unknown; Endpoints?: {docker?: {Host?: unknown; SkipTLSVerify?: unknown}}};
	try {
		meta = JSON.parse(readFileSync(metaFile, 'utf8')) as typeof meta;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			const known = ['default', ...knownContexts(path.join(store, 'meta'))];
			throw new DockerContextError(`no Docker context "${name}" in ${store} (known: ${known.join(', ')}) — create it with \`docker context create ${name} --docker host=…\`, or fix docker.context / DOCKER_CONTEXT`);
		}

		throw new DockerContextError(`cannot read Docker context "${name}" (${metaFile}): ${(error as Error).message}`);
	}

	const endpoint = meta.Endpoints?.docker;
	const host = typeof endpoint?.Host === 'string' && endpoint.Host ? endpoint.Host : undefined;
	const tlsFolder = path.join(store, 'tls', id, 'docker');
	const tlsFile = (file: string) => (existsSync(path.join(tlsFolder, file)) ? path.join(tlsFolder, file) : undefined);
	return {
		name,
		host,
		skipTlsVerify: endpoint?.SkipTLSVerify === true,
		tls: {ca: tlsFile('ca.pem'), cert: tlsFile('cert.pem'), key: tlsFile('key.pem')},
	};
}
