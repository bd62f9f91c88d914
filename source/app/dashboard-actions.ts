import {createInterface} from 'node:readline';
import {PassThrough} from 'node:stream';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {createRedactor, isSecretName, maskAssignment} from '../core/secrets.js';
import {resolveDockerHost} from '../engine/docker-host.js';
import {describeHolder} from '../state/lock-store.js';
import type {PromotionSource, RollbackSource} from './operation-face.js';
import type {OperationServices} from './operation-services.js';

/** Everything `i` shows of a container, secrets already masked. */
export type ContainerDetails = {
	readonly id: string;
	readonly name: string;
	readonly image: string;
	readonly state: string;
	readonly health: string;
	readonly restarts: number;
	readonly createdAt: string;
	readonly startedAt: string | null;
	readonly command: string;
	readonly environment: readonly string[];
	readonly labels: ReadonlyArray<readonly [string, string]>;
	readonly ports: readonly string[];
	readonly networks: readonly string[];
	readonly healthLog: readonly string[];
};

export type ActionResult = {readonly ok: boolean; readonly message: string};

/** What the dashboard can do beyond watching; the UI sees this interface and nothing of Docker. */
export type DashboardActions = {
	/** Why the environment may not be changed from here, or undefined when it may. */
	readOnlyReason(env: string): string | undefined;
	restartContainer(env: string, containerId: string): Promise<ActionResult>;
	inspectContainer(env: string, containerId: string): Promise<ContainerDetails>;
	/** The promotion wizard's source (the same flow as `opsconsole promote`). */
	promotionSource(): PromotionSource;
	/** The rollback picker's source for ENV (the same flow as `opsconsole rollback`). */
	rollbackSource(env: string): RollbackSource;
	/** Streams the container's log (last lines, then follows) until `signal` aborts. */
	streamLogs(env: string, containerId: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
};

export function createDashboardActions(services: OperationServices, readOnlyEnvironments: readonly string[]): DashboardActions {
	const environmentNamed = (name: string): EnvironmentConfig => {
		const environment = services.project.environments.find(candidate => candidate.name === name);
		if (!environment) throw new Error(`no environment ${name}`);
		return environment;
	};

	const dockerFor = (env: string) => services.engines.engineFor(resolveDockerHost(environmentNamed(env).docker.host));
	const audit = (action: string, env: string, outcome: string, detail?: string) => services.audit.record(services.identity, {action, env, outcome, ...(detail ? {detail} : {})});

	const readOnlyReason = (env: string): string | undefined => {
		if (services.readOnly) return 'opsconsole runs read-only';
		if (environmentNamed(env).readOnly) return `${env} is read-only (its environment file says so)`;
		if (readOnlyEnvironments.includes(env)) return `${env} is read-only in your preferences`;
		return undefined;
	};

	return {
		readOnlyReason,
		promotionSource() {
			const source = async () => (await import('./promotion-source.js')).createPromotionSource(services, readOnlyReason);
			return {
				loadChoices: async () => (await source()).loadChoices(),
				startPromotion: (from, to) => async hooks => (await source()).startPromotion(from, to)(hooks),
			};
		},
		// Loaded on first use: the rollback machinery (recipes, builds) is not needed to draw the dashboard.
		rollbackSource(env) {
			const source = async () => (await import('./rollback-targets.js')).createRollbackSource(services, env);
			return {
				loadCandidates: async () => (await source()).loadCandidates(),
				commitsUndone: async candidate => (await source()).commitsUndone(candidate),
				startRollback: candidate => async hooks => (await source()).startRollback(candidate)(hooks),
			};
		},

		async restartContainer(env, containerId) {
			const refusal = readOnlyReason(env);
			if (refusal) return {ok: false, message: `restart refused: ${refusal}`};
			const engine = dockerFor(env);
			const info = await engine.inspectIfPresent(containerId);
			const name = info?.Name.replace(/^\//, '') ?? containerId.slice(0, 12);
			const lock = services.locks.read(env);
			if (lock) {
				audit(`restart ${name}`, env, 'refused', describeHolder(lock));
				return {ok: false, message: `restart refused: ${env} is locked by ${describeHolder(lock)}`};
			}

			try {
				services.locks.acquire({env, operator: services.identity.operator, host: services.identity.host, pid: process.pid, action: `restart ${name}`, message: null});
			} catch (error) {
				return {ok: false, message: `restart refused: ${(error as Error).message}`};
			}

			try {
				await engine.docker.getContainer(containerId).restart({t: 10});
				audit(`restart ${name}`, env, 'succeeded');
				return {ok: true, message: `restarted ${name}`};
			} catch (error) {
				audit(`restart ${name}`, env, 'failed', (error as Error).message);
				return {ok: false, message: `restart of ${name} failed: ${(error as Error).message}`};
			} finally {
				services.locks.release(env, {operator: services.identity.operator, ownPid: process.pid});
			}
		},

		async inspectContainer(env, containerId) {
			const info = await dockerFor(env).inspectIfPresent(containerId);
			if (!info) throw new Error('the container is gone');
			const ports = Object.entries(info.NetworkSettings.Ports ?? {}).flatMap(([port, bindings]) =>
				(bindings ?? []).map(binding => `${binding.HostIp || '0.0.0.0'}:${binding.HostPort} → ${port}`));
			return {
				id: info.Id,
				name: info.Name.replace(/^\//, ''),
				image: info.Config.Image,
				state: info.State.Status,
				health: info.State.Health?.Status ?? 'none',
				restarts: info.RestartCount,
				createdAt: info.Created,
				startedAt: info.State.StartedAt ?? null,
				command: [...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])].join(' '),
				environment: (info.Config.Env ?? []).map(assignment => maskAssignment(assignment)),
				labels: Object.entries(info.Config.Labels ?? {}).sort(([a], [b]) => a.localeCompare(b)),
				ports,
				networks: Object.keys(info.NetworkSettings.Networks ?? {}),
				healthLog: (info.State.Health?.Log ?? []).slice(-3).map(entry => `${entry.ExitCode === 0 ? 'ok' : `exit ${entry.ExitCode}`} ${entry.Output.trim()}`),
			};
		},

		async streamLogs(env, containerId, onLine, signal) {
			const engine = dockerFor(env);
			const info = await engine.inspectIfPresent(containerId);
			if (!info) throw new Error('the container is gone');
			// Mask the container's own secrets too: its log may well print them.
			const containerSecrets = Object.fromEntries((info.Config.Env ?? []).map(assignment => {
				const separator = assignment.indexOf('=');
				return [assignment.slice(0, separator), assignment.slice(separator + 1)];
			}).filter(([name]) => isSecretName(name!)));
			const redact = createRedactor({...process.env, ...containerSecrets});
			const container = engine.docker.getContainer(containerId);
			const stream = await container.logs({follow: true, stdout: true, stderr: true, tail: 500, abortSignal: signal}) as unknown as NodeJS.ReadableStream;
			const lines = new PassThrough();
			if (info.Config.Tty) stream.pipe(lines);
			else engine.docker.modem.demuxStream(stream, lines, lines);
			const reader = createInterface({input: lines, crlfDelay: Number.POSITIVE_INFINITY});
			reader.on('line', line => onLine(redact(line)));
			await new Promise<void>(resolve => {
				stream.on('end', resolve);
				stream.on('error', () => resolve());
				signal.addEventListener('abort', () => {
					(stream as unknown as {destroy?: () => void}).destroy?.();
					resolve();
				}, {once: true});
			});
			reader.close();
		},
	};
}
