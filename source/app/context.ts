import {loadProject, resolveProjectRoot, type Project} from '../config/load-project.js';
import {EnginePool} from '../engine/docker-engine.js';
import {GitRepository} from '../vcs/git-repository.js';

/** The options every command shares (DESIGN.md §5, global flags). */
export type GlobalOptions = {
	readonly project?: string;
	readonly readOnly?: boolean;
	readonly operator?: string;
	readonly color: boolean;
	readonly ascii?: boolean;
};

/** The composition root: one project, one git adapter, one engine client per host, built once. */
export type AppContext = {
	readonly project: Project;
	readonly git: GitRepository;
	readonly engines: EnginePool;
};

export function createContext(options: Pick<GlobalOptions, 'project'>, cwd = process.cwd()): AppContext {
	const project = loadProject(resolveProjectRoot(options.project, cwd));
	return {project, git: new GitRepository(project.root), engines: new EnginePool()};
}
