import path from 'node:path';
import type {Project} from '../config/load-project.js';
import {cacheContent, cachedEnvironments} from '../config/project-cache.js';
import {resolveProjectRoot} from '../config/project-root.js';
import {EnginePool} from '../engine/docker-engine.js';
import {httpProbes} from '../probes/http-probe.js';
import {networkChecks} from '../probes/network-checks.js';
import {zxRecipeRunner} from '../recipes/recipe-runner.js';
import {AuditLog} from '../state/audit-log.js';
import {BuildStore} from '../state/build-store.js';
import {CheckRunStore} from '../state/check-run-store.js';
import {GateStore} from '../state/gate-store.js';
import {LockStore} from '../state/lock-store.js';
import {LogFileStore} from '../state/log-files.js';
import {resolveOperator} from '../state/operator.js';
import {openPreferences} from '../state/preferences.js';
import {ReleaseStore} from '../state/release-store.js';
import {stateDirectory} from '../state/state-directory.js';
import {ensurePrivateDirectory, stateDirectoryProblem, writeFileAtomically} from '../state/state-files.js';
import {GitRepository} from '../vcs/git-repository.js';
import {assembleServices, type GlobalOptions, type Services} from './services.js';

/** A warning is worth saying once per process, however often the damaged file is read. */
function onceEach(say: (message: string) => void): (message: string) => void {
	const said = new Set<string>();
	return message => {
		if (said.has(message)) return;
		said.add(message);
		say(message);
	};
}

const buildId = typeof OPSCONSOLE_BUILD_ID === 'string' ? OPSCONSOLE_BUILD_ID : undefined;

/** The validated project, from the cache when its files have not changed since this build last validated them. */
async function loadProjectQuickly(root: string, directory: string): Promise<Project> {
	const cache = buildId ? {file: path.join(directory, 'cache', 'project.json'), build: buildId} : undefined;
	const cached = cache && cachedEnvironments(root, cache);
	if (cached) return {root, environments: cached};
	const remember = cache && cacheContent(root, cache);
	const {loadProject} = await import('../config/load-project.js');
	const project = loadProject(root);
	if (cache && remember) {
		try {
			ensurePrivateDirectory(path.dirname(cache.file));
			writeFileAtomically(cache.file, remember(project.environments));
		} catch {
			// A state folder that cannot be written costs only the next start its shortcut; commands that write state say so themselves.
		}
	}

	return project;
}

/**
 * The composition root: the one place that builds the real adapters, resolves who is acting and
 * reads their preferences, once per process, for whichever face runs.
 */
export async function composeServices(globals: GlobalOptions, options: {cwd?: string; environment?: NodeJS.ProcessEnv; readsEngines?: boolean} = {}): Promise<Services> {
	const environment = options.environment ?? process.env;
	const root = resolveProjectRoot(globals.project, options.cwd ?? process.cwd());
	const directory = stateDirectory(root, environment);
	const project = await loadProjectQuickly(root, directory);
	const git = new GitRepository(project.root);
	const email = globals.operator === undefined ? git.configValue('user.email') : undefined;
	const engines = new EnginePool({environment, projectRoot: project.root});
	// The Engine API client loads while git answers, instead of after it.
	if (options.readsEngines) engines.prepare();
	const identity = resolveOperator(globals.operator, await email, environment);
	const warn = onceEach(message => console.warn(`opsconsole: ${message}`));
	const audit = new AuditLog(directory, warn);
	return assembleServices({
		project,
		git,
		engines,
		probes: httpProbes,
		recipes: zxRecipeRunner,
		networkChecks,
		state: {
			directory,
			problem: () => stateDirectoryProblem(directory, ['releases', 'locks', 'logs']),
			releases: new ReleaseStore(directory, identity.host, warn, record => audit.append({
				at: new Date().toISOString(),
				operator: record.operator,
				host: record.host,
				sshClient: null,
				action: record.kind === 'promotion' ? `promote ${record.from}→${record.env}` : record.kind,
				env: record.env,
				outcome: 'interrupted',
				release: record.id,
				commit: record.commit,
				detail: `found by ${identity.operator} at the next run: ${record.error}`,
			})),
			audit,
			locks: new LockStore(directory, identity.host),
			logs: new LogFileStore(directory),
			checkRuns: new CheckRunStore(directory, warn),
			gates: new GateStore(directory, warn),
			builds: new BuildStore(directory, warn),
		},
		identity,
		preferences: openPreferences(environment),
		readOnlyFlag: globals.readOnly === true,
	});
}
