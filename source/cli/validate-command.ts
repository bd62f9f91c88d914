import {inspectProject, locateField} from '../config/load-project.js';
import {resolveProjectRoot} from '../config/project-root.js';
import {formatProblem, type ConfigProblem} from '../config/project-problems.js';
import {plural} from '../core/words.js';
import {exitCodes} from './exit-codes.js';
import type {Output} from './output.js';

/** `opsconsole validate`: every problem at once, or a one-line summary. */
export async function validateCommand(projectOption: string | undefined, output: Output): Promise<number> {
	const report = inspectProject(resolveProjectRoot(projectOption), {checkEngineFiles: true});
	const problems: ConfigProblem[] = [...report.problems];
	// Swarm environments need their engine to be a manager, which only the engine can say.
	const swarms = report.environments.filter(environment => environment.docker.mode === 'swarm');
	if (swarms.length > 0) {
		const {swarmEngineFindings} = await import('../app/swarm-validation.js');
		for (const finding of await swarmEngineFindings(report.root, swarms)) {
			const where = locateField(report.root, finding.env, finding.fieldPath);
			if (finding.kind === 'problem') problems.push({...where, field: finding.fieldPath.join('.'), message: finding.message});
			else output.error(`${where.file}:${where.line}: note: ${finding.message}`);
		}
	}

	if (problems.length > 0) {
		for (const problem of problems) output.error(formatProblem(problem));
		output.error(`${plural(problems.length, 'problem')} found`);
		return exitCodes.usage;
	}

	const chain = report.environments.map(environment => environment.name).join(' → ');
	output.line(`${plural(report.environments.length, 'environment')} valid: ${chain}`);
	return exitCodes.done;
}
