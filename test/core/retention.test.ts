import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lastBuildOf, type BuildRecord} from '../../source/core/builds.js';
import type {ContainerSnapshot} from '../../source/core/container.js';
import {imageRepository, type ReleaseRecord} from '../../source/core/release.js';
import {keptCommits, planRetention, type EngineView, type RetentionSubject} from '../../source/core/retention.js';
import {rebuildColumn, rebuildNote} from '../../source/presentation/rebuild-cost.js';

/** Commit `a` is `aaaa…` (40 characters); its image is `shop-web:aaaaaaaaaaaa`. */
const sha = (character: string) => character.repeat(40);
const image = (character: string, name = 'shop-web') => `${name}:${sha(character).slice(0, 12)}`;
/** Hour `n` of one day, so "newer" reads as a bigger number. */
const hour = (n: number) => `2026-11-23T${String(n).padStart(2, '0')}:00:00.000Z`;

type Release = RetentionSubject['releases'][number];
const release = (commit: string, at: number, outcome: ReleaseRecord['outcome'] = 'succeeded', name = 'shop-web'): Release => ({
	commit: sha(commit), outcome, startedAt: hour(at), finishedAt: outcome === 'running' ? null : hour(at), images: [image(commit, name)],
});

let sequence = 0;
/** A container opsconsole's deploy recipe made: release and commit labels, on the commit's image. */
const container = (commit: string, at: number, state: ContainerSnapshot['state'] = 'exited', fields: Partial<ContainerSnapshot> = {}): ContainerSnapshot => ({
	id: `c${++sequence}`, name: `shop-dev-web-${commit}${at}`, service: 'web', image: image(commit), state, health: 'none', restarts: 0,
	startedAt: undefined, createdAt: hour(at), commit: sha(commit), release: `dev-${commit}${at}`, ...fields,
});

const containers = (...list: ContainerSnapshot[]): EngineView => ({kind: 'containers', containers: list});
const subject = (name: string, fields: Partial<RetentionSubject> = {}): RetentionSubject => ({
	name, keep: 2, services: {web: {image: 'shop-web'}}, releases: [], engine: containers(), ...fields,
});

const commitsOf = (list: readonly string[]) => list.map(commit => commit[0]).join('');

const keptCases: Array<{title: string; subject: Pick<RetentionSubject, 'keep' | 'releases' | 'engine'>; current?: string; kept: string}> = [
	{
		title: 'what runs, then the `keep` newest earlier successes',
		subject: {keep: 2, releases: [release('a', 1), release('b', 2), release('c', 3), release('d', 4)], engine: containers()},
		current: sha('d'),
		kept: 'dcb',
	},
	{
		title: 'a commit that only failed here earns no place; one that also succeeded here ranks by that success',
		subject: {keep: 2, releases: [release('a', 1), release('b', 2), release('c', 3, 'failed'), release('a', 5, 'failed'), release('d', 6)], engine: containers()},
		current: sha('d'),
		kept: 'dba',
	},
	{
		title: 'a rollback to an old commit makes it the newest use of it',
		subject: {keep: 1, releases: [release('a', 1), release('b', 2), release('c', 3), release('a', 4)], engine: containers()},
		current: sha('a'),
		kept: 'ac',
	},
	{
		title: 'live containers are kept whatever their age, a release under way too',
		subject: {keep: 1, releases: [release('a', 1), release('b', 2), release('c', 3), release('e', 7, 'running')], engine: containers(container('a', 1, 'running'), container('c', 3, 'paused'))},
		kept: 'aceb',
	},
	{
		title: 'a commit only the engine knows (history lost) ranks by its container\'s age',
		subject: {keep: 2, releases: [release('b', 2), release('d', 4)], engine: containers(container('a', 1), container('c', 3), container('d', 4, 'running'))},
		kept: 'dcb',
	},
	{
		title: 'a swarm: its services\' commits run, its old tasks do not',
		subject: {keep: 1, releases: [release('a', 1), release('b', 2), release('c', 3)], engine: {kind: 'swarm', uses: [
			{commit: sha('c'), image: image('c'), at: hour(3), live: true},
			{commit: sha('a'), image: image('a'), at: hour(1), live: false},
		]}},
		kept: 'cb',
	},
];
for (const {title, subject: weighed, current, kept} of keptCases) {
	test(`kept commits: ${title}`, () => assert.equal(commitsOf(keptCommits(weighed, current)), kept));
}

