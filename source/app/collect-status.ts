import {currentRelease, runningCommit, type ContainerSnapshot} from '../core/container.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {rollupHealth, type EnvironmentHealth, type ProbeResult} from '../core/health.js';
import {upstreamOf} from '../core/pipeline.js';
import type {ReleaseRecord} from '../core/release.js';
import type {Engine, Engines, Git, Probes, StateStores} from '../core/adapters.js';
import {attentionFor} from '../core/attention.js';
import type {LockState} from '../core/lock.js';
import type {CommitSummary} from '../core/commit.js';
import {containerDrift} from '../core/drift.js';
import type {Hold} from '../core/holds.js';
import {EngineUnavailableError} from '../core/errors.js';
import type {NodeSnapshot, ServiceSnapshot} from '../core/swarm.js';

/** A swarm environment's stack as status shows it; `error` says why it could not be read. */
export type SwarmStatus = {
	readonly stack: string;
	readonly services: readonly ServiceSnapshot[];
	readonly nodes: readonly NodeSnapshot[];
	readonly error: string | null;
};

/** What a swarm environment adds to its status parts (made by app/swarm-status.ts, loaded only for swarms). */
export type SwarmStatusPart = {
	readonly view: SwarmStatus;
	/** Health, reasons and what runs, from the services and the latest probes. */
	readonly summarize: (probes: readonly ProbeResult[]) => {health: EnvironmentHealth; reasons: readonly string[]; release: string | undefined; commit: string | undefined};
};
import {addPipelineDrift} from './pipeline-drift.js';

/** Everything `status` reports of one environment at one moment. */
export type EnvironmentStatus = {
	readonly name: string;
	readonly title: string;
	readonly health: EnvironmentHealth;
	readonly reasons: readonly string[];
	readonly branch: string;
	/** The branch head, or null when the branch does not exist (see `vcsError`). */
	readonly commit: string | null;
	/** The environment upstream of this one in the pipeline, whose commits are pending here. */
	readonly upstream: string | null;
	/** How many commits the upstream branch has that this one lacks; null without an upstream or a branch. */
	readonly pending: number | null;
	readonly pendingCommits: readonly CommitSummary[];
	readonly vcsError: string | null;
	/** `caution`: what the operator must know about the connection (TLS verification off). */
	readonly engine: {readonly host: string; readonly reachable: boolean; readonly error: string | null; readonly caution: string | null};
	/** The release the containers carry (from the `opsconsole.release` label), if any. */
	readonly release: string | null;
	readonly containers: readonly ContainerSnapshot[];
	/** The commit the environment runs (its containers' or services' `opsconsole.commit` label), if any. */
	readonly runningCommit: string | null;
	/** A swarm environment's services, tasks and nodes; null for single-host containers. */
	readonly swarm: SwarmStatus | null;
	readonly probes: readonly ProbeResult[];
	/** What needs an operator beyond health (core/attention.ts), each with its remedy; empty when nothing. */
	readonly attention: readonly string[];
	/** Who holds the environment's lock, if anyone. */
	readonly lock: LockState | null;
	/** Where what runs differs from the record, the branch or the upstream stage (core/drift.ts); empty when none. */
	readonly drift: readonly string[];
	/** Commits held here after a failure or rollback (core/holds.ts); read with history, so `status` has them. */
	readonly holds?: readonly Hold[];
};

/** The adapters a status read uses. */
export type StatusSources = {
	readonly engines: Engines;
	readonly git: Git;
	readonly probes: Probes;
	readonly state: Pick<StateStores, 'releases' | 'locks'> & Partial<Pick<StateStores, 'gates'>>;
};

export type GitState = Pick<EnvironmentStatus, 'commit' | 'pending' | 'pendingCommits' | 'vcsError'>;

async function readGitState(git: Git, environment: EnvironmentConfig, upstream: EnvironmentConfig | undefined): Promise<GitState> {
	try {
		// Both heads asked at once, so every environment's reads share one git process.
		const [commit, upstreamHead] = await Promise.all([git.branchHead(environment.branch), upstream ? git.branchHead(upstream.branch) : undefined]);
		if (!commit) return {commit: null, pending: null, pendingCommits: [], vcsError: `branch "${environment.branch}" does not exist`};
		if (!upstreamHead) return {commit, pending: null, pendingCommits: [], vcsError: null};
		// Counted first: an empty log prints nothing, which simple-git makes wait 50 ms (see GitRepository).
		const pending = await git.countCommitsBetween(commit, upstreamHead);
		const pendingCommits = pending === 0 ? [] : await git.commitsBetween(commit, upstreamHead, 50);
		return {commit, pending, pendingCommits, vcsError: null};
	} catch (error) {
		return {commit: null, pending: null, pendingCommits: [], vcsError: (error as Error).message};
	}
}

