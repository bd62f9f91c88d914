import {createChecklistSource, type ChecklistSource} from './checklist-source.js';
import type {ContainerDetails} from '../core/container.js';
import {createHistorySource, type HistorySource} from './history-source.js';
import {environmentNamed} from '../core/pipeline.js';
import type {PromotionSource, RollbackSource} from './operation-face.js';
import {recordAudit, type Services} from './services.js';

export type ActionResult = {readonly ok: boolean; readonly message: string};

/** What the dashboard can do beyond watching; the UI sees this interface and nothing of Docker. */
export type DashboardActions = {
	/** Why the environment may not be changed from here, or undefined when it may. */
	readOnlyReason(env: string): string | undefined;
	restartContainer(env: string, containerId: string, name: string): Promise<ActionResult>;
	inspectContainer(env: string, containerId: string): Promise<ContainerDetails>;
	/** The promotion wizard's source (the same flow as `opsconsole promote`). */
	promotionSource(): PromotionSource;
	/** The rollback picker's source for ENV (the same flow as `opsconsole rollback`). */
	rollbackSource(env: string): RollbackSource;
	/** The checklist screen's source for ENV (the same run as `opsconsole check`). */
	checklistSource(env: string): ChecklistSource;
	/** The history screen's source for ENV (the same records as `opsconsole history`). */
	historySource(env: string): HistorySource;
	/** Streams the container's log (last lines, then follows), secrets masked, until `signal` aborts. */
	streamLogs(env: string, containerId: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
};

export function createDashboardActions(services: Services): DashboardActions {
	const engineOf = (env: string) => services.engines.engineFor(environmentNamed(services.project.environments, env).docker);
	const audit = (action: string, env: string, outcome: string, detail?: string) => recordAudit(services, {action, env, outcome, ...(detail ? {detail} : {})});

	return {
		readOnlyReason: env => services.readOnly.reasonFor(env),
		// The wizard's and the picker's machinery (recipes, builds) loads on first use: the dashboard draws without it.
		promotionSource() {
			const source = async () => (await import('./promotion-source.js')).createPromotionSource(services);
			return {
				loadChoices: async () => (await source()).loadChoices(),
				startPromotion: (from, to) => async hooks => (await source()).startPromotion(from, to)(hooks),
			};
		},
		rollbackSource(env) {
			const source = async () => (await import('./rollback-targets.js')).createRollbackSource(services, env);
			return {
				loadCandidates: async () => (await source()).loadCandidates(),
				commitsUndone: async candidate => (await source()).commitsUndone(candidate),
				startRollback: candidate => async hooks => (await source()).startRollback(candidate)(hooks),
			};
		},

		checklistSource: env => createChecklistSource(services, env),
		historySource: env => createHistorySource(services, env),

		async restartContainer(env, containerId, name) {
			const action = `restart ${name}`;
			const refusal = services.readOnly.reasonFor(env);
			if (refusal) {
				audit(action, env, 'refused', refusal);
				return {ok: false, message: `restart refused: ${refusal}`};
			}

			const {locks} = services.state;
			const {operator, host} = services.identity;
			try {
				locks.acquire({env, operator, host, pid: process.pid, action, message: null});
			} catch (error) {
				audit(action, env, 'refused', (error as Error).message);
				return {ok: false, message: `restart refused: ${(error as Error).message}`};
			}

			try {
				await engineOf(env).restartContainer(containerId);
				audit(action, env, 'succeeded');
				return {ok: true, message: `restarted ${name}`};
			} catch (error) {
				audit(action, env, 'failed', (error as Error).message);
				return {ok: false, message: `restart of ${name} failed: ${(error as Error).message}`};
			} finally {
				locks.release(env, {operator, ownPid: process.pid});
			}
		},

		async inspectContainer(env, containerId) {
			const details = await engineOf(env).containerDetails(containerId);
			if (!details) throw new Error('the container is gone');
			return details;
		},

		async streamLogs(env, containerId, onLine, signal) {
			await engineOf(env).streamLogs(containerId, onLine, signal);
		},
	};
}
