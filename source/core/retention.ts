import type {ContainerSnapshot} from './container.js';
import type {ServiceConfig} from './environment-schema.js';
import {imageRepository, type ReleaseRecord} from './release.js';
import {compareOrdinal} from './text-order.js';

/** One use of an image on an engine: a container, or a swarm service's spec or task; `live` while it runs (a spec always is). */
export type ImageUse = {readonly commit: string | undefined; readonly image: string; readonly at: string; readonly live: boolean};

/** What an environment's engine showed when retention looked. */
export type EngineView =
	| {readonly kind: 'containers'; readonly containers: readonly ContainerSnapshot[]}
	| {readonly kind: 'swarm'; readonly uses: readonly ImageUse[]}
	| {readonly kind: 'unreadable'; readonly reason: string};

/** One environment as retention weighs it: its file's parts, its history and what its engine shows. */
export type RetentionSubject = {
	readonly name: string;
	/** How many earlier releases it keeps beside the one it runs (`retention.keep`). */
	readonly keep: number;
	/** Its services' image names: all that can be said of what it may run when its engine cannot be read. */
	readonly services: Readonly<Record<string, Pick<ServiceConfig, 'image'>>>;
	readonly releases: ReadonlyArray<Pick<ReleaseRecord, 'commit' | 'outcome' | 'startedAt' | 'finishedAt' | 'images'>>;
	readonly engine: EngineView;
};

export type RetentionPlan = {
	/** The commits whose containers and images stay: what runs, then the earlier ones kept, newest first. */
	readonly kept: readonly string[];
	readonly containers: ReadonlyArray<{readonly id: string; readonly name: string; readonly commit: string}>;
	readonly images: readonly string[];
	/** Images of releases past the window that stay because something may still use them, and what. */
	readonly spared: ReadonlyArray<{readonly image: string; readonly reason: string}>;
};

/** A paused or restarting container still belongs to what runs; only stopped ones are ever removed. */
const liveStates = new Set<ContainerSnapshot['state']>(['running', 'restarting', 'paused', 'removing']);

/** `demo-web:1a2b3c4d5e6f@sha256:…` → `demo-web:1a2b3c4d5e6f`: swarm may pin a digest to the tag it was given. */
function withoutDigest(image: string): string {
	const at = image.indexOf('@');
	return at === -1 ? image : image.slice(0, at);
}

function engineCommits(view: EngineView): Array<ImageUse & {commit: string}> {
	return engineImages(view).flatMap(use => (use.commit ? [{...use, commit: use.commit}] : []));
}

/** Every image the view shows in use, with the commit label where there is one (a container started by hand has none). */
function engineImages(view: EngineView): ImageUse[] {
	if (view.kind === 'containers') return view.containers.map(container => ({commit: container.commit, at: container.createdAt, live: liveStates.has(container.state), image: withoutDigest(container.image)}));
	if (view.kind === 'swarm') return view.uses.map(use => ({...use, image: withoutDigest(use.image)}));
	return [];
}

function newer(times: Map<string, string>, commit: string, at: string): void {
	const known = times.get(commit);
	if (known === undefined || at > known) times.set(commit, at);
}

/**
 * The commits an environment keeps: what runs (or is being deployed), then its `keep` most recent
 * earlier ones. An earlier commit earns a place by having succeeded there; one the engine shows
 * but history does not know (a history lost, another host's console) by its container's age.
 * A commit that only ever failed here is held and never a rollback target, so it keeps no place.
 */
export function keptCommits(subject: Pick<RetentionSubject, 'keep' | 'releases' | 'engine'>, current?: string): string[] {
	const onEngine = engineCommits(subject.engine);
	const live = new Set([...(current ? [current] : []), ...onEngine.filter(entry => entry.live).map(entry => entry.commit), ...subject.releases.filter(release => release.outcome === 'running').map(release => release.commit)]);
	const lastGood = new Map<string, string>();
	for (const release of subject.releases) if (release.outcome === 'succeeded') newer(lastGood, release.commit, release.finishedAt ?? release.startedAt);
	const inHistory = new Set(subject.releases.map(release => release.commit));
	for (const entry of onEngine) if (!inHistory.has(entry.commit)) newer(lastGood, entry.commit, entry.at);
	const earlier = [...lastGood].filter(([commit]) => !live.has(commit)).sort((a, b) => compareOrdinal(b[1], a[1])).slice(0, subject.keep).map(([commit]) => commit);
	return [...live, ...earlier];
}

/**
 * The image tags opsconsole made for `commit` in this environment: those its releases recorded
 * (under the image names of the time) and those its containers run. Only `name:<commit prefix>`
 * tags count, so an image a recipe took from elsewhere (`postgres:16`) is never retention's.
 */
