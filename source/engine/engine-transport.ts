import {Agent as HttpAgent, type AgentOptions} from 'node:http';
import {Agent as HttpsAgent} from 'node:https';
import {isIP} from 'node:net';
import type {DockerOptions} from 'dockerode';
import type {Endpoint} from './docker-endpoint.js';
import {describeEngineError} from './engine-errors.js';
import {SshAgent} from './ssh-agent.js';
import {SshConnection} from './ssh-connection.js';
import {loadTlsContext, type TlsSettings} from './tls-material.js';

/** How dockerode reaches one engine. */
export type Transport = {
	/** The engine's address, as DOCKER_HOST would name it. */
	readonly address: string;
	/** What the operator must know about this connection (TLS verification turned off). */
	readonly caution: string | undefined;
	/** Resolves once requests can be sent (an ssh master is up); rejects with an error `describe` can read. */
	connect(): Promise<void>;
	/** dockerode options for requests, or for one long-lived events stream; throws when TLS files cannot be used. */
	clientOptions(purpose: 'requests' | 'events'): DockerOptions;
	/** A person's reading of an error on this connection, with the remedy. */
	describe(error: unknown, timeoutMs: number): string;
	/** Ends every connection (an ssh master and its channels). */
	close(): void;
};

export type TransportOptions = {
	/** `ssh -F`: an ssh config file instead of ~/.ssh/config. */
	readonly sshConfigFile: string | undefined;
	readonly connectTimeoutMs: number;
};

/**
 * docker-modem fills in whatever options are left out from DOCKER_HOST and DOCKER_CERT_PATH, so
 * every connection option is named, if only as undefined; and `protocol` is never `ssh`, which
 * would load dockerode's own SSH client (ssh2).
 */
const blank = {socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined, agent: undefined, sshOptions: undefined} as const;

function tlsCaution(tls: TlsSettings | undefined): string | undefined {
	return tls && !tls.verify ? `TLS verification is OFF (${tls.origin}): the engine's identity is not checked` : undefined;
}

/**
 * Plain HTTP names no TLS server, yet Node's agent works one out for each request and tests it
 * against its IPv6 pattern: 5–7 ms of a process's first requests. Naming none (an empty name,
 * which Node's agent, in normalizeServerName, takes as given) skips that.
 */
const noServerName = {servername: ''} as AgentOptions;

/** An agent for plain HTTP, set up as Node's global agent is, less the server name. */
function plainHttpAgent(): HttpAgent {
	return new HttpAgent({keepAlive: true, scheduling: 'lifo', timeout: 5000, ...noServerName});
}

function socketTransport(endpoint: Extract<Endpoint, {kind: 'socket'}>): Transport {
	let agent: HttpAgent | undefined;
	return {
		address: endpoint.address,
		caution: undefined,
		connect: async () => undefined,
		clientOptions() {
			agent ??= plainHttpAgent();
			return {...blank, socketPath: endpoint.socketPath, protocol: 'http', agent} as DockerOptions;
		},
		describe: (error, timeoutMs) => describeEngineError(error, endpoint.address, timeoutMs),
		close: () => agent?.destroy(),
	};
}

function tcpTransport(endpoint: Extract<Endpoint, {kind: 'tcp'}>): Transport {
	const {tls} = endpoint;
	let agent: HttpAgent | undefined;
	const agentFor = (): HttpAgent => {
		agent ??= tls
			? new HttpsAgent({
				keepAlive: true,
				// Resuming a TLS session on another connection trips some TLS front ends (socat, forking per connection); keep-alive makes resumption moot.
				maxCachedSessions: 0,
				secureContext: loadTlsContext(tls),
				rejectUnauthorized: tls.verify,
				...(isIP(endpoint.hostname) ? {} : {servername: endpoint.hostname}),
			})
			: plainHttpAgent();
		return agent;
	};

	return {
		address: endpoint.address,
		caution: tlsCaution(tls),
		connect: async () => undefined,
		clientOptions: () => ({
			...blank,
			host: endpoint.hostname,
			port: endpoint.port,
			protocol: tls ? 'https' : 'http',
			agent: agentFor(),
		}) as DockerOptions,
		describe: (error, timeoutMs) => describeEngineError(error, endpoint.address, timeoutMs, tls),
		close: () => agent?.destroy(),
	};
}

function sshTransport(endpoint: Extract<Endpoint, {kind: 'ssh'}>, options: TransportOptions): Transport {
	const connection = new SshConnection(endpoint.destination, {configFile: options.sshConfigFile, connectTimeoutMs: options.connectTimeoutMs});
	// MaxSessions on the server (10 by default) bounds the channels of one connection: a few for requests, one for events, one for a log.
	const requests = new SshAgent(connection, {keepAlive: true, maxSockets: 6, timeout: 120_000, ...noServerName});
	const events = new SshAgent(connection, {keepAlive: false, ...noServerName});
	return {
		address: endpoint.address,
		caution: undefined,
		connect: async () => connection.connect(),
		clientOptions: purpose => ({...blank, host: 'docker', port: 80, protocol: 'http', agent: purpose === 'events' ? events : requests}) as DockerOptions,
		describe(error, timeoutMs) {
			// A channel that ends mid-request reads as a reset; what happened is the connection's story.
			if ((error as {code?: string}).code === 'ECONNRESET') return connection.lost ?? `the ssh connection to ${connection.destination} closed during a request`;
			return describeEngineError(error, endpoint.address, timeoutMs);
		},
		close() {
			requests.destroy();
			events.destroy();
			connection.close();
		},
	};
}

export function createTransport(endpoint: Endpoint, options: TransportOptions): Transport {
	if (endpoint.kind === 'socket') return socketTransport(endpoint);
	if (endpoint.kind === 'tcp') return tcpTransport(endpoint);
	return sshTransport(endpoint, options);
}

/** An engine whose address could not even be resolved (an unknown context): every use says why. */
export function unresolvedTransport(address: string, reason: string): Transport {
	const failure = () => new Error(reason);
	return {
		address,
		caution: undefined,
		connect: async () => {
			throw failure();
		},
		clientOptions: () => {
			throw failure();
		},
		describe: () => reason,
		close: () => undefined,
	};
}