test('retention never removes an image that another environment runs', () => {
	const dev = subject('dev', {
		keep: 1,
		releases: [release('a', 1), release('b', 2), release('c', 3), release('d', 4)],
		engine: containers(container('a', 1), container('b', 2), container('c', 3), container('d', 4, 'running')),
	});
	const staging = subject('staging', {releases: [release('b', 2)], engine: containers(container('b', 2, 'running', {name: 'shop-staging-web'}))});
	const plan = planRetention({...dev, engine: dev.engine as Exclude<EngineView, {kind: 'unreadable'}>}, sha('d'), [staging]);
	assert.equal(commitsOf(plan.kept), 'dc');
	assert.deepEqual(plan.containers.map(going => going.commit[0]), ['a', 'b'], 'dev\'s own containers of a and b go: containers are per environment');
	assert.deepEqual(plan.images, [image('a')]);
	assert.deepEqual(plan.spared, [{image: image('b'), reason: 'staging runs it'}]);
});

type PlanCase = {title: string; subject: RetentionSubject; current: string; others?: RetentionSubject[]; containers: string; images: string[]; spared?: Array<{image: string; reason: string | RegExp}>};
/** dev keeps one earlier release: it runs c, keeps b, and a is past its window. */
const devOnC = (fields: Partial<RetentionSubject> = {}) => subject('dev', {keep: 1, releases: [release('a', 1), release('b', 2), release('c', 3)], engine: containers(container('c', 3, 'running')), ...fields});
const planCases: PlanCase[] = [
	{
		title: 'an image another environment keeps for rollback (its window, no container needed) stays',
		subject: devOnC(),
		current: sha('c'),
		others: [subject('production', {keep: 5, releases: [release('a', 1), release('z', 2)], engine: containers(container('z', 2, 'running'))})],
		containers: '',
		images: [],
		spared: [{image: image('a'), reason: 'production keeps it for rollback'}],
	},
	{
		title: 'an environment whose engine cannot be read protects every image of its image names, and says why',
		subject: devOnC({releases: [release('a', 1), release('m', 1, 'succeeded', 'shop-mail'), release('b', 2), release('c', 3)]}),
		current: sha('c'),
		others: [subject('production', {engine: {kind: 'unreadable', reason: 'connection refused'}})],
		containers: '',
		images: [image('m', 'shop-mail')],
		spared: [{image: image('a'), reason: /^production's engine could not be read \(connection refused\), so it may run or keep it$/}],
	},
	{
		title: 'an image a release of another environment is deploying right now stays',
		subject: devOnC(),
		current: sha('c'),
		others: [subject('staging', {releases: [release('a', 4, 'running')], engine: containers()})],
		containers: '',
		images: [],
		spared: [{image: image('a'), reason: 'staging is deploying it'}],
	},
	{
		title: 'a container started by hand in another environment protects its image, labels or not',
		subject: devOnC(),
		current: sha('c'),
		others: [subject('staging', {engine: containers(container('x', 1, 'running', {image: image('a'), commit: undefined, release: undefined}))})],
		containers: '',
		images: [],
		spared: [{image: image('a'), reason: 'staging runs it'}],
	},
	{
		title: 'one stopped container per service and kept commit; a stopped twin of a running commit goes',
		subject: subject('dev', {keep: 2, releases: [release('a', 1), release('b', 2), release('a', 3), release('b', 4)], engine: containers(
			container('a', 1), container('b', 2), container('a', 3), container('b', 4, 'running'),
		)}),
		current: sha('b'),
		containers: 'ab',
		images: [],
	},
	{
		title: 'containers without release labels (started by hand, compose) are never touched, and keep their image',
		subject: devOnC({engine: containers(container('a', 1, 'exited', {release: undefined}), container('c', 3, 'running'))}),
		current: sha('c'),
		containers: '',
		images: [],
		spared: [{image: image('a'), reason: 'dev still has a container on it'}],
	},
	{
		title: 'only tags made for the commit count: an image a recipe took from elsewhere is never retention\'s',
		subject: devOnC({
			releases: [{...release('a', 1), images: [image('a'), 'postgres:16']}, release('b', 2), release('c', 3)],
			engine: containers(container('a', 1, 'exited', {image: 'postgres:16'}), container('c', 3, 'running')),
		}),
		current: sha('c'),
		containers: 'a',
		images: [image('a')],
	},
	{
		title: 'an image name changed in the file since: the tag the release recorded goes',
		subject: devOnC({services: {web: {image: 'shop-web2'}}, releases: [release('a', 1), release('b', 2, 'succeeded', 'shop-web2'), release('c', 3, 'succeeded', 'shop-web2')]}),
		current: sha('c'),
		containers: '',
		images: [image('a')],
	},
	{
		title: 'a swarm: no container is removed, old images are, task containers that stay keep theirs',
		subject: subject('dev', {keep: 1, releases: [release('a', 1), release('b', 2), release('c', 3), release('d', 4)], engine: {kind: 'swarm', uses: [
			{commit: sha('d'), image: `${image('d')}@sha256:0123`, at: hour(4), live: true},
			{commit: sha('b'), image: image('b'), at: hour(2), live: false},
		]}}),
		current: sha('d'),
		containers: '',
		images: [image('a')],
		spared: [{image: image('b'), reason: 'dev still has a container on it'}],
	},
];
for (const {title, subject: own, current, others = [], containers: going, images, spared = []} of planCases) {
	test(`retention plan: ${title}`, () => {
		const plan = planRetention({...own, engine: own.engine as Exclude<EngineView, {kind: 'unreadable'}>}, current, others);
		assert.equal(plan.containers.map(container => container.commit[0]).join(''), going);
		assert.deepEqual(plan.images, images);
		assert.equal(plan.spared.length, spared.length, JSON.stringify(plan.spared));
		for (const [index, expected] of spared.entries()) {
			assert.equal(plan.spared[index]!.image, expected.image);
			if (typeof expected.reason === 'string') assert.equal(plan.spared[index]!.reason, expected.reason);
			else assert.match(plan.spared[index]!.reason, expected.reason);
		}
	});
}

const build = (tag: string, ms: number, at: number): BuildRecord => ({image: tag, service: 'web', commit: 'x', env: 'dev', release: 'r', ms, at: hour(at)});
const builds = [build(image('a'), 40_000, 1), build(image('a'), 42_000, 2), build(image('b'), 90_000, 3), build(image('m', 'shop-mail'), 5000, 3)];
const lastBuildCases: Array<{title: string; images: string[]; expected: ReturnType<typeof lastBuildOf>}> = [
	{title: 'its own newest build', images: [image('a')], expected: {ms: 42_000, sameCommit: true}},
	{title: 'never built at this commit: its image name\'s newest build', images: [image('c')], expected: {ms: 90_000, sameCommit: false}},
	{title: 'several services: their builds add up', images: [image('a'), image('m', 'shop-mail')], expected: {ms: 47_000, sameCommit: true}},
	{title: 'an image never built here: nothing can be said', images: [image('a'), image('q', 'shop-queue')], expected: undefined},
];
for (const {title, images, expected} of lastBuildCases) {
	test(`last build: ${title}`, () => assert.deepEqual(lastBuildOf(builds, images), expected));
}

const costCases: Array<[Parameters<typeof rebuildColumn>[0], string, string]> = [
	[{imagePresent: true}, 'instant', ''],
	[{imagePresent: false}, 'rebuild', ''],
	[{imagePresent: false, lastBuild: {ms: 42_000, sameCommit: true}}, 'build 42s', ' (its last build took 42s)'],
	[{imagePresent: false, lastBuild: {ms: 80_000, sameCommit: false}}, 'build ~1m', ' (about 1m 20s, as its image\'s last build at another commit)'],
	[{imagePresent: false, lastBuild: {ms: 300, sameCommit: true}}, 'build <1s', ' (its last build took 1s)'],
];
for (const [candidate, column, note] of costCases) {
	test(`rebuild cost: ${column}`, () => {
		assert.equal(rebuildColumn(candidate), column);
		assert.equal(rebuildNote(candidate), note);
	});
}

test('image repository: the name without the tag, a registry port kept', () => {
	assert.equal(imageRepository('shop-web:aaaaaaaaaaaa'), 'shop-web');
	assert.equal(imageRepository('registry.local:5000/team/web:v2'), 'registry.local:5000/team/web');
	assert.equal(imageRepository('registry.local:5000/team/web'), 'registry.local:5000/team/web');
});