function commitImages(subject: RetentionSubject, commit: string): string[] {
	const suffix = `:${commit.slice(0, 12)}`;
	const tags = [
		...subject.releases.filter(release => release.commit === commit).flatMap(release => release.images),
		...engineCommits(subject.engine).filter(entry => entry.commit === commit).map(entry => entry.image),
	];
	return [...new Set(tags.filter(tag => tag.endsWith(suffix)))];
}

type Guard = (image: string) => string | undefined;

/** Why another environment needs an image, or undefined when it does not: it runs it, keeps it, or cannot be asked. */
function guardOf(other: RetentionSubject): Guard {
	if (other.engine.kind === 'unreadable') {
		const repositories = new Set([...Object.values(other.services).map(service => service.image), ...other.releases.flatMap(release => release.images.map(imageRepository))]);
		const reason = `${other.name}'s engine could not be read (${other.engine.reason}), so it may run or keep it`;
		return image => (repositories.has(imageRepository(image)) ? reason : undefined);
	}

	const inUse = engineImages(other.engine);
	const runs = new Set(inUse.filter(entry => entry.live).map(entry => entry.image));
	const deploys = new Set(other.releases.filter(release => release.outcome === 'running').flatMap(release => release.images));
	const keeps = new Set([...inUse.map(entry => entry.image), ...keptCommits(other).flatMap(commit => commitImages(other, commit))]);
	return image => (runs.has(image) ? `${other.name} runs it` : deploys.has(image) ? `${other.name} is deploying it` : keeps.has(image) ? `${other.name} keeps it for rollback` : undefined);
}

/**
 * After a release of `subject` succeeded on `current`: which of its stopped containers and which
 * images go. Kept: what runs and the `keep` earlier releases (one stopped container per service
 * and commit; a stopped twin of a running one serves nothing). Never removed: a live container,
 * an image another environment runs or keeps, or one it might when its engine cannot be read.
 */
export function planRetention(subject: RetentionSubject & {readonly engine: Exclude<EngineView, {kind: 'unreadable'}>}, current: string, others: readonly RetentionSubject[]): RetentionPlan {
	const kept = keptCommits(subject, current);
	const keptSet = new Set(kept);
	const containers: Array<{id: string; name: string; commit: string}> = [];
	if (subject.engine.kind === 'containers') {
		const all = subject.engine.containers;
		const groupOf = (container: ContainerSnapshot) => `${container.service ?? container.name}\u0000${container.commit}`;
		const liveGroups = new Set(all.filter(container => container.commit && liveStates.has(container.state)).map(groupOf));
		const newestStopped = new Map<string, ContainerSnapshot>();
		// Only this environment's own releases (ids start with its name): two environments sharing a compose project on one engine must not prune each other.
		const stopped = all.filter(container => container.release?.startsWith(`${subject.name}-`) === true && container.commit !== undefined && !liveStates.has(container.state));
		for (const container of stopped) {
			const group = groupOf(container);
			const known = newestStopped.get(group);
			if (!known || container.createdAt > known.createdAt) newestStopped.set(group, container);
		}

		for (const container of stopped) {
			const group = groupOf(container);
			if (!keptSet.has(container.commit!) || liveGroups.has(group) || newestStopped.get(group) !== container) containers.push({id: container.id, name: container.name, commit: container.commit!});
		}
	}

	const keptImages = new Set(kept.flatMap(commit => commitImages(subject, commit)));
	const known = new Set([...subject.releases.map(release => release.commit), ...engineCommits(subject.engine).map(entry => entry.commit)]);
	const going = new Set(containers.map(container => container.id));
	const staying = new Set(subject.engine.kind === 'containers'
		? subject.engine.containers.filter(container => !going.has(container.id)).map(container => withoutDigest(container.image))
		: engineImages(subject.engine).map(entry => entry.image));
	const guards: Guard[] = [image => (staying.has(image) ? `${subject.name} still has a container on it` : undefined), ...others.map(other => guardOf(other))];
	const images: string[] = [];
	const spared: Array<{image: string; reason: string}> = [];
	for (const commit of known) {
		if (keptSet.has(commit)) continue;
		for (const image of commitImages(subject, commit)) {
			if (keptImages.has(image) || images.includes(image) || spared.some(entry => entry.image === image)) continue;
			const reasons = guards.map(guard => guard(image)).filter(reason => reason !== undefined);
			if (reasons.length > 0) spared.push({image, reason: reasons.join('; ')});
			else images.push(image);
		}
	}

	return {kept, containers, images, spared};
}
