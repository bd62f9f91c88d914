import path from 'node:path';
import type {BuildRecords} from '../core/adapters.js';
import {isBuildRecord, type BuildRecord} from '../core/builds.js';
import {JsonLinesFile} from './json-lines.js';

/**
 * `builds.jsonl`: one line per image the engine built, with how long it took. Kept apart from the
 * images (which retention removes) and from the releases (a recipe, not the executor, knows when a
 * build happened), so the rollback picker can say what a rebuild costs after the image is gone.
 */
export class BuildStore extends JsonLinesFile<BuildRecord> implements BuildRecords {
	constructor(stateDirectory: string, warn: (message: string) => void = () => undefined) {
		super(path.join(stateDirectory, 'builds.jsonl'), isBuildRecord, warn);
	}
}
