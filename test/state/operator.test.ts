import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describeOperator} from '../../source/core/audit.js';
import {resolveOperator} from '../../source/state/operator.js';

test('the SSH client comes from SSH_CONNECTION, else SSH_CLIENT', () => {
	assert.equal(resolveOperator(undefined, undefined, {USER: 'ana', SSH_CONNECTION: '10.0.0.5 51234 10.0.0.1 22'}).sshClient, '10.0.0.5');
	assert.equal(resolveOperator(undefined, undefined, {USER: 'ana', SSH_CLIENT: 'fd00::5 51234 22'}).sshClient, 'fd00::5');
	assert.equal(resolveOperator(undefined, undefined, {USER: 'ana'}).sshClient, null);
});

test('behind sudo, the real user is the operator (unless named) and is recorded', () => {
	const identity = resolveOperator(undefined, undefined, {USER: 'root', SUDO_USER: 'ana', SSH_CONNECTION: '10.0.0.5 51234 10.0.0.1 22'});
	assert.deepEqual([identity.operator, identity.sudoUser, identity.sshClient], ['ana', 'ana', '10.0.0.5']);
	assert.equal(resolveOperator('oncall@example.test', undefined, {USER: 'root', SUDO_USER: 'ana'}).sudoUser, 'ana');
	assert.equal(resolveOperator(undefined, undefined, {USER: 'ana', SUDO_USER: 'ana'}).sudoUser, null);
});

test('the header says who, from where, through whom', () => {
	assert.equal(describeOperator({operator: 'ana@example.test', host: 'bastion', sshClient: '10.0.0.5', sudoUser: 'ana'}), 'ana@example.test (ssh from 10.0.0.5, sudo by ana)');
	assert.equal(describeOperator({operator: 'ana@example.test', host: 'bastion', sshClient: null, sudoUser: null}), 'ana@example.test');
});
