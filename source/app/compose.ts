import {loadProject, resolveProjectRoot} from '../config/load-project.js';
import {EnginePool} from '../engine/docker-engine.js';
import {httpProbes} from '../probes/http-probe.js';
import {zxRecipeRunner} from '../recipes/recipe-runner.js';
import {AuditLog} from '../state/audit-log.js';
import {LockStore} from '../state/lock-store.js';
import {LogFileStore} from '../state/log-files.js';
import {resolveOperator} from '../state/operator.js';
import {openPreferences} from '../state/preferences.js';
import {ReleaseStore} from '../state/release-store.js';
import {stateDirectory} from '../state/state-directory.js';
import {GitRepository} from '../vcs/git-repository.js';
import {assembleServices, type GlobalOptions, type Services} from './services.js';

/**
 * The composition root: the one place that builds the real adapters, resolves who is acting and
 * reads their preferences, once per process, for whichever face runs.
 */
export async function composeServices(globals: GlobalOptions, options: {cwd?: string; environment?: NodeJS.ProcessEnv} = {}): Promise<Services> {
	const environment = options.environment ?? process.env;
	const project = loadProject(resolveProjectRoot(globals.project, options.cwd ?? process.cwd()));
	const git = new GitRepository(project.root);
	const identity = resolveOperator(globals.operator, globals.operator === undefined ? await git.configValue('user.email') : undefined, environment);
	const directory = stateDirectory(project.root, environment);
	return assembleServices({
		project,
		git,
		engines: new EnginePool({environment, projectRoot: project.root}),
		probes: httpProbes,
		recipes: zxRecipeRunner,
		state: {
			directory,
			releases: new ReleaseStore(directory, identity.host),
			audit: new AuditLog(directory),
			locks: new LockStore(directory, identity.host),
			logs: new LogFileStore(directory),
		},
		identity,
		preferences: openPreferences(environment),
		readOnlyFlag: globals.readOnly === true,
	});
}
