import type {EnvironmentConfig} from '../core/environment-schema.js';
import type {ReleaseRecord} from '../core/release.js';
import {planRetention, type EngineView, type RetentionSubject} from '../core/retention.js';
import {plural, shortSha} from '../core/words.js';
import {readEnvironmentContainers, readSwarmPart} from './collect-status.js';
import {recordAudit, type Services} from './services.js';

/** What the environment's engine shows, or why it could not be read; never throws. */
async function readEngineView(services: Services, environment: EnvironmentConfig): Promise<EngineView> {
	try {
		if (environment.docker.mode === 'swarm') {
			const {swarm, engineError} = await readSwarmPart(services, environment);
			if (!swarm || swarm.view.error) return {kind: 'unreadable', reason: engineError ?? swarm?.view.error ?? 'the stack could not be read'};
			return {kind: 'swarm', uses: swarm.view.services.flatMap(service => [
				{commit: service.commit, image: service.image, at: service.updatedAt, live: true},
				...service.tasks.map(task => ({commit: task.commit, image: task.image, at: task.createdAt, live: task.state === 'running'})),
			])};
		}

		const {containers, engineError} = await readEnvironmentContainers(services, environment);
		return engineError === undefined ? {kind: 'containers', containers} : {kind: 'unreadable', reason: engineError};
	} catch (error) {
		return {kind: 'unreadable', reason: (error as Error).message};
	}
}

async function subjectOf(services: Services, environment: EnvironmentConfig): Promise<RetentionSubject> {
	return {
		name: environment.name,
		keep: environment.retention.keep,
		services: environment.services,
		releases: services.state.releases.list({env: environment.name}),
		engine: await readEngineView(services, environment),
	};
}

/**
 * After `release` succeeded in `environment`: removes the stopped containers and the images of
 * its releases beyond `retention.keep` (core/retention.ts decides), reading every other
 * environment of the project first so an image one of them runs or keeps stays. What it did goes
 * to `log` (the release's log) and one audit line. Nothing here can fail the release: a removal
 * that does not happen is a warning in the log.
 */
export async function applyRetention(services: Services, environment: EnvironmentConfig, release: ReleaseRecord, log: (line: string) => void): Promise<void> {
	try {
		await retain(services, environment, release, log);
	} catch (error) {
		log(`   warning: retention stopped: ${(error as Error).message}`);
	}
}

async function retain(services: Services, environment: EnvironmentConfig, release: ReleaseRecord, log: (line: string) => void): Promise<void> {
	const [own, others] = await Promise.all([
		subjectOf(services, environment),
		Promise.all(services.project.environments.filter(other => other.name !== environment.name).map(async other => subjectOf(services, other))),
	]);
	if (own.engine.kind === 'unreadable') {
		log(`── retention: skipped, ${environment.name}'s engine could not be read: ${own.engine.reason}`);
		return;
	}

	const plan = planRetention({...own, engine: own.engine}, release.commit, others);
	log(`── retention (keep ${environment.retention.keep}): keeping ${plan.kept.map(commit => shortSha(commit)).join(', ')}`);
	const engine = services.engines.engineFor(environment.docker);
	const removed: string[] = [];
	const left: string[] = [];
	const warnings: string[] = [];
	for (const container of plan.containers) {
		try {
			const result = await engine.removeStoppedContainer(container.id);
			if (result === 'removed') removed.push(`container ${container.name}`);
			if (result === 'live') left.push(`container ${container.name}: it runs again`);
		} catch (error) {
			warnings.push(`could not remove container ${container.name}: ${(error as Error).message}`);
		}
	}

	// After the containers: an image is only removable once no container uses it.
	for (const image of plan.images) {
		try {
			const result = await engine.removeImageTag(image);
			if (result === 'removed') removed.push(`image ${image}`);
			if (result === 'in-use') left.push(`image ${image}: still in use (a container, or an image built on it)`);
		} catch (error) {
			warnings.push(`could not remove image ${image}: ${(error as Error).message}`);
		}
	}

	for (const line of removed) log(`   removed ${line}`);
	for (const line of left) log(`   left ${line}`);
	for (const {image, reason} of plan.spared) log(`   kept image ${image}: ${reason}`);
	for (const line of warnings) log(`   warning: ${line}`);
	if (removed.length === 0 && warnings.length === 0) {
		log('   nothing to remove');
		return;
	}

	const detail = [
		removed.length > 0 ? `removed ${removed.join(', ')}` : '',
		plan.spared.length > 0 ? `spared ${plan.spared.map(({image, reason}) => `${image} (${reason})`).join(', ')}` : '',
		warnings.length > 0 ? plural(warnings.length, 'warning') + `: ${warnings.join('; ')}` : '',
	].filter(Boolean).join('; ');
	try {
		recordAudit(services, {action: 'retention', env: environment.name, outcome: warnings.length > 0 ? 'incomplete' : 'removed', release: release.id, commit: release.commit, detail});
	} catch (error) {
		log(`   warning: the retention could not be audited: ${(error as Error).message}`);
	}
}
