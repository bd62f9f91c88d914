import type {z} from 'zod';
import {closestWord} from '../core/closest-word.js';
import {checkTypes} from '../core/environment-schema.js';

type Issue = z.core.$ZodIssue;

function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

const typeNames: Record<string, string> = {
	object: 'a mapping',
	array: 'a list',
	string: 'a string',
	number: 'a number',
	int: 'a whole number',
	boolean: 'true or false',
};

/** Turns a schema issue into a sentence an operator can act on. */
export function describeIssue(issue: Issue, input: unknown, knownFields: readonly string[]): string {
	switch (issue.code) {
		case 'invalid_type': {
			if (input === undefined) return 'is required';
			const expected = typeNames[issue.expected] ?? issue.expected;
			return `must be ${expected}, not ${describeValue(input)}`;
		}

		case 'invalid_value':
			return `must be one of ${issue.values.map(value => JSON.stringify(value)).join(', ')}, not ${JSON.stringify(input)}`;
		case 'invalid_union':
			return issue.path.at(-1) === 'type' || issue.message.includes('discriminator')
				? `type must be one of ${checkTypes.map(type => JSON.stringify(type)).join(', ')}`
				: 'does not match any allowed form';
		case 'too_small':
			if (issue.origin === 'string') return 'must not be empty';
			if (issue.origin === 'number') return issue.minimum === 0 && !issue.inclusive ? 'must be greater than 0' : `must be at least ${String(issue.minimum)}`;
			return issue.message;
		case 'too_big':
			return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
		case 'unrecognized_keys': {
			const [key = ''] = issue.keys;
			const suggestion = closestWord(key, knownFields);
			return suggestion ? `unknown field (did you mean "${suggestion}"?)` : 'unknown field';
		}

		default:
			return issue.message;
	}
}
