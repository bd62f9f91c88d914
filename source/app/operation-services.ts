import path from 'node:path';
import {AuditLog} from '../state/audit-log.js';
import {LockStore} from '../state/lock-store.js';
import {resolveOperator, type OperatorIdentity} from '../state/operator.js';
import {ReleaseStore} from '../state/release-store.js';
import {stateDirectory} from '../state/state-directory.js';
import type {AppContext} from './context.js';

/** What a mutating operation needs beyond reading status: who acts, and where state is kept. */
export type OperationServices = AppContext & {
	readonly identity: OperatorIdentity;
	readonly readOnly: boolean;
	readonly stateDirectory: string;
	readonly releases: ReleaseStore;
	readonly audit: AuditLog;
	readonly locks: LockStore;
	/** The deployment project's slug: the `opsconsole.project` label. */
	readonly projectName: string;
};

export function projectSlug(root: string): string {
	return path.basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
}

export async function createOperationServices(context: AppContext, options: {operator?: string; readOnly?: boolean}): Promise<OperationServices> {
	const identity = resolveOperator(options.operator, await context.git.configValue('user.email'));
	const directory = stateDirectory(context.project.root);
	return {
		...context,
		identity,
		readOnly: options.readOnly === true,
		stateDirectory: directory,
		releases: new ReleaseStore(directory, identity.host),
		audit: new AuditLog(directory),
		locks: new LockStore(directory, identity.host),
		projectName: projectSlug(context.project.root),
	};
}
