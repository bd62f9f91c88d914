import {activeContainers, runningCommit, type ContainerSnapshot} from './container.js';
import type {EnvironmentConfig} from './environment-schema.js';
import {imageTagFor, type ReleaseRecord} from './release.js';
import {shortSha} from './words.js';

/** The commit the newest release on record left running: its own when it succeeded, the one it went back to when rolled back; null when the record cannot say. */
export function commitLeftBy(release: ReleaseRecord | undefined): string | null {
	if (!release) return null;
	if (release.outcome === 'succeeded') return release.commit;
	if (release.outcome === 'rolled-back') return release.previous;
	return null;
}

/**
 * Where what runs differs from what opsconsole recorded, read from the containers alone: a
 * container without release labels (started by hand), containers on a commit the last release
 * did not leave, an image that is not the release's tag (retagged or swapped by hand).
 */
export function containerDrift(environment: Pick<EnvironmentConfig, 'name' | 'services'>, containers: readonly ContainerSnapshot[], latest: ReleaseRecord | undefined): string[] {
	const drift: string[] = [];
	const active = activeContainers(containers).filter(container => container.state === 'running' || container.state === 'restarting');
	for (const container of active) {
		if (!container.release || !container.commit) drift.push(`${container.name} runs without opsconsole's release labels (started by hand?)`);
	}

	const running = runningCommit(containers);
	const expected = commitLeftBy(latest);
	if (running && expected && running !== expected) {
		drift.push(`runs ${shortSha(running)}, but the last recorded release (${latest!.id}, ${latest!.outcome}) left ${shortSha(expected)}`);
	}

	for (const container of active) {
		const service = container.service ? environment.services[container.service] : undefined;
		if (!service || !container.commit || !container.release) continue;
		const tag = imageTagFor(service, container.commit);
		if (container.image !== tag && !container.image.startsWith('sha256:')) drift.push(`${container.name} runs image ${container.image}, not its release's ${tag} (retagged or replaced by hand?)`);
	}

	return drift;
}

/** A branch that moved outside opsconsole: its head is what runs in no release on record and not what runs now. */
export function branchDrift(facts: {readonly branch: string; readonly firstStage: boolean; readonly branchHead: string | null; readonly running: string | null; readonly releases: readonly ReleaseRecord[]}): string[] {
	const {branch, branchHead, running} = facts;
	if (facts.firstStage || !branchHead || branchHead === running) return [];
	const known = facts.releases.some(release => release.commit === branchHead || release.previous === branchHead);
	return known ? [] : [`${branch} is at ${shortSha(branchHead)}, which no opsconsole release put there (moved outside opsconsole?)`];
}

/** A later stage running a commit its upstream does not contain: ahead of the stage that should have checked it. */
export function upstreamDrift(facts: {readonly env: string; readonly upstream: string; readonly running: string; readonly upstreamRunning: string; readonly upstreamContains: boolean}): string[] {
	if (facts.running === facts.upstreamRunning || facts.upstreamContains) return [];
	return [`${facts.env} runs ${shortSha(facts.running)}, which ${facts.upstream} (upstream) does not run or contain: ${facts.env} is ahead of ${facts.upstream}`];
}
