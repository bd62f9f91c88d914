import type {Project} from '../config/load-project.js';
import type {Engines, Git, NetworkChecks, PreferenceStore, Probes, RecipeRunner, StateStores} from '../core/adapters.js';
import {auditEntry, type AuditEntry, type OperatorIdentity} from '../core/audit.js';
import {projectSlug} from '../core/project-name.js';
import {readOnlyPolicy, type ReadOnlyPolicy} from '../core/read-only.js';

/** The options every command shares (DESIGN.md §5, global flags). */
export type GlobalOptions = {
	readonly project?: string;
	readonly readOnly?: boolean;
	readonly operator?: string;
	readonly color: boolean;
	readonly ascii?: boolean;
	/** Keep `--ascii`/`--no-ascii` for later runs. */
	readonly remember?: boolean;
	/** Print the dashboard once instead of opening it (`--once`), `width` columns wide. */
	readonly once?: boolean;
	readonly width?: string;
	/** `--lock-wait DURATION`: mutating commands wait this long for a held lock. */
	readonly lockWait?: string;
};

/**
 * Everything a face needs, built once per process by the composition root (app/compose.ts) and
 * handed down: the project, one adapter of each kind, who is acting, their preferences, and the
 * read-only policy every command and key obeys.
 */
export type Services = {
	readonly project: Project;
	/** The deployment project's slug: the `opsconsole.project` label. */
	readonly projectName: string;
	readonly git: Git;
	readonly engines: Engines;
	readonly probes: Probes;
	readonly recipes: RecipeRunner;
	/** The checklist's network checks (http, latency, tcp, tls, headers). */
	readonly networkChecks: NetworkChecks;
	readonly state: StateStores;
	readonly identity: OperatorIdentity;
	readonly preferences: PreferenceStore;
	readonly readOnly: ReadOnlyPolicy;
};

export type ServiceParts = Omit<Services, 'projectName' | 'readOnly'> & {readonly readOnlyFlag: boolean};

/** Wires parts into services, deciding read-only once; the real root and the tests' fakes both go through here. */
export function assembleServices(parts: ServiceParts): Services {
	const {readOnlyFlag, ...rest} = parts;
	return {
		...rest,
		projectName: projectSlug(parts.project.root),
		readOnly: readOnlyPolicy({flag: readOnlyFlag, preferences: parts.preferences.read(), environments: parts.project.environments}),
	};
}

/** Appends one audit line: `services`' operator did `entry.action` on `entry.env`, now. */
export function recordAudit(services: Pick<Services, 'state' | 'identity'>, entry: Pick<AuditEntry, 'action' | 'env' | 'outcome' | 'release' | 'commit' | 'detail'>): void {
	services.state.audit.append(auditEntry(services.identity, entry, new Date()));
}
