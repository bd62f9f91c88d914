import path from 'node:path';
import type {CheckResult, CheckRun} from '../core/checks.js';
import type {CheckConfig} from '../core/environment-schema.js';
import {environmentNamed} from '../core/pipeline.js';
import {writeCheckReport} from './check-report-file.js';
import {checklistSubject, runChecklist, type ChecklistSubject} from './run-checks.js';
import type {Services} from './services.js';

/** A check as a screen lists it before it has run. */
export type ChecklistItem = Pick<CheckConfig, 'name' | 'type'> & {readonly description: string | null};

export type ChecklistRunHooks = {
	readonly onStart: (index: number) => void;
	readonly onFinish: (index: number, result: CheckResult) => void;
	readonly onStoreProblem?: (message: string) => void;
	readonly signal?: AbortSignal;
};

/** What the checklist screen needs: the list, what it is about, the run (or a re-run of some), and the report. */
export type ChecklistSource = {
	readonly env: string;
	readonly items: readonly ChecklistItem[];
	readonly loadSubject: () => Promise<ChecklistSubject>;
	readonly run: (hooks: ChecklistRunHooks, rerun?: {readonly only: readonly number[]; readonly previous: CheckRun}) => Promise<CheckRun>;
	/** Writes the run's report (format by extension); resolves to the path written. */
	readonly writeReport: (run: CheckRun, file?: string) => Promise<string>;
};

/** `reportDirectory`: where `e` writes a report; the folder opsconsole was started in unless told. */
export function createChecklistSource(services: Services, env: string, options: {readonly reportDirectory?: string} = {}): ChecklistSource {
	const environment = environmentNamed(services.project.environments, env);
	return {
		env,
		items: environment.checks.map(check => ({name: check.name, type: check.type, description: check.description ?? null})),
		loadSubject: async () => checklistSubject(services, env),
		run: async (hooks, rerun) => runChecklist(services, env, hooks, rerun),
		writeReport: async (run, file) => writeCheckReport(file ?? path.join(options.reportDirectory ?? process.cwd(), `${run.id}.md`), run),
	};
}
