import {runningCommit} from '../core/container.js';
import {branchDrift, upstreamDrift} from '../core/drift.js';
import {holdsIn} from '../core/holds.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import {environmentNamed, upstreamOf} from '../core/pipeline.js';
import type {EnvironmentStatus, StatusSources} from './collect-status.js';

/**
 * The holds in force, and the drift one environment's containers cannot show: a branch moved outside opsconsole (from
 * history), and a stage running what its upstream does not contain (from git). The upstream is
 * read live when it was not among the environments asked for.
 */
export async function addPipelineDrift(sources: StatusSources, environments: readonly EnvironmentConfig[], statuses: readonly EnvironmentStatus[]): Promise<EnvironmentStatus[]> {
	const {collectEnvironmentStatus} = await import('./collect-status.js');
	return Promise.all(statuses.map(async status => {
		if (!status.engine.reachable) return status;
		const environment = environmentNamed(environments, status.name);
		const upstream = upstreamOf(environments, status.name);
		const running = runningCommit(status.containers) ?? null;
		const drift = [...status.drift, ...branchDrift({branch: status.branch, firstStage: upstream === undefined, branchHead: status.commit, running, releases: sources.state.releases.list({env: status.name})})];
		if (upstream && running) {
			const upstreamStatus = statuses.find(other => other.name === upstream.name) ?? await collectEnvironmentStatus(sources, environments, upstream);
			const upstreamRunning = upstreamStatus.engine.reachable ? runningCommit(upstreamStatus.containers) : undefined;
			if (upstreamRunning) {
				const upstreamContains = await sources.git.isAncestor(running, upstreamRunning).catch(() => true);
				drift.push(...upstreamDrift({env: environment.name, upstream: upstream.name, running, upstreamRunning, upstreamContains}));
			}
		}

		const gates = sources.state.gates;
		const holds = gates ? holdsIn(status.name, sources.state.releases.list({env: status.name}), gates.read()) : [];
		return {...status, drift, holds};
	}));
}