/** An environment's containers, or why its engine could not be read (never throws for that). */
export async function readEnvironmentContainers(sources: Pick<StatusSources, 'engines'>, environment: EnvironmentConfig): Promise<{containers: ContainerSnapshot[]; engineError: string | undefined}> {
	try {
		return {containers: await sources.engines.engineFor(environment.docker).listEnvironmentContainers(environment.docker.project), engineError: undefined};
	} catch (error) {
		if (error instanceof EngineUnavailableError) return {containers: [], engineError: error.message};
		throw error;
	}
}

/** The parts an environment's status is made of, each read by its own adapter. */
export type StatusParts = {
	readonly containers: readonly ContainerSnapshot[];
	readonly engineError: string | undefined;
	readonly git: GitState;
	readonly probes: readonly ProbeResult[];
	/** The environment's newest release on record. */
	readonly latest: ReleaseRecord | undefined;
	readonly lock: LockState | undefined;
	readonly swarm?: SwarmStatusPart;
};

/** Puts the parts together with the health rollup; the one shape both `status` and the live view show. */
export function composeEnvironmentStatus(environments: readonly EnvironmentConfig[], environment: EnvironmentConfig, engine: Pick<Engine, 'host' | 'caution'>, parts: StatusParts): EnvironmentStatus {
	const {containers, engineError, probes} = parts;
	const swarm = parts.swarm && engineError === undefined ? parts.swarm.summarize(probes) : undefined;
	const {health, reasons} = swarm ?? rollupHealth({engineError, containers, probes});
	const running = swarm ? swarm.commit : runningCommit(containers);
	const firstStage = upstreamOf(environments, environment.name) === undefined;
	return {
		name: environment.name,
		title: environment.title ?? environment.name,
		health,
		reasons,
		branch: environment.branch,
		upstream: upstreamOf(environments, environment.name)?.name ?? null,
		...parts.git,
		engine: {host: engine.host, reachable: engineError === undefined, error: engineError ?? null, caution: engine.caution ?? null},
		release: (swarm ? swarm.release : currentRelease(containers)) ?? null,
		containers,
		runningCommit: running ?? null,
		swarm: parts.swarm?.view ?? null,
		probes,
		attention: engineError === undefined ? attentionFor({env: environment.name, branch: environment.branch, firstStage, branchHead: parts.git.commit, runningCommit: running ?? null, latest: parts.latest, lock: parts.lock}) : [],
		lock: parts.lock ?? null,
		drift: engineError === undefined ? containerDrift(environment, containers, parts.latest) : [],
	};
}

/** The newest release on record for an environment (reading it also finds one whose process died). */
export function latestRelease(sources: Pick<StatusSources, 'state'>, environment: EnvironmentConfig): ReleaseRecord | undefined {
	return sources.state.releases.list({env: environment.name, limit: 1})[0];
}

export async function readEnvironmentGit(git: Git, environments: readonly EnvironmentConfig[], environment: EnvironmentConfig): Promise<GitState> {
	return readGitState(git, environment, upstreamOf(environments, environment.name));
}

export async function runEnvironmentProbes(sources: Pick<StatusSources, 'probes'>, environment: EnvironmentConfig): Promise<ProbeResult[]> {
	return Promise.all(environment.probes.map(async probe => sources.probes.run(probe)));
}

/** A swarm environment's stack as a status part (its code loaded only for swarms); unreachable engines say so as the containers do. */
export async function readSwarmPart(sources: Pick<StatusSources, 'engines'>, environment: EnvironmentConfig): Promise<{swarm?: SwarmStatusPart; engineError?: string}> {
	if (environment.docker.mode !== 'swarm') return {};
	const {readEnvironmentStack, swarmStatusPart} = await import('./swarm-status.js');
	try {
		return {swarm: swarmStatusPart(environment.docker.stack!, await readEnvironmentStack(sources.engines, environment))};
	} catch (error) {
		if (error instanceof EngineUnavailableError) return {engineError: error.message};
		throw error;
	}
}

/** Reads one environment's containers (or stack), git state and probes concurrently, never throwing for an unreachable engine. */
export async function collectEnvironmentStatus(sources: StatusSources, environments: readonly EnvironmentConfig[], environment: EnvironmentConfig): Promise<EnvironmentStatus> {
	const [{containers, engineError}, git, probes, swarm] = await Promise.all([
		readEnvironmentContainers(sources, environment),
		readEnvironmentGit(sources.git, environments, environment),
		runEnvironmentProbes(sources, environment),
		readSwarmPart(sources, environment),
	]);
	return composeEnvironmentStatus(environments, environment, sources.engines.engineFor(environment.docker), {containers, engineError: engineError ?? swarm.engineError, git, probes, latest: latestRelease(sources, environment), lock: sources.state.locks.read(environment.name), ...(swarm.swarm ? {swarm: swarm.swarm} : {})});
}

export async function collectStatus(sources: StatusSources, environments: readonly EnvironmentConfig[], selected = environments): Promise<EnvironmentStatus[]> {
	const statuses = await Promise.all(selected.map(async environment => collectEnvironmentStatus(sources, environments, environment)));
	return addPipelineDrift(sources, environments, statuses);
}
