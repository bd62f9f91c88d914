import {closeSync, constants, fstatSync, openSync, readdirSync, readSync} from 'node:fs';
import path from 'node:path';
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml';
import type {z} from 'zod';
import {environmentSchema, type EnvironmentConfig} from '../core/environment-schema.js';
import {findPromotionCycle, orderPipeline, upstreamOf} from '../core/pipeline.js';
import {describeIssue} from './describe-issue.js';
import {engineFileProblems} from './engine-file-problems.js';
import {ConfigError, formatFieldPath, type ConfigProblem} from './project-problems.js';
import {environmentsFolder} from './project-root.js';

/** A deployment project whose every environment file is valid, in pipeline order. */
export type Project = {
	readonly root: string;
	readonly environments: readonly EnvironmentConfig[];
};

export type ProjectReport = {
	readonly root: string;
	readonly environments: readonly EnvironmentConfig[];
	readonly problems: readonly ConfigProblem[];
};


const knownFields = collectFieldNames(environmentSchema);

type SchemaDefinition = {type: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown; valueType?: unknown; options?: unknown[]; in?: unknown; out?: unknown};

function collectFieldNames(schema: unknown, into = new Set<string>()): string[] {
	const definition = (schema as {_zod?: {def?: SchemaDefinition}})._zod?.def;
	if (!definition) return [...into];
	if (definition.shape) {
		for (const [key, child] of Object.entries(definition.shape)) {
			into.add(key);
			collectFieldNames(child, into);
		}
	}

	for (const child of [definition.innerType, definition.element, definition.valueType, definition.in, definition.out, ...(definition.options ?? [])]) {
		if (child) collectFieldNames(child, into);
	}

	return [...into];
}

type ParsedFile = {
	readonly relativePath: string;
	readonly stem: string;
	readonly document: Document.Parsed;
	readonly lineOf: (offset: number) => number;
};

/** The node at `path`, or the deepest existing ancestor, for locating a problem. */
function nodeNearest(document: Document.Parsed, fieldPath: ReadonlyArray<PropertyKey>): Node | undefined {
	let node: unknown = document.contents;
	for (const segment of fieldPath) {
		let next: unknown;
		if (isMap(node)) next = node.get(segment, true);
		else if (isSeq(node) && typeof segment === 'number') next = node.get(segment, true);
		if (!next) break;
		node = next;
	}

	return node as Node | undefined;
}

/** The line of the key `key` inside the mapping at `fieldPath` (for unknown-field problems). */
function keyLine(file: ParsedFile, fieldPath: ReadonlyArray<PropertyKey>, key: string): number {
	const parent = nodeNearest(file.document, fieldPath);
	if (isMap(parent)) {
		const pair = parent.items.find(item => isScalar(item.key) && item.key.value === key);
		const range = isScalar(pair?.key) ? pair.key.range : undefined;
		if (range) return file.lineOf(range[0]);
	}

	return nodeLine(file, fieldPath);
}

function nodeLine(file: ParsedFile, fieldPath: ReadonlyArray<PropertyKey>): number {
	const range = nodeNearest(file.document, fieldPath)?.range;
	return range ? file.lineOf(range[0]) : 1;
}

function valueAt(input: unknown, fieldPath: ReadonlyArray<PropertyKey>): unknown {
	let value = input;
	for (const segment of fieldPath) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[segment];
	}

	return value;
}

function schemaProblems(file: ParsedFile, input: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
	return issues.flatMap(issue => {
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map(key => ({
				file: file.relativePath,
				line: keyLine(file, issue.path, key),
				field: formatFieldPath([...issue.path, key]),
				message: describeIssue({...issue, keys: [key]}, input, knownFields),
			}));
		}

		return [{
			file: file.relativePath,
			line: nodeLine(file, issue.path),
			field: formatFieldPath(issue.path),
			message: describeIssue(issue, valueAt(input, issue.path), knownFields),
		}];
	});
}

/** Environment files are small; anything larger is not one (and reading it whole would cost memory). */
export const maximumEnvironmentFileBytes = 256 * 1024;

