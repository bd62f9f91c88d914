import {formatDuration as formatCountdown} from '../core/duration.js';
import type {RollbackCandidate} from '../core/rollback-candidates.js';
import {formatDuration} from './format.js';

type Candidate = Pick<RollbackCandidate, 'imagePresent' | 'lastBuild'>;

/** The picker's IMAGE column: `instant`, `build 42s` (its own last build), `build ~3m` (its image name's last build), or `rebuild` (no build on record). */
export function rebuildColumn(candidate: Candidate): string {
	if (candidate.imagePresent) return 'instant';
	if (!candidate.lastBuild) return 'rebuild';
	return `build ${candidate.lastBuild.sameCommit ? '' : '~'}${candidate.lastBuild.ms < 1000 ? '<1s' : formatDuration(candidate.lastBuild.ms)}`;
}

/** What the rebuild will cost, in words, or '' when the image is there or no build is on record: ` (its last build took 1m 20s)`. */
export function rebuildNote(candidate: Candidate): string {
	if (candidate.imagePresent || !candidate.lastBuild) return '';
	const took = formatCountdown(candidate.lastBuild.ms);
	return candidate.lastBuild.sameCommit ? ` (its last build took ${took})` : ` (about ${took}, as its image's last build at another commit)`;
}
