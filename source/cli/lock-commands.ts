import {refuseIfReadOnly} from '../app/read-only-guard.js';
import {recordAudit, type Services} from '../app/services.js';
import {RefusedError} from '../core/errors.js';
import {formatDuration, lockWaitOf} from '../core/duration.js';
import {describeHolder} from '../core/lock.js';
import {environmentNamed} from '../core/pipeline.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

function audit(services: Services, action: string, env: string, outcome: string, detail?: string): void {
	recordAudit(services, {action, env, outcome, ...(detail ? {detail} : {})});
}

/** `opsconsole lock ENV --message M`: hold the lock by hand (maintenance), until `unlock`. */
export async function lockCommand(services: Services, output: Output, env: string, options: {message?: string; lockWait?: string}): Promise<number> {
	environmentNamed(services.project.environments, env);
	refuseIfReadOnly(services, env, 'lock');
	const {operator, host} = services.identity;
	const waitMs = lockWaitOf(options.lockWait);
	const until = Date.now() + waitMs;
	let said = 0;
	for (;;) {
		try {
			services.state.locks.acquire({env, operator, host, pid: null, action: 'manual lock', message: options.message ?? null});
			break;
		} catch (error) {
			if (!(error instanceof RefusedError) || Date.now() >= until) {
				audit(services, 'lock', env, 'refused', (error as Error).message);
				throw error;
			}

			if (Date.now() - said >= 5000) {
				said = Date.now();
				output.error(`waiting for the lock, ${formatDuration(until - Date.now())} left: ${(error as Error).message}`);
			}

			await new Promise(resolve => setTimeout(resolve, Math.min(1000, until - Date.now())));
		}
	}

	audit(services, 'lock', env, 'succeeded', options.message);
	output.line(`locked ${env}${options.message ? ` (${options.message})` : ''}; \`opsconsole unlock ${env}\` releases it`);
	return exitCodes.done;
}

/** `opsconsole unlock ENV [--force]`: release one's own lock, or break another's (audited). */
export async function unlockCommand(services: Services, output: Output, env: string, options: {force?: boolean}): Promise<number> {
	environmentNamed(services.project.environments, env);
	const action = options.force ? 'unlock --force' : 'unlock';
	refuseIfReadOnly(services, env, action);
	const {locks} = services.state;
	const holder = locks.read(env);
	if (!holder) {
		output.line(`${env} is not locked`);
		return exitCodes.done;
	}

	const heldByLiveProcessHere = holder.pid !== null && !holder.stale && holder.host === services.identity.host;
	try {
		if (heldByLiveProcessHere) {
			throw new RefusedError(`${env} is locked by a running operation, process ${holder.pid}: ${describeHolder(holder)}; cancel it (Ctrl-C) rather than break its lock`);
		}

		locks.release(env, {operator: services.identity.operator, force: options.force === true});
	} catch (error) {
		audit(services, action, env, 'refused', (error as Error).message);
		throw error;
	}

	audit(services, action, env, 'succeeded', `was held by ${describeHolder(holder)}`);
	output.line(`unlocked ${env} (was held by ${describeHolder(holder)})`);
	return exitCodes.done;
}

/** `opsconsole locks`: who holds what, since when, doing what. */
export async function locksCommand(services: Services, output: Output, options: {json?: boolean}): Promise<number> {
	const locks = services.state.locks.list();
	if (options.json) output.json({locks});
	else output.line(locks.length === 0 ? 'no locks held' : locks.map(lock => `${lock.env}: ${describeHolder(lock)}`).join('\n'));
	return exitCodes.done;
}