/**
 * The text of an environment file, or why it is not one. Opened without blocking and checked
 * before reading, so a pipe or a device named `x.yaml` cannot hang validation or status.
 */
function readEnvironmentFile(file: string): {text: string} | {problem: string} {
	let descriptor: number;
	try {
		descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {problem: 'is a symbolic link to nothing; point it at a file or remove it'};
		if (code === 'EACCES') return {problem: 'cannot be read: permission denied'};
		if (code === 'ELOOP') return {problem: 'is a symbolic link loop'};
		return {problem: `cannot be read: ${(error as Error).message}`};
	}

	try {
		const stats = fstatSync(descriptor);
		if (stats.isDirectory()) return {problem: 'is a folder, not an environment file'};
		if (!stats.isFile()) return {problem: 'is not a regular file (a pipe, socket or device); environment files are plain files'};
		if (stats.size > maximumEnvironmentFileBytes) return {problem: `is ${stats.size} bytes; an environment file is at most ${maximumEnvironmentFileBytes / 1024} KiB`};
		const buffer = Buffer.alloc(maximumEnvironmentFileBytes + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length < buffer.length;) {
			read = readSync(descriptor, buffer, length, buffer.length - length, null);
			length += read;
		}

		if (length > maximumEnvironmentFileBytes) return {problem: `grew past ${maximumEnvironmentFileBytes / 1024} KiB while being read`};
		return {text: buffer.subarray(0, length).toString('utf8')};
	} finally {
		closeSync(descriptor);
	}
}

function parseFile(root: string, fileName: string): {file: ParsedFile | undefined; problems: ConfigProblem[]} {
	const relativePath = `${environmentsFolder}/${fileName}`;
	const read = readEnvironmentFile(path.join(root, relativePath));
	if ('problem' in read) return {file: undefined, problems: [{file: relativePath, line: 0, field: '', message: read.problem}]};
	const lineCounter = new LineCounter();
	const document = parseDocument(read.text, {lineCounter, prettyErrors: false, uniqueKeys: true});
	const file: ParsedFile = {relativePath, stem: fileName.replace(/\.ya?ml$/, ''), document, lineOf: offset => lineCounter.linePos(offset).line};
	const problems = document.errors.map(error => ({
		file: relativePath,
		line: file.lineOf(error.pos[0]),
		field: '',
		message: `YAML: ${error.message.split('\n')[0]}`,
	}));
	return {file, problems};
}

/**
 * Reads and validates every environment file, reporting every problem rather than stopping at the
 * first: `opsconsole validate` shows them all, other commands refuse to act on a broken project.
 * `checkEngineFiles` (validate) also reports certificate files that cannot be read here.
 */
export function inspectProject(root: string, options: {checkEngineFiles?: boolean} = {}): ProjectReport {
	const folder = path.join(root, environmentsFolder);
	let fileNames: string[];
	try {
		fileNames = readdirSync(folder).filter(name => /\.ya?ml$/.test(name)).sort();
	} catch (error) {
		return {root, environments: [], problems: [{file: `${environmentsFolder}/`, line: 0, field: '', message: `cannot be read: ${(error as Error).message}`}]};
	}
	const problems: ConfigProblem[] = [];
	const valid: Array<{file: ParsedFile; environment: EnvironmentConfig}> = [];

	if (fileNames.length === 0) {
		problems.push({file: `${environmentsFolder}/`, line: 0, field: '', message: 'no environment files (*.yaml) found'});
	}

	for (const fileName of fileNames) {
		const {file, problems: syntaxProblems} = parseFile(root, fileName);
		if (!file || syntaxProblems.length > 0) {
			problems.push(...syntaxProblems);
			continue;
		}

		let input: unknown;
		try {
			input = file.document.toJS({maxAliasCount: 100});
		} catch (error) {
			problems.push({file: file.relativePath, line: 1, field: '', message: `YAML: ${(error as Error).message.split('\n')[0]} (aliases may expand at most 100 times)`});
			continue;
		}

		if (input === null || typeof input !== 'object' || Array.isArray(input)) {
			problems.push({file: file.relativePath, line: 1, field: '', message: 'must be a mapping of environment fields (name, branch, docker, …)'});
			continue;
		}

		const result = environmentSchema.safeParse(input);
		if (!result.success) {
			problems.push(...schemaProblems(file, input, result.error.issues));
			continue;
		}

		if (result.data.name !== file.stem) {
			problems.push({file: file.relativePath, line: nodeLine(file, ['name']), field: 'name', message: `"${result.data.name}" must equal the file name "${file.stem}"`});
			continue;
		}

		valid.push({file, environment: result.data});
		if (options.checkEngineFiles) {
			for (const problem of engineFileProblems(result.data, root)) problems.push({file: file.relativePath, line: nodeLine(file, problem.fieldPath), field: formatFieldPath(problem.fieldPath), message: problem.message});
		}
	}

	problems.push(...crossFileProblems(valid, fileNames.map(name => name.replace(/\.ya?ml$/, ''))));
	return {root, environments: orderPipeline(valid.map(entry => entry.environment)), problems};
}

