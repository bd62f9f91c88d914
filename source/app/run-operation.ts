import type {FlowState} from '../core/operation-flow.js';
import type {ReleaseKind} from '../core/release.js';
import {executeOperation, type OperationHooks} from './operation-executor.js';
import type {GateOptions} from './gate-facts.js';
import {checkPreflight, planOperation, targetOf, type OperationRequest, type PlannedOperation} from './plan-operation.js';
import type {Services} from './services.js';

export type {OperationHooks} from './operation-executor.js';

/** How the audit log names an operation. */
export function operationAction(request: {readonly kind: ReleaseKind; readonly from?: string; readonly to?: string}): string {
	return request.kind === 'promotion' ? `promote ${request.from}→${request.to}` : request.kind;
}

/** A promotion, deploy or rollback: the flow of core/operation-flow.ts, run by the executor over these adapters. */
export async function runOperation(services: Services, request: OperationRequest, hooks: OperationHooks, gateOptions: GateOptions = {}): Promise<FlowState> {
	let planned: PlannedOperation | undefined;
	return executeOperation(services, {
		kind: request.kind,
		env: targetOf(request),
		from: request.kind === 'promotion' ? request.from : null,
		action: operationAction(request),
		async plan() {
			planned = await planOperation(services, request);
			return planned;
		},
		check: async () => checkPreflight(services, planned!, gateOptions),
	}, {...hooks, ...(gateOptions.lockWaitMs ? {lockWaitMs: gateOptions.lockWaitMs} : {})});
}
