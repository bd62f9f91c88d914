import {lastBuildOf} from '../core/builds.js';
import {runningCommit} from '../core/container.js';
import {RefusedError, UsageError} from '../core/errors.js';
import {environmentNamed} from '../core/pipeline.js';
import {imageTagFor} from '../core/release.js';
import {defaultRollbackTarget, findRollbackTarget, mergeRollbackCandidates, type RollbackCandidate} from '../core/rollback-candidates.js';
import {shortSha} from '../core/words.js';
import {readEnvironmentContainers, readSwarmPart} from './collect-status.js';
import {holdsOf} from './gate-facts.js';
import type {EnvironmentConfig} from '../core/environment-schema.js';
import type {RollbackSource} from './operation-face.js';
import {runOperation} from './run-operation.js';
import {recordAudit, type Services} from './services.js';

/** What the engine holds of ENV: the commits its containers (or a swarm's services) carry, and the one running. */
async function engineState(services: Services, environment: EnvironmentConfig): Promise<{engineCommits: Array<{commit: string; release: string | null; createdAt: string}>; runningCommit: string | null; engineError: string | undefined}> {
	const [{containers, engineError}, swarm] = await Promise.all([readEnvironmentContainers(services, environment), readSwarmPart(services, environment)]);
	if (swarm.swarm || swarm.engineError) {
		const stackServices = swarm.swarm?.view.services ?? [];
		return {
			engineCommits: stackServices.filter(service => service.commit).map(service => ({commit: service.commit!, release: service.release ?? null, createdAt: service.updatedAt})),
			runningCommit: swarm.swarm?.summarize([]).commit ?? null,
			engineError: engineError ?? swarm.engineError,
		};
	}

	return {engineCommits: containers.filter(container => container.commit).map(container => ({commit: container.commit!, release: container.release ?? null, createdAt: container.createdAt})), runningCommit: runningCommit(containers) ?? null, engineError};
}

/** Every earlier state of ENV, newest first: history, release tags, and what the engine still holds. */
export async function listRollbackCandidates(services: Services, env: string): Promise<RollbackCandidate[]> {
	const environment = environmentNamed(services.project.environments, env);
	const {engineCommits, runningCommit: running, engineError} = await engineState(services, environment);
	const engine = services.engines.engineFor(environment.docker);
	const tagPrefix = `opsconsole/${env}/`;
	const tags = (await services.git.tagsWithPrefix(tagPrefix).catch(() => [])).map(tag => ({release: tag.tag.slice(tagPrefix.length), commit: tag.commit, date: tag.date}));
	const releases = services.state.releases.list({env});

	const commits = new Set([...releases.map(release => release.commit), ...tags.map(tag => tag.commit), ...engineCommits.map(container => container.commit)]);
	const serviceConfigs = Object.values(environment.services);
	const present = new Map<string, boolean>();
	const subjects = new Map<string, string | null>();
	await Promise.all([...commits].map(async commit => {
		const [images, summary] = await Promise.all([
			engineError === undefined && serviceConfigs.length > 0
				? Promise.all(serviceConfigs.map(async service => engine.imagePresent(imageTagFor(service, commit)).catch(() => false)))
				: Promise.resolve([false]),
			services.git.commit(commit).catch(() => undefined),
		]);
		present.set(commit, images.every(Boolean));
		subjects.set(commit, summary?.subject ?? null);
	}));

	const held = new Set(holdsOf(services, env).map(hold => hold.commit));
	// Build times only inform the choice: a build record that cannot be read must not keep a rollback from being offered.
	const builds = (() => {
		try {
			return services.state.builds.read();
		} catch {
			return [];
		}
	})();
	return mergeRollbackCandidates({
		releases,
		tags,
		engineCommits,
		runningCommit: running,
		imagePresent: commit => present.get(commit) ?? false,
		subjectOf: commit => subjects.get(commit) ?? null,
	}).map(candidate => {
		const lastBuild = candidate.imagePresent ? undefined : lastBuildOf(builds, serviceConfigs.map(service => imageTagFor(service, candidate.commit)));
		return {...candidate, ...(held.has(candidate.commit) ? {held: true} : {}), ...(lastBuild ? {lastBuild} : {})};
	});
}

/** `--to` (a release id or commit), or the newest earlier succeeded release; a UsageError names what is known. */
export async function chooseRollbackTarget(services: Services, env: string, wanted: string | undefined): Promise<RollbackCandidate> {
	const candidates = await listRollbackCandidates(services, env);
	if (wanted === undefined) {
		const target = defaultRollbackTarget(candidates);
		if (!target) throw new UsageError(`${env} has no earlier succeeded release to roll back to; \`opsconsole history ${env}\` lists what is known, --to picks one`);
		return target;
	}

	const found = findRollbackTarget(candidates, wanted);
	if (found) {
		if (found.running) {
			const message = `rollback refused, nothing changed: ${env} already runs ${shortSha(found.commit)}${found.release ? ` (${found.release})` : ''}; \`opsconsole history ${env}\` lists earlier releases`;
			recordAudit(services, {action: 'rollback', env, outcome: 'refused', commit: found.commit, detail: message});
			throw new RefusedError(message);
		}
		return found;
	}

	const environment = environmentNamed(services.project.environments, env);
	const commit = /^[0-9a-f]{4,40}$/i.test(wanted) ? await services.git.resolve(`${wanted}^{commit}`) : undefined;
	const branchHead = await services.git.branchHead(environment.branch);
	if (commit && branchHead && await services.git.isAncestor(commit, branchHead)) {
		return {commit, release: null, subject: (await services.git.commit(commit))?.subject ?? null, at: null, operator: null, outcome: null, imagePresent: false, running: false, sources: []};
	}

	const known = candidates.filter(candidate => !candidate.running).slice(0, 5).map(candidate => candidate.release ?? shortSha(candidate.commit));
	throw new UsageError(`no release or commit "${wanted}" to roll ${env} back to${known.length > 0 ? ` (recent: ${known.join(', ')})` : ''}; a commit must be in ${environment.branch}'s history`);
}

/** The picker's view of ENV's rollbacks, driving the same flow as `opsconsole rollback`. */
export function createRollbackSource(services: Services, env: string): RollbackSource {
	const environment = environmentNamed(services.project.environments, env);
	// Read once per picker: the detail pane asks on every highlight, and what runs does not change while choosing.
	let current: Promise<string | undefined> | undefined;
	const currentCommit = async () => {
		current ??= engineState(services, environment).then(async state => state.runningCommit ?? services.git.branchHead(environment.branch));
		return current;
	};

	return {
		loadCandidates: async () => listRollbackCandidates(services, env),
		async commitsUndone(candidate) {
			const commit = await currentCommit();
			return commit ? services.git.commitsBetween(candidate.commit, commit) : [];
		},
		startRollback: candidate => async hooks => runOperation(services, {kind: 'rollback', env, commit: candidate.commit, targetRelease: candidate.release}, hooks),
	};
}
