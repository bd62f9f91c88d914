import {evaluateChecksGate, type ChecksGate} from '../core/checks-gate.js';
import {parseDuration} from '../core/duration.js';
import type {PlannedOperation} from './plan-operation.js';
import type {Services} from './services.js';

/** The checks gate of a promotion out of an environment that requires checks; undefined for anything else. */
export function fromChecksGate(services: Services, planned: PlannedOperation): ChecksGate | undefined {
	const {from, fromStatus, plan} = planned;
	if (plan.kind !== 'promotion' || !from || !from.protection.requireChecks) return undefined;
	const maxAge = from.protection.checksMaxAge;
	return evaluateChecksGate({
		env: from.name,
		release: fromStatus?.release ?? null,
		maxAge,
		maxAgeMs: parseDuration(maxAge) ?? 86_400_000,
		runs: services.state.checkRuns.list({env: from.name}),
		now: new Date(),
	});
}
