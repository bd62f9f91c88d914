import {imageRepository} from './release.js';

/** One image build, as the recipe kit recorded it when the engine built (never when it reused) an image. */
export type BuildRecord = {
	/** The tag built, e.g. `demo-web:1a2b3c4d5e6f`. */
	readonly image: string;
	readonly service: string;
	readonly commit: string;
	readonly env: string;
	readonly release: string;
	/** From the first byte sent to the engine to the last build message. */
	readonly ms: number;
	/** ISO time the build finished. */
	readonly at: string;
};

export function isBuildRecord(value: unknown): value is BuildRecord {
	const record = value as Partial<BuildRecord> | null;
	return typeof record === 'object' && record !== null
		&& typeof record.image === 'string' && typeof record.service === 'string' && typeof record.commit === 'string'
		&& typeof record.env === 'string' && typeof record.release === 'string' && typeof record.at === 'string'
		&& typeof record.ms === 'number' && Number.isFinite(record.ms) && record.ms >= 0;
}

/** What a rebuild is likely to take: the last recorded builds of the images, summed (the kit builds services one after another). */
export type LastBuild = {
	readonly ms: number;
	/** Every image's own last build was found; false when one is the last build of its image name at another commit. */
	readonly sameCommit: boolean;
};

/**
 * How long building `images` (one tag per service) last took: each tag's own newest build, or,
 * for a tag never built here, the newest build of its image name at any commit. Undefined when
 * some image was never built here at all: then nothing truthful can be said.
 */
export function lastBuildOf(builds: readonly BuildRecord[], images: readonly string[]): LastBuild | undefined {
	const newest = (candidates: BuildRecord[]) => candidates.reduce<BuildRecord | undefined>((best, build) => (!best || build.at > best.at ? build : best), undefined);
	let ms = 0;
	let sameCommit = true;
	for (const image of images) {
		const own = newest(builds.filter(build => build.image === image));
		const sibling = own ?? newest(builds.filter(build => imageRepository(build.image) === imageRepository(image)));
		if (!sibling) return undefined;
		if (!own) sameCommit = false;
		ms += sibling.ms;
	}

	return images.length === 0 ? undefined : {ms, sameCommit};
}
