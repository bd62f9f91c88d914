/**
 * Small in-memory adapters at the port boundary (core/adapters.ts), for tests of the faces: the
 * real flow, executor, sources and screens run on top of them, so a change to the real order of
 * things shows up here. Adapter behaviour itself is tested against a real engine and real git.
 */
import type Docker from 'dockerode';
import {assembleServices, type Services} from '../../source/app/services.js';
import type {AppendOnlyRecords, CheckRuns, Engine, Engines, Git, Locks, LogFiles, LogSink, PreferenceStore, Preferences, Probes, RecipeRunner, Releases} from '../../source/core/adapters.js';
import type {CheckRun} from '../../source/core/checks.js';
import {networkChecks} from '../../source/probes/network-checks.js';
import type {AuditEntry} from '../../source/core/audit.js';
import type {BuildRecord} from '../../source/core/builds.js';
import type {ChangedFile, CommitSummary} from '../../source/core/commit.js';
import type {GateRecord} from '../../source/core/gate-records.js';
import {compareContainers, type ContainerDetails, type ContainerEvent, type ContainerSnapshot} from '../../source/core/container.js';
import {environmentSchema, type EnvironmentConfig} from '../../source/core/environment-schema.js';
import {EngineUnavailableError, RefusedError} from '../../source/core/errors.js';
import {describeHolder, type LockHolder, type LockState} from '../../source/core/lock.js';
import type {RecipeContext, RecipeRequest, RecipeResult} from '../../source/core/recipe-context.js';
import type {ReleaseRecord} from '../../source/core/release.js';
import {detailsFromInspect} from '../../source/engine/docker-engine.js';

type FakeContainer = ContainerSnapshot & {readonly project: string; readonly env: readonly string[]};

/** An engine whose containers the test (and the fake recipes) set. */
export class FakeEngine implements Engine {
	readonly host = 'unix:///var/run/docker.sock';
	readonly containers = new Map<string, FakeContainer>();
	readonly images = new Set<string>();
	readonly restarts: string[] = [];
	logLines: string[] = ['first line', 'last line'];
	/** The container stops: a followed log ends after its lines. */
	logEnds = false;
	/** The connection breaks after the lines: a followed log fails with this. */
	logBreaks: string | undefined;
	#sequence = 0;
	readonly #listeners = new Set<(event: ContainerEvent) => void>();

	#nextRun: Partial<FakeContainer> = {};

	/** The next container started (by a test or a fake recipe) comes up like this, e.g. unhealthy with a cause. */
	breakNext(overrides: Partial<FakeContainer>): void {
		this.#nextRun = overrides;
	}

