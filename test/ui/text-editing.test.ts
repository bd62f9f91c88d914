import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyInput} from '../../source/ui/text-editing.js';

const plain = {};
const ctrl = {ctrl: true};

test('each character of a burst counts as the key it is, Ctrl-U and Ctrl-W included', () => {
	const cases: Array<[string, string, Parameters<typeof applyInput>[2], ReturnType<typeof applyInput>]> = [
		['', 'web', plain, {value: 'web'}],
		['web', 'x\u007F\u007F', plain, {value: 'we'}],
		['web nomatch', 'w', ctrl, {value: 'web '}],
		['web nomatch  ', 'w', ctrl, {value: 'web '}],
		['web', 'w', ctrl, {value: ''}],
		['   ', 'w', ctrl, {value: ''}],
		['web nomatch', 'u', ctrl, {value: ''}],
		['web', 'x', ctrl, {value: 'web'}],
		['web', ' nomatch\u0017', plain, {value: 'web '}],
		['web', 'x\u0017\u0017api', plain, {value: 'api'}],
		['web', 'staging\u0015prod', plain, {value: 'prod'}],
		['', 'prod\u0015staging\r', plain, {value: 'staging', submitted: 'staging'}],
		['web', '\u0001\u001Bapi', plain, {value: 'webapi'}],
	];
	for (const [value, input, key, expected] of cases) assert.deepEqual(applyInput(value, input, key), expected, `${JSON.stringify(value)} + ${JSON.stringify(input)}`);
});
