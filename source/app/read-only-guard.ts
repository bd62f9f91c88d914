import {RefusedError} from '../core/errors.js';
import {recordAudit, type Services} from './services.js';

/**
 * Refuses (audited, exit 3) an action the read-only policy forbids, before anything is read or
 * asked: on `env`, or on anything at all when no environment is chosen yet.
 */
export function refuseIfReadOnly(services: Services, env: string | null, action: string): void {
	const reason = env === null ? services.readOnly.everywhere : services.readOnly.reasonFor(env);
	if (!reason) return;
	recordAudit(services, {action, env, outcome: 'refused', detail: reason});
	throw new RefusedError(`${action} refused, nothing changed: ${reason}`);
}