	/** Starts `service` of `project` on `commit` as release `release`; the one it replaces is kept, stopped. */
	run(project: string, service: string, commit: string, release: string, overrides: Partial<FakeContainer> = {}): FakeContainer {
		const broken = this.#nextRun;
		this.#nextRun = {};
		for (const [id, container] of this.containers) {
			if (container.project === project && container.service === service && container.state === 'running') this.containers.set(id, {...container, state: 'exited'});
		}

		const id = `c${++this.#sequence}-${service}`;
		const container: FakeContainer = {
			id, name: `${project}-${service}`, service, image: `shop-${service}:${commit.slice(0, 12)}`, state: 'running', health: 'healthy', restarts: 0,
			startedAt: new Date(Date.now() - 5 * 60_000).toISOString(), createdAt: new Date(Date.now() + this.#sequence).toISOString(), commit, release, project, env: ['PORT=8080'], ...broken, ...overrides,
		};
		this.containers.set(id, container);
		this.images.add(container.image);
		for (const listener of this.#listeners) listener({id, action: 'start', project});
		return container;
	}

	/** Changes a container as the engine would (an event follows, as Docker sends one). */
	change(id: string, change: Partial<FakeContainer>): void {
		const container = this.containers.get(id)!;
		this.containers.set(id, {...container, ...change});
		for (const listener of this.#listeners) listener({id, action: change.health ? `health_status: ${change.health}` : 'die', project: container.project});
	}

	/** Why the engine cannot be reached, or undefined while it answers. */
	down: string | undefined;

	#answer(): void {
		if (this.down) throw new EngineUnavailableError(this.host, this.down);
	}

	async listEnvironmentContainers(project: string): Promise<ContainerSnapshot[]> {
		this.#answer();
		return [...this.containers.values()].filter(container => container.project === project).sort(compareContainers);
	}

	async containerSnapshot(id: string): Promise<ContainerSnapshot | undefined> {
		return this.containers.get(id);
	}

	/** Details through the real engine mapping (masking included), from an inspect shape built of the fake container. */
	async containerDetails(id: string): Promise<ContainerDetails | undefined> {
		const container = this.containers.get(id);
		if (!container) return undefined;
		const info = {
			Id: container.id, Name: `/${container.name}`, Created: container.createdAt, RestartCount: container.restarts,
			State: {Status: container.state, StartedAt: container.startedAt ?? '0001-01-01T00:00:00Z', Health: {Status: container.health, Log: []}},
			Config: {Image: container.image, Env: [...container.env], Cmd: ['httpd'], Entrypoint: null, Labels: {'opsconsole.release': container.release ?? ''}},
			NetworkSettings: {Ports: {}, Networks: {[`${container.project}_default`]: {}}},
		} as unknown as Docker.ContainerInspectInfo;
		return detailsFromInspect(info, {});
	}

	async restartContainer(id: string): Promise<void> {
		this.restarts.push(id);
	}

	async streamLogs(_id: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
		for (const line of this.logLines) onLine(line);
		// As the engine ends a followed log when its container stops.
		if (this.logEnds) return;
		if (this.logBreaks) throw new Error(this.logBreaks);
		await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), {once: true}));
	}

	async logLinesSince(): Promise<string[]> {
		return [...this.logLines];
	}

	async secretsToMask(project: string): Promise<string[]> {
		return [...this.containers.values()].filter(container => container.project === project).flatMap(container => container.env.filter(assignment => /TOKEN|SECRET|PASSWORD|KEY/.test(assignment.split('=')[0]!)).map(assignment => assignment.slice(assignment.indexOf('=') + 1)));
	}

	async imagePresent(tag: string): Promise<boolean> {
		return this.images.has(tag);
	}

	async watchEvents(onEvent: (event: ContainerEvent) => void, signal: AbortSignal, onListening?: () => void): Promise<void> {
		this.#answer();
		this.#listeners.add(onEvent);
		onListening?.();
		await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), {once: true}));
		this.#listeners.delete(onEvent);
	}

	async removeEnvironment(project: string): Promise<{containers: number; networks: number}> {
		const ids = [...this.containers.values()].filter(container => container.project === project).map(container => container.id);
		for (const id of ids) this.containers.delete(id);
		return {containers: ids.length, networks: 0};
	}

	async removeImagesLabelled(): Promise<number> {
		return 0;
	}

	async removeStoppedContainer(id: string): Promise<'removed' | 'absent' | 'live'> {
		const container = this.containers.get(id);
		if (!container) return 'absent';
		if (container.state === 'running') return 'live';
		this.containers.delete(id);
		return 'removed';
	}

	async removeImageTag(tag: string): Promise<'removed' | 'absent' | 'in-use'> {
		if (!this.images.has(tag)) return 'absent';
		if ([...this.containers.values()].some(container => container.image === tag)) return 'in-use';
		this.images.delete(tag);
		return 'removed';
	}
}

export class FakeEngines implements Engines {
	constructor(readonly engine = new FakeEngine()) {}

	engineFor(): Engine {
		return this.engine;
	}

	close(): void {
		// In-memory: nothing to end.
	}
}

/** A linear history per branch: enough for plans, fast-forwards and rollbacks. */
export class FakeGit implements Git {
	readonly root = '/project';
	readonly branches = new Map<string, string>();
	readonly commits = new Map<string, CommitSummary & {parent: string | null}>();
	readonly tags: Array<{tag: string; commit: string; date: string}> = [];
	files: ChangedFile[] = [];
	clean = true;

	/** Adds a commit on top of `parent` and returns its sha. */
	commitOn(parent: string | null, subject: string, author = 'Ana', sha = `${(this.commits.size + 1).toString(16)}`.padStart(7, '0').padEnd(40, String(this.commits.size % 10))): string {
		this.commits.set(sha, {sha, subject, author, email: `${author.toLowerCase()}@example.test`, date: new Date(Date.now() - 3_600_000).toISOString(), parent});
		return sha;
	}

