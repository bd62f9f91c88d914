import type {AppContext, GlobalOptions} from '../app/context.js';
import {createOperationServices, type OperationServices} from '../app/operation-services.js';
import {environmentNamed} from '../app/plan-operation.js';
import {RefusedError} from '../core/errors.js';
import {describeHolder} from '../state/lock-store.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

function audit(services: OperationServices, action: string, env: string, outcome: string, detail?: string): void {
	services.audit.record(services.identity, {action, env, outcome, ...(detail ? {detail} : {})});
}

function refuseWhenReadOnly(globals: GlobalOptions, what: string): void {
	if (globals.readOnly) throw new RefusedError(`${what} changes state and opsconsole runs read-only`);
}

/** `opsconsole lock ENV --message M`: hold the lock by hand (maintenance), until `unlock`. */
export async function lockCommand(context: AppContext, globals: GlobalOptions, output: Output, env: string, options: {message?: string}): Promise<number> {
	environmentNamed(context.project.environments, env);
	refuseWhenReadOnly(globals, 'lock');
	const services = await createOperationServices(context, {operator: globals.operator});
	try {
		services.locks.acquire({env, operator: services.identity.operator, host: services.identity.host, pid: null, action: 'manual lock', message: options.message ?? null});
	} catch (error) {
		audit(services, 'lock', env, 'refused', (error as Error).message);
		throw error;
	}

	audit(services, 'lock', env, 'succeeded', options.message);
	output.line(`locked ${env}${options.message ? ` (${options.message})` : ''}; \`opsconsole unlock ${env}\` releases it`);
	return exitCodes.done;
}

/** `opsconsole unlock ENV [--force]`: release one's own lock, or break another's (audited). */
export async function unlockCommand(context: AppContext, globals: GlobalOptions, output: Output, env: string, options: {force?: boolean}): Promise<number> {
	environmentNamed(context.project.environments, env);
	refuseWhenReadOnly(globals, 'unlock');
	const services = await createOperationServices(context, {operator: globals.operator});
	const holder = services.locks.read(env);
	if (!holder) {
		output.line(`${env} is not locked`);
		return exitCodes.done;
	}

	const action = options.force ? 'unlock --force' : 'unlock';
	const heldByLiveProcessHere = holder.pid !== null && !holder.stale && holder.host === services.identity.host;
	try {
		if (heldByLiveProcessHere) {
			throw new RefusedError(`${env} is locked by a running operation, process ${holder.pid}: ${describeHolder(holder)}; cancel it (Ctrl-C) rather than break its lock`);
		}

		services.locks.release(env, {operator: services.identity.operator, force: options.force === true});
	} catch (error) {
		audit(services, action, env, 'refused', (error as Error).message);
		throw error;
	}

	audit(services, action, env, 'succeeded', `was held by ${describeHolder(holder)}`);
	output.line(`unlocked ${env} (was held by ${describeHolder(holder)})`);
	return exitCodes.done;
}

/** `opsconsole locks`: who holds what, since when, doing what. */
export async function locksCommand(context: AppContext, globals: GlobalOptions, output: Output, options: {json?: boolean}): Promise<number> {
	const services = await createOperationServices(context, {operator: globals.operator});
	const locks = services.locks.list();
	if (options.json) output.json({locks});
	else output.line(locks.length === 0 ? 'no locks held' : locks.map(lock => `${lock.env}: ${describeHolder(lock)}`).join('\n'));
	return exitCodes.done;
}
