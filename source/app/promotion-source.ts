import {freezeReason} from '../core/freeze-windows.js';
import {describeHolder} from '../core/lock.js';
import {upstreamOf} from '../core/pipeline.js';
import {collectStatus} from './collect-status.js';
import type {PromotionChoice, PromotionSource} from './operation-face.js';
import type {GateOptions} from './gate-facts.js';
import {runOperation} from './run-operation.js';
import type {Services} from './services.js';

/** The wizard's view of the pipeline, driving the same flow as `opsconsole promote`. */
export function createPromotionSource(services: Services, gateOptions: GateOptions = {}): PromotionSource {
	const {environments} = services.project;
	return {
		async loadChoices(): Promise<PromotionChoice[]> {
			const statuses = await collectStatus(services, environments);
			return environments.map((environment, index) => {
				const status = statuses[index]!;
				const lock = services.state.locks.read(environment.name);
				const frozen = freezeReason(environment.protection.freeze, new Date());
				const receiving = [
					upstreamOf(environments, environment.name) ? undefined : 'first stage: nothing promotes into it',
					frozen ? `frozen: ${frozen}` : undefined,
					lock ? `locked by ${describeHolder(lock)}` : undefined,
					services.readOnly.reasonFor(environment.name),
				].find(reason => reason !== undefined);
				const sending = !environment.promotesTo
					? 'last stage: promotes nowhere'
					: status.runningCommit ? undefined : 'runs no release deployed by opsconsole';
				return {name: environment.name, title: environment.title ?? environment.name, promotesTo: environment.promotesTo ?? null, cannotPromoteFrom: sending, cannotReceive: receiving};
			});
		},
		startPromotion: (from, to) => async hooks => runOperation(services, {kind: 'promotion', from, to}, hooks, gateOptions),
	};
}