	#ancestry(head: string): string[] {
		const chain: string[] = [];
		for (let current: string | null | undefined = head; current; current = this.commits.get(current)?.parent) chain.push(current);
		return chain;
	}

	async branchHead(branch: string) {
		return this.branches.get(branch);
	}

	async resolve(revision: string) {
		const sha = revision.replace(/\^\{commit\}$/, '');
		return [...this.commits.keys()].find(candidate => candidate.startsWith(sha));
	}

	async commitsBetween(base: string, head: string) {
		const excluded = new Set(this.#ancestry(base));
		return this.#ancestry(head).filter(sha => !excluded.has(sha)).map(sha => this.commits.get(sha)!);
	}

	async countCommitsBetween(base: string, head: string) {
		return (await this.commitsBetween(base, head)).length;
	}

	async commit(revision: string) {
		const sha = await this.resolve(revision);
		return sha ? this.commits.get(sha) : undefined;
	}

	async changedFiles() {
		return this.files;
	}

	async isAncestor(ancestor: string, descendant: string) {
		return this.#ancestry(descendant).includes(ancestor);
	}

	async tagsWithPrefix(prefix: string) {
		return this.tags.filter(tag => tag.tag.startsWith(prefix));
	}

	async isClean() {
		return this.clean;
	}

	async configValue() {
		return undefined;
	}

	async keptElsewhere(commit: string, branch: string) {
		if (this.tags.some(tag => tag.tag.startsWith('opsconsole/') && this.#ancestry(tag.commit).includes(commit))) return true;
		return [...this.branches].some(([name, head]) => name !== branch && this.#ancestry(head).includes(commit));
	}

	async moveBranch(branch: string, to: string | null, expected: string): Promise<'moved' | 'not-there'> {
		if (this.branches.get(branch) !== expected) return 'not-there';
		if (to === null) this.branches.delete(branch);
		else this.branches.set(branch, to);
		return 'moved';
	}

	async deleteTag(name: string) {
		const index = this.tags.findIndex(tag => tag.tag === name);
		if (index !== -1) this.tags.splice(index, 1);
	}
}

/**
 * Recipes that do what the shipped ones do, in memory: promote moves the branch, deploy and
 * rollback start the commit's containers. `hold(action)` keeps the next run of it going until
 * `release(action)` or a cancel; `fail(action, line)` makes the next one fail with that line.
 */
export class FakeRecipes implements RecipeRunner {
	readonly runs: Array<{action: string; commit: string}> = [];
	readonly #holds = new Set<string>();
	readonly #waiting = new Map<string, () => void>();
	readonly #failing = new Map<string, string>();

	constructor(private readonly engine: FakeEngine, private readonly git: FakeGit) {}

	hold(action: string): void {
		this.#holds.add(action);
	}

	release(action: string): void {
		this.#waiting.get(action)?.();
	}

	fail(action: string, line: string): void {
		this.#failing.set(action, line);
	}

	async run(request: RecipeRequest): Promise<RecipeResult> {
		const context = request.context as RecipeContext;
		const started = Date.now();
		this.runs.push({action: context.action, commit: context.commit});
		const step = (name: string) => request.onEvent?.({type: 'step', name, at: Date.now()});
		const line = (text: string) => request.onEvent?.({type: 'line', stream: 'stdout', text});
		const result = (ok: boolean, extra: Partial<RecipeResult> = {}): RecipeResult => ({ok, exitCode: ok ? 0 : 1, signal: null, cancelled: false, timedOut: false, ms: Date.now() - started, steps: [], tail: [], ...extra});

		if (this.#holds.delete(context.action)) {
			step(context.action === 'promote' ? `fast-forward ${context.environment.branch}` : 'image web');
			line(`reusing shop-web:${context.commit.slice(0, 12)}`);
			const cancelled = await new Promise<boolean>(resolve => {
				this.#waiting.set(context.action, () => resolve(false));
				request.signal?.addEventListener('abort', () => resolve(true), {once: true});
				request.killSignal?.addEventListener('abort', () => resolve(true), {once: true});
			});
			this.#waiting.delete(context.action);
			if (cancelled) return result(false, {cancelled: true, signal: 'SIGTERM', exitCode: null});
		}

		const failure = this.#failing.get(context.action);
		if (failure) {
			this.#failing.delete(context.action);
			line(failure);
			return result(false, {tail: [failure]});
		}

		if (context.action === 'promote') {
			step(`fast-forward ${context.environment.branch}`);
			this.git.branches.set(context.environment.branch, context.commit);
			this.git.tags.push({tag: `opsconsole/${context.environment.name}/${context.release}`, commit: context.commit, date: new Date().toISOString()});
			line(`${context.environment.branch}: → ${context.commit.slice(0, 7)}`);
		} else {
			if (context.branchTo) this.git.branches.set(context.environment.branch, context.branchTo);
			for (const service of Object.keys(context.environment.services)) {
				step(`replace ${service}`);
				this.engine.run(context.environment.docker.project, service, context.commit, context.release);
				line(`started ${service} on shop-${service}:${context.commit.slice(0, 12)}`);
			}
		}

		return result(true);
	}
}

export class MemoryReleases implements Releases {
	readonly records = new Map<string, ReleaseRecord>();
	save(record: ReleaseRecord) {
		this.records.set(record.id, record);
	}

	get(id: string) {
		return this.records.get(id);
	}

	list(filter: {env?: string; limit?: number} = {}) {
		return [...this.records.values()].filter(record => !filter.env || record.env === filter.env).sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
	}
}

export class MemoryCheckRuns implements CheckRuns {
	readonly runs: CheckRun[] = [];
	save(run: CheckRun) {
		this.runs.push(run);
	}

	list(filter: {env?: string; release?: string; limit?: number} = {}) {
		return this.runs.filter(run => (!filter.env || run.env === filter.env) && (!filter.release || run.release === filter.release)).sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id)).slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
	}
}

/** The audit log, gate records or build times, in memory. */
export class MemoryRecords<T> implements AppendOnlyRecords<T> {
	readonly records: T[] = [];
	append(record: T) {
		this.records.push(record);
	}

	read() {
		return [...this.records];
	}
}

export class MemoryLocks implements Locks {
	readonly held = new Map<string, LockHolder>();
	readonly #watchers = new Set<() => void>();
	acquire(holder: Omit<LockHolder, 'since'>): LockHolder {
		const current = this.read(holder.env);
		if (current) throw new RefusedError(`${holder.env} is locked by ${describeHolder(current)}`);
		const taken = {...holder, since: new Date().toISOString()};
		this.held.set(holder.env, taken);
		this.#changed();
		return taken;
	}

	read(env: string): LockState | undefined {
		const holder = this.held.get(env);
		return holder ? {...holder, stale: false} : undefined;
	}

	list() {
		return [...this.held.keys()].map(env => this.read(env)!);
	}

	release(env: string) {
		const current = this.read(env);
		this.held.delete(env);
		this.#changed();
		return current;
	}

	watch(onChange: () => void, signal: AbortSignal) {
		this.#watchers.add(onChange);
		signal.addEventListener('abort', () => this.#watchers.delete(onChange), {once: true});
	}

	#changed() {
		for (const watcher of this.#watchers) queueMicrotask(watcher);
	}
}

export class MemoryLogs implements LogFiles {
	readonly lines = new Map<string, string[]>();
	open(releaseId: string): LogSink {
		const lines: string[] = [];
		this.lines.set(releaseId, lines);
		return {file: `/state/logs/${releaseId}.log`, write: line => lines.push(line), close: () => undefined};
	}

	contextFile(releaseId: string, stepId: string) {
		return `/nonexistent/opsconsole-test/${releaseId}.${stepId}.context.json`;
	}
}

export class MemoryPreferences implements PreferenceStore {
	constructor(public values: Preferences = {}) {}
	read() {
		return this.values;
	}

	update(change: Partial<Preferences>) {
		this.values = {...this.values, ...change};
	}

	async flush() {}
}

export const healthyProbes: Probes = {run: async probe => ({name: probe.name, url: probe.url, ok: true, status: 200, ms: 1})};

/** An environment file after validation (defaults filled in by the real schema). */
export function environmentConfig(fields: Record<string, unknown>): EnvironmentConfig {
	return environmentSchema.parse({services: {web: {image: 'shop-web'}}, ...fields});
}

/** dev → staging → production, as the example project has them. */
export function pipeline(overrides: Partial<Record<'dev' | 'staging' | 'production', Record<string, unknown>>> = {}): EnvironmentConfig[] {
	return [
		environmentConfig({name: 'dev', title: 'Development', branch: 'dev', promotesTo: 'staging', docker: {project: 'shop-dev'}, protection: {confirm: 'none'}, ...overrides.dev}),
		environmentConfig({name: 'staging', title: 'Staging', branch: 'staging', promotesTo: 'production', docker: {project: 'shop-staging'}, ...overrides.staging}),
		environmentConfig({name: 'production', title: 'Production', branch: 'main', docker: {project: 'shop-production'}, protection: {confirm: 'typed'}, ...overrides.production}),
	];
}

export type FakeWorld = {
	readonly services: Services;
	readonly engine: FakeEngine;
	readonly git: FakeGit;
	readonly recipes: FakeRecipes;
	readonly releases: MemoryReleases;
	readonly audit: MemoryRecords<AuditEntry>;
	readonly locks: MemoryLocks;
	readonly logs: MemoryLogs;
	readonly checkRuns: MemoryCheckRuns;
	readonly gates: MemoryRecords<GateRecord>;
	readonly builds: MemoryRecords<BuildRecord>;
	readonly preferences: MemoryPreferences;
};

/** Services wired by the real assembly (read-only policy included) over in-memory adapters. */
export function fakeWorld(options: {environments?: EnvironmentConfig[]; readOnlyFlag?: boolean; preferences?: Preferences; operator?: string} = {}): FakeWorld {
	const engine = new FakeEngine();
	const git = new FakeGit();
	const recipes = new FakeRecipes(engine, git);
	const releases = new MemoryReleases();
	const audit = new MemoryRecords<AuditEntry>();
	const locks = new MemoryLocks();
	const logs = new MemoryLogs();
	const checkRuns = new MemoryCheckRuns();
	const gates = new MemoryRecords<GateRecord>();
	const builds = new MemoryRecords<BuildRecord>();
	const preferences = new MemoryPreferences(options.preferences);
	const services = assembleServices({
		project: {root: '/projects/shop', environments: options.environments ?? pipeline()},
		git,
		engines: new FakeEngines(engine),
		probes: healthyProbes,
		recipes,
		// The network checks are real: the tests that use them point them at real local servers.
		networkChecks,
		state: {directory: '/state', problem: () => undefined, releases, audit, locks, logs, checkRuns, gates, builds},
		identity: {operator: options.operator ?? 'ana@example.test', host: 'bastion', sshClient: null, sudoUser: null},
		preferences,
		readOnlyFlag: options.readOnlyFlag ?? false,
	});
	return {services, engine, git, recipes, releases, audit, locks, logs, checkRuns, gates, builds, preferences};
}

/**
 * The shop: dev runs "Checkout v2" (verified there), staging and production run "First".
 * Returns the commits by name.
 */
export function shopWorld(options: Parameters<typeof fakeWorld>[0] = {}): FakeWorld & {commits: {first: string; fix: string; checkout: string}} {
	const world = fakeWorld(options);
	const {git, engine, releases} = world;
	const first = git.commitOn(null, 'First', 'Ana', 'a'.repeat(7) + '1'.repeat(33));
	const fix = git.commitOn(first, 'Fix cart totals', 'Bo', 'c'.repeat(7) + '3'.repeat(33));
	const checkout = git.commitOn(fix, 'Checkout v2', 'Ana', 'b'.repeat(7) + '2'.repeat(33));
	git.files = [{path: 'app/cart.js', added: 12, removed: 3}];
	git.branches.set('dev', checkout).set('staging', first).set('main', first);
	const deployedAt = new Date(Date.now() - 86_400_000).toISOString();
	for (const [env, commit] of [['dev', checkout], ['staging', first], ['production', first]] as const) {
		const release = `${env}-r1`;
		engine.run(`shop-${env}`, 'web', commit, release);
		releases.save({id: release, env, kind: 'deploy', from: null, commit, previous: null, previousRelease: null, images: [], operator: 'ana@example.test', host: 'bastion', startedAt: deployedAt, finishedAt: deployedAt, steps: [], outcome: 'succeeded', error: null, rolledBackTo: null, pid: 1, logFile: null});
	}

	return {...world, commits: {first, fix, checkout}};
}
