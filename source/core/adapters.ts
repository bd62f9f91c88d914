/**
 * The adapter boundary (ports): what app/ needs from the outside world, in domain verbs. engine/, vcs/,
 * recipes/, probes/ and state/ implement these against Docker, git, zx, HTTP and files; tests
 * give small in-memory ones. Nothing above app/ sees more of an adapter than this.
 */
import type {AuditEntry} from './audit.js';
import type {BuildRecord} from './builds.js';
import type {CheckRun, CheckVerdict} from './checks.js';
import type {ChangedFile, CommitSummary} from './commit.js';
import type {GateRecord} from './gate-records.js';
import type {ContainerDetails, ContainerEvent, ContainerSnapshot} from './container.js';
import type {CheckConfig, EnvironmentConfig, ProbeConfig} from './environment-schema.js';
import type {LockHolder, LockState} from './lock.js';
import type {ProbeResult} from './health.js';
import type {ReleaseRecord} from './release.js';
import type {RecipeRequest, RecipeResult} from './recipe-context.js';
import type {SwarmEvent, SwarmRole, SwarmSnapshot} from './swarm.js';


/** How an environment names its engine (its `docker:` block). */
export type DockerTarget = EnvironmentConfig['docker'];

/** One Docker engine. Every verb is bounded in time; an unreachable engine throws EngineUnavailableError. */
export type Engine = {
	/** The address shown to people, e.g. `unix:///var/run/docker.sock`. */
	readonly host: string;
	/** What the operator must know about this connection, e.g. that TLS verification is off. */
	readonly caution?: string | undefined;
	/**
	 * An environment's containers (running or not), by compose project label, in display order.
	 * Known, unchanged ones are not inspected again. `onListed` hears them first as the engine's
	 * list has them (partial: no start time or restarts), before the inspects that complete them,
	 * which wait for the promise it returns, if any.
	 */
	listEnvironmentContainers(project: string, known?: ReadonlyMap<string, ContainerSnapshot>, onListed?: (partial: ContainerSnapshot[]) => void | Promise<void>): Promise<ContainerSnapshot[]>;
	/** One container's snapshot, or undefined when it is gone. */
	containerSnapshot(id: string): Promise<ContainerSnapshot | undefined>;
	/** What `i` shows, secrets masked; undefined when the container is gone. */
	containerDetails(id: string): Promise<ContainerDetails | undefined>;
	restartContainer(id: string): Promise<void>;
	/** The container's log (recent lines, then following) with its secrets masked, until `signal` aborts or the log ends (its container stopped); rejects when the connection breaks. */
	streamLogs(id: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
	/** The container's log lines (both streams) since an ISO time, secrets masked, printable; for the logs check. */
	logLinesSince(id: string, since: string): Promise<string[]>;
	imagePresent(tag: string): Promise<boolean>;
	/** The values of secret-looking variables in a project's containers: what must be masked wherever a recipe prints it. */
	secretsToMask(project: string): Promise<string[]>;
	/**
	 * Container events of compose-labelled containers until the stream ends (resolves) or breaks
	 * (rejects). `onListening` is called once the engine streams: no change after it is missed.
	 */
	watchEvents(onEvent: (event: ContainerEvent) => void, signal: AbortSignal, onListening?: () => void): Promise<void>;
	/** Removes every container and network of a compose project. */
	removeEnvironment(project: string): Promise<{containers: number; networks: number}>;
	removeImagesLabelled(label: string, value: string): Promise<number>;
	/** Removes a stopped container (never a running one: `live`); `absent` when it is already gone. */
	removeStoppedContainer(id: string): Promise<'removed' | 'absent' | 'live'>;
	/**
	 * Removes an image tag (the image itself with its last tag), never by force: `in-use` when a
	 * container still uses it, `absent` when there is no such tag.
	 */
	removeImageTag(tag: string): Promise<'removed' | 'absent' | 'in-use'>;
	/** Swarm verbs, for engines that can be in a swarm (loaded on first use). */
	readonly swarm?: SwarmEngine;
};

/** What a swarm environment needs of its engine; every verb bounded in time like the others. */
export type SwarmEngine = {
	role(): Promise<SwarmRole>;
	/** The stack's services (with tasks) and the swarm's nodes. */
	readStack(stack: string): Promise<SwarmSnapshot>;
	/** Service, node and stack task-container events until the stream ends or breaks, as watchEvents. */
	watchEvents(onEvent: (event: SwarmEvent) => void, signal: AbortSignal, onListening?: () => void): Promise<void>;
	/** Makes the engine a single-node swarm's manager (the demo's, when the engine is in none). */
	initialise(): Promise<void>;
	/** Takes the engine out of its swarm again. */
	leave(): Promise<void>;
	removeStack(stack: string): Promise<{services: number; networks: number}>;
	/** Services in the whole swarm, any stack's. */
	serviceCount(): Promise<number>;
};

export type Engines = {
	/** One engine per distinct address, shared by every environment that uses it. Never throws: an engine that cannot be reached says why when used. */
	engineFor(docker: DockerTarget): Engine;
	/** Ends every connection the engines hold (ssh processes included), so the process can leave. */
	close(): void;
};

export type Git = {
	readonly root: string;
	branchHead(branch: string): Promise<string | undefined>;
	resolve(revision: string): Promise<string | undefined>;
	commitsBetween(base: string, head: string, limit?: number): Promise<CommitSummary[]>;
	countCommitsBetween(base: string, head: string): Promise<number>;
	commit(revision: string): Promise<CommitSummary | undefined>;
	changedFiles(base: string, head: string): Promise<ChangedFile[]>;
	isAncestor(ancestor: string, descendant: string): Promise<boolean>;
	tagsWithPrefix(prefix: string): Promise<Array<{tag: string; commit: string; date: string}>>;
	isClean(): Promise<boolean>;
	configValue(key: string): Promise<string | undefined>;
	/** True when `commit` is contained in a branch other than `branch` (local or origin's) or in an opsconsole release tag. */
	keptElsewhere(commit: string, branch: string): Promise<boolean>;
	/**
	 * Moves `branch` to `to` (deletes it when null), only if it still points at `expected`: never
	 * over someone else's move. A checked-out branch moves with `reset --keep`, so no work is lost.
	 */
	moveBranch(branch: string, to: string | null, expected: string): Promise<'moved' | 'not-there'>;
	/** Deletes a tag if it exists. */
	deleteTag(tag: string): Promise<void>;
};

export type RecipeRunner = {
	run(request: RecipeRequest): Promise<RecipeResult>;
};

export type Probes = {
	run(probe: Pick<ProbeConfig, 'name' | 'url' | 'expectStatus' | 'timeoutMs'>): Promise<ProbeResult>;
};

type CheckOf<T extends CheckConfig['type']> = Extract<CheckConfig, {type: T}>;

/** The checks that look at the network (probes/network-checks.ts); each stops when `signal` aborts. */
export type NetworkChecks = {
	http(check: CheckOf<'http'>, signal: AbortSignal): Promise<CheckVerdict>;
	latency(check: CheckOf<'latency'>, signal: AbortSignal): Promise<CheckVerdict>;
	tcp(check: CheckOf<'tcp'>, signal: AbortSignal): Promise<CheckVerdict>;
	/** `ca` is read relative to `projectRoot`. */
	tls(check: CheckOf<'tls'>, projectRoot: string, signal: AbortSignal): Promise<CheckVerdict>;
	headers(check: CheckOf<'headers'>, signal: AbortSignal): Promise<CheckVerdict>;
};

/** Checklist runs, kept beside the releases they checked. */
export type CheckRuns = {
	save(run: CheckRun): void;
	/** Newest first. */
	list(filter?: {env?: string; release?: string; limit?: number}): CheckRun[];
};

export type Releases = {
	save(record: ReleaseRecord): void;
	get(id: string): ReleaseRecord | undefined;
	list(filter?: {env?: string; limit?: number}): ReleaseRecord[];
};

/** An append-only file of records (state/json-lines.ts): the audit log, gate records, build times. */
export type AppendOnlyRecords<T> = {
	append(record: T): void;
	/** Every record, oldest first. */
	read(): T[];
};

export type Audit = AppendOnlyRecords<AuditEntry>;

export type Locks = {
	/** Takes the lock or throws RefusedError naming the holder. */
	acquire(holder: Omit<LockHolder, 'since'>): LockHolder;
	read(env: string): LockState | undefined;
	list(): LockState[];
	release(env: string, options: {operator: string; force?: boolean; ownPid?: number}): LockState | undefined;
	/** Calls `onChange` soon after any lock is taken or released, by any process, until `signal` aborts; best effort, so readers still read on a timer. */
	watch(onChange: () => void, signal: AbortSignal): void;
};

/** Image builds and how long they took (core/builds.ts), append-only; the recipe kit writes them. */
export type BuildRecords = AppendOnlyRecords<BuildRecord>;

/** Hold releases and approvals (core/gate-records.ts), append-only. */
export type GateRecords = AppendOnlyRecords<GateRecord>;

/** A run's full output, kept on disk; every line already redacted by the caller. */
export type LogSink = {
	readonly file: string;
	write(line: string): void;
	close(): void;
};

export type LogFiles = {
	open(releaseId: string): LogSink;
	/** Where a recipe's context file for this run goes (removed after the run). */
	contextFile(releaseId: string, stepId: string): string;
};

/** State kept under `.opsconsole/` (or OPSCONSOLE_STATE_DIR). */
export type StateStores = {
	readonly directory: string;
	/** What keeps opsconsole from recording there (a read-only or full disk, wrong owner), or undefined: checked before anything changes. */
	problem(): string | undefined;
	readonly releases: Releases;
	readonly audit: Audit;
	readonly locks: Locks;
	readonly logs: LogFiles;
	readonly checkRuns: CheckRuns;
	readonly gates: GateRecords;
	readonly builds: BuildRecords;
};

/** Small per-user preferences: remembered between sessions, never required. */
export type Preferences = {
	readonly lastEnvironment?: string;
	readonly ascii?: boolean;
	/** Read-only everywhere (e.g. on a bastion). */
	readonly readOnly?: boolean;
	/** Environments this user only watches, e.g. ["production"]. */
	readonly readOnlyEnvironments?: readonly string[];
};

export type PreferenceStore = {
	read(): Preferences;
	/** Remembers a change; a failure to write (read-only home, full disk) is not an error. */
	update(change: Partial<Preferences>): void;
	/** Settles once every update so far is written. */
	flush(): Promise<void>;
};
