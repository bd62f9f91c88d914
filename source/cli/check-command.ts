import {writeCheckReport} from '../app/check-report-file.js';
import {onEndingSignals} from '../app/operation-control.js';
import {runChecklist} from '../app/run-checks.js';
import type {Services} from '../app/services.js';
import {jsonReport, reportFormatFor} from '../core/check-report.js';
import {runPassed, runVerdict, summaryLine, type CheckResult, type CheckRun} from '../core/checks.js';
import {signalExitCodes, type EndingSignal} from '../core/exit-codes.js';
import {UsageError} from '../core/errors.js';
import {environmentNamed} from '../core/pipeline.js';
import {shortSha} from '../core/words.js';
import {checkMark, checkTone, checkWord, formatCheckTime} from '../presentation/check-marks.js';
import {paint} from '../presentation/style.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

export type CheckFlags = {readonly report?: string; readonly json?: boolean; readonly present?: boolean};

/**
 * `opsconsole check ENV` without a screen: one line per check as it finishes, a summary, the
 * report when asked; exit 0 when every check passed, 1 when any failed.
 */
export async function checkCommand(services: Services, output: Output, env: string, flags: CheckFlags): Promise<number> {
	const environment = environmentNamed(services.project.environments, env);
	// A bad report name is a usage error before anything runs, not after.
	if (flags.report !== undefined) reportFormatFor(flags.report);
	const say = (text: string) => (flags.json ? output.error(text) : output.line(text));
	if (environment.checks.length === 0) throw new UsageError(`${env} has no checks: add a checks: list to environments/${env}.yaml`);
	const total = environment.checks.length;
	let finished = 0;
	const line = (result: CheckResult) => {
		finished++;
		const mark = paint(`${checkMark(result.status, output.style)} ${checkWord(result.status)}`, checkTone(result.status), output.style);
		say(`[${finished}/${total}] ${mark}  ${result.name}  ${formatCheckTime(result.ms)}  ${result.detail}`);
	};

	// Ctrl-C or a signal stops the checks under way (a recipe gets SIGTERM), skips the rest, and still reports what ran.
	const stopping = new AbortController();
	let endedBy: EndingSignal | undefined;
	const stopListening = onEndingSignals(signal => {
		endedBy ??= signal;
		stopping.abort();
	});
	let run: CheckRun;
	try {
		run = await runChecklist(services, env, {onFinish: (_index, result) => line(result), onStoreProblem: message => output.error(`opsconsole: ${message}`), signal: stopping.signal});
	} finally {
		stopListening();
	}

	const passedAll = runPassed(run);
	const about = `${env} on ${run.release ?? 'no release'}${run.commit ? ` (${shortSha(run.commit)}${run.subject ? ` ${run.subject}` : ''})` : ''}`;
	say(paint(`${runVerdict(run.checks)}: ${summaryLine(run.checks)} — ${about}`, passedAll ? 'good' : 'bad', output.style));
	if (flags.report !== undefined) say(`report: ${writeCheckReport(flags.report, run)}`);
	if (flags.json) output.json(jsonReport(run));
	if (endedBy) return signalExitCodes[endedBy];
	return passedAll ? exitCodes.done : exitCodes.failed;
}
