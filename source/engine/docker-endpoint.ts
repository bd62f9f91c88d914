import {existsSync} from 'node:fs';
import path from 'node:path';
import type {DockerTarget} from '../core/adapters.js';
import {resolveConfigPath} from '../core/config-path.js';
import {chosenDockerContext, readDockerContext} from './docker-contexts.js';
import {parseSshAddress, type SshDestination} from './ssh-destination.js';
import type {TlsSettings} from './tls-material.js';

export const defaultDockerHost = 'unix:///var/run/docker.sock';

/** How to reach one engine, resolved from an environment's `docker:` block and the process environment. */
export type Endpoint =
	| {readonly kind: 'socket'; readonly address: string; readonly socketPath: string}
	| {readonly kind: 'tcp'; readonly address: string; readonly hostname: string; readonly port: number; readonly tls: TlsSettings | undefined}
	| {readonly kind: 'ssh'; readonly address: string; readonly destination: SshDestination};

export type EndpointSettings = {
	/** The process environment: DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY, DOCKER_TLS. */
	readonly environment: NodeJS.ProcessEnv;
	/** Relative TLS paths in environment files start here. */
	readonly projectRoot: string;
	readonly home: string;
};

/** TLS as the Docker CLI takes it from its environment: DOCKER_TLS_VERIFY (or DOCKER_TLS, unverified) and DOCKER_CERT_PATH's ca.pem, cert.pem, key.pem. */
function tlsFromEnvironment(settings: EndpointSettings): TlsSettings | undefined {
	const {environment} = settings;
	const verify = Boolean(environment['DOCKER_TLS_VERIFY']);
	if (!verify && !environment['DOCKER_TLS']) return undefined;
	const folder = environment['DOCKER_CERT_PATH'] || path.join(environment['DOCKER_CONFIG'] || path.join(settings.home, '.docker'));
	const file = (name: string) => (existsSync(path.join(folder, name)) ? path.join(folder, name) : undefined);
	return {ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem'), verify, origin: `DOCKER_CERT_PATH ${folder}`};
}

function tlsFromFile(docker: DockerTarget, settings: EndpointSettings): TlsSettings | undefined {
	if (!docker.tls) return undefined;
	const resolve = (value: string | undefined) => (value === undefined ? undefined : resolveConfigPath(value, {root: settings.projectRoot, home: settings.home}));
	return {ca: resolve(docker.tls.ca), cert: resolve(docker.tls.cert), key: resolve(docker.tls.key), verify: docker.tls.verify, origin: 'docker.tls'};
}

/**
 * An address to an endpoint. A tcp:// engine speaks TLS when it is given TLS settings, when the
 * Docker CLI's variables ask for it, or on 2376, the port Docker reserves for TLS (then checked
 * against the system's CAs).
 */
function endpointFor(address: string, tls: TlsSettings | undefined, tlsOnItsPort = true): Endpoint {
	if (address.startsWith('unix://')) return {kind: 'socket', address, socketPath: address.slice('unix://'.length) || '/var/run/docker.sock'};
	if (address.startsWith('npipe://')) return {kind: 'socket', address, socketPath: address.slice('npipe://'.length) || '//./pipe/docker_engine'};
	if (address.startsWith('ssh://')) return {kind: 'ssh', address, destination: parseSshAddress(address)};
	if (!address.startsWith('tcp://')) throw new Error(`${address} is not a unix://, tcp://, ssh:// or npipe:// address`);
	const url = new URL(address);
	const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
	const settings = tls ?? (port === 2376 && tlsOnItsPort ? {ca: undefined, cert: undefined, key: undefined, verify: true, origin: 'port 2376'} : undefined);
	return {kind: 'tcp', address, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, tls: settings};
}

function endpointOfContext(name: string, settings: EndpointSettings): Endpoint {
	const context = readDockerContext(name, settings.environment, settings.home);
	if (!context.host) return endpointFor(defaultDockerHost, undefined);
	const {ca, cert, key} = context.tls;
	const tls = ca || cert || key || context.skipTlsVerify ? {ca, cert, key, verify: !context.skipTlsVerify, origin: `context "${name}"`} : undefined;
	// A context's TLS is all it says: no TLS material means plain TCP, as the Docker CLI does.
	return endpointFor(context.host, tls, false);
}

/**
 * The engine an environment uses, in the Docker CLI's order: its `docker.context` or
 * `docker.host`, else DOCKER_HOST, else DOCKER_CONTEXT or the CLI's current context, else the
 * local socket. Throws a sentence for people when a context cannot be read or an address is bad.
 */
export function resolveEndpoint(docker: DockerTarget, settings: EndpointSettings): Endpoint {
	const {environment} = settings;
	if (docker.context && docker.context !== 'default') return endpointOfContext(docker.context, settings);
	if (docker.host) return endpointFor(docker.host, tlsFromFile(docker, settings) ?? tlsFromEnvironment(settings));
	const fromEnvironment = environment['DOCKER_HOST'];
	if (fromEnvironment) return endpointFor(fromEnvironment.includes('://') ? fromEnvironment : `tcp://${fromEnvironment}`, tlsFromEnvironment(settings));
	const chosen = chosenDockerContext(environment, settings.home);
	if (chosen && chosen !== 'default') return endpointOfContext(chosen, settings);
	return endpointFor(defaultDockerHost, undefined);
}
