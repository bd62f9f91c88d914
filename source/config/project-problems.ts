/** One thing wrong with a deployment project's configuration, located for a person to fix. */
export type ConfigProblem = {
	/** Path relative to the project root, e.g. `environments/staging.yaml`. */
	readonly file: string;
	/** 1-based line, 0 when the problem concerns no particular line. */
	readonly line: number;
	/** Dotted field path, e.g. `probes[0].url`; empty for the file as a whole. */
	readonly field: string;
	readonly message: string;
};

export function formatProblem(problem: ConfigProblem): string {
	const location = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
	return problem.field ? `${location}: ${problem.field}: ${problem.message}` : `${location}: ${problem.message}`;
}

/** Thrown by anything that meets an invalid project; the CLI prints every problem and exits 2. */
export class ConfigError extends Error {
	constructor(readonly problems: readonly ConfigProblem[]) {
		super(problems.map(problem => formatProblem(problem)).join('\n'));
		this.name = 'ConfigError';
	}
}

export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
	let text = '';
	for (const segment of path) {
		if (typeof segment === 'number') text += `[${segment}]`;
		else text += text ? `.${String(segment)}` : String(segment);
	}

	return text;
}
