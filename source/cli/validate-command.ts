import {inspectProject} from '../config/load-project.js';
import {resolveProjectRoot} from '../config/project-root.js';
import {formatProblem} from '../config/project-problems.js';
import {plural} from '../core/words.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

/** `opsconsole validate`: every problem at once, or a one-line summary. */
export function validateCommand(projectOption: string | undefined, output: Output): number {
	const report = inspectProject(resolveProjectRoot(projectOption), {checkEngineFiles: true});
	if (report.problems.length > 0) {
		for (const problem of report.problems) output.error(formatProblem(problem));
		output.error(`${plural(report.problems.length, 'problem')} found`);
		return exitCodes.usage;
	}

	const chain = report.environments.map(environment => environment.name).join(' → ');
	output.line(`${plural(report.environments.length, 'environment')} valid: ${chain}`);
	return exitCodes.done;
}