function crossFileProblems(valid: ReadonlyArray<{file: ParsedFile; environment: EnvironmentConfig}>, allNames: readonly string[]): ConfigProblem[] {
	const problems: ConfigProblem[] = [];
	const environments = valid.map(entry => entry.environment);
	const seenStems = new Map<string, string>();
	for (const {file} of valid) {
		const earlier = seenStems.get(file.stem);
		if (earlier) problems.push({file: file.relativePath, line: 1, field: 'name', message: `environment "${file.stem}" is also defined in ${earlier}`});
		seenStems.set(file.stem, file.relativePath);
	}

	for (const {file, environment} of valid) {
		const target = environment.promotesTo;
		if (!target) continue;
		const line = nodeLine(file, ['promotesTo']);
		if (target === environment.name) {
			problems.push({file: file.relativePath, line, field: 'promotesTo', message: 'an environment cannot promote to itself'});
		} else if (!allNames.includes(target)) {
			problems.push({file: file.relativePath, line, field: 'promotesTo', message: `no environment "${target}" (known: ${allNames.join(', ')})`});
		} else {
			const first = upstreamOf(environments, target);
			if (first && first.name !== environment.name) {
				problems.push({file: file.relativePath, line, field: 'promotesTo', message: `"${target}" is already promoted to from "${first.name}"; a pipeline stage has one upstream`});
			}
		}
	}

	const cycle = findPromotionCycle(environments.filter(environment => environment.promotesTo !== environment.name));
	if (cycle) {
		const members = cycle.slice(0, -1).map(name => valid.find(entry => entry.environment.name === name)!);
		const where = members.map(member => `${member.file.relativePath}:${nodeLine(member.file, ['promotesTo'])}`).join(', ');
		for (const member of members) {
			problems.push({file: member.file.relativePath, line: nodeLine(member.file, ['promotesTo']), field: 'promotesTo', message: `promotion cycle: ${cycle.join(' → ')} (each of ${where} is part of it; one of them must promote elsewhere or nowhere)`});
		}
	}

	return problems;
}

/** Loads a project for a command that acts on it; throws ConfigError listing every problem. */
export function loadProject(root: string): Project {
	const report = inspectProject(root);
	if (report.problems.length > 0) throw new ConfigError(report.problems);
	return {root: report.root, environments: report.environments};
}

/** Where a field of an environment's file is, for a problem found after validation (by asking its engine). */
export function locateField(root: string, environment: string, fieldPath: readonly string[]): {file: string; line: number} {
	const fileName = readdirSync(path.join(root, environmentsFolder)).find(name => name.replace(/\.ya?ml$/, '') === environment && /\.ya?ml$/.test(name)) ?? `${environment}.yaml`;
	const {file} = parseFile(root, fileName);
	return {file: `${environmentsFolder}/${fileName}`, line: file ? nodeLine(file, fieldPath) : 0};
}
