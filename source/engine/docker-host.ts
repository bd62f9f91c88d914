import type {DockerOptions} from 'dockerode';

export const defaultDockerHost = 'unix:///var/run/docker.sock';

/** The engine address an environment uses: its `docker.host`, else DOCKER_HOST, else the local socket. */
export function resolveDockerHost(configured: string | undefined, environment: NodeJS.ProcessEnv = process.env): string {
	const fromEnvironment = environment['DOCKER_HOST'];
	if (configured) return configured;
	if (!fromEnvironment) return defaultDockerHost;
	return fromEnvironment.includes('://') ? fromEnvironment : `tcp://${fromEnvironment}`;
}

/** dockerode connection options for an address, with an idle timeout so nothing hangs. */
export function dockerOptionsFor(host: string, timeoutMs: number | undefined): DockerOptions {
	const timeout = timeoutMs === undefined ? {} : {timeout: timeoutMs};
	if (host.startsWith('unix://')) return {socketPath: host.slice('unix://'.length) || '/var/run/docker.sock', ...timeout};
	if (host.startsWith('npipe://')) return {socketPath: host.slice('npipe://'.length) || '//./pipe/docker_engine', ...timeout};
	const url = new URL(host);
	if (url.protocol === 'ssh:') {
		return {
			protocol: 'ssh',
			host: url.hostname,
			port: url.port ? Number(url.port) : 22,
			username: url.username || undefined,
			sshOptions: {agent: process.env['SSH_AUTH_SOCK'], readyTimeout: timeoutMs ?? 20_000},
			...timeout,
		} as DockerOptions;
	}

	const secure = process.env['DOCKER_TLS_VERIFY'] === '1' || url.port === '2376';
	return {protocol: secure ? 'https' : 'http', host: url.hostname, port: url.port ? Number(url.port) : secure ? 2376 : 2375, ...timeout};
}
