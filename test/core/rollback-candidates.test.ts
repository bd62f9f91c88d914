import assert from 'node:assert/strict';
import {test} from 'node:test';
import {holdOn} from '../../source/core/holds.js';
import type {ReleaseRecord, ReleaseStep} from '../../source/core/release.js';
import {defaultRollbackTarget, mergeRollbackCandidates} from '../../source/core/rollback-candidates.js';

const sha = (letter: string) => letter.repeat(40);

function release(id: string, commit: string, outcome: ReleaseRecord['outcome'], at: string, steps: ReleaseStep[] = []): ReleaseRecord {
	return {id, env: 'staging', kind: 'promotion', from: 'dev', commit, previous: null, previousRelease: null, images: [], operator: 'ana', host: 'h', startedAt: at, finishedAt: at, steps, outcome, error: null, rolledBackTo: null, pid: 1, logFile: null};
}

const ignoredVerify: ReleaseStep = {id: 'verify', name: 'verify staging', startedAt: '2026-11-23T03:00:00Z', ok: false, ignored: true, error: 'web is unhealthy (ignored by bo)'};

test('the default way back is the newest older release that passed its verification, never one whose failure was ignored', () => {
	const releases = [
		release('staging-r1', sha('a'), 'succeeded', '2026-11-23T01:00:00Z'),
		release('staging-r2', sha('b'), 'succeeded', '2026-11-23T02:00:00Z', [ignoredVerify]),
		release('staging-r3', sha('c'), 'succeeded', '2026-11-23T03:00:00Z'),
	];
	const candidates = mergeRollbackCandidates({releases, tags: [], engineCommits: [], runningCommit: sha('c'), imagePresent: () => true, subjectOf: () => null});
	assert.deepEqual(candidates.map(candidate => [candidate.release, candidate.unverified ?? false]), [['staging-r3', false], ['staging-r2', true], ['staging-r1', false]]);
	assert.equal(defaultRollbackTarget(candidates)?.release, 'staging-r1');
});

test('a release that succeeded only by ignoring its verification does not lift a hold', () => {
	const failed = release('staging-r1', sha('b'), 'failed', '2026-11-23T01:00:00Z', [{id: 'verify', name: 'verify staging', startedAt: '2026-11-23T01:00:00Z', ok: false, error: 'web is unhealthy'}]);
	const ignored = release('staging-r2', sha('b'), 'succeeded', '2026-11-23T02:00:00Z', [ignoredVerify]);
	const verified = release('staging-r3', sha('b'), 'succeeded', '2026-11-23T03:00:00Z');
	assert.ok(holdOn('staging', sha('b'), [failed, ignored], []), 'still held');
	assert.equal(holdOn('staging', sha('b'), [failed, ignored, verified], []), undefined, 'a verified run lifts it');
});
