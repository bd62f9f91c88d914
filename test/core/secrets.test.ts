import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createRedactor, isSecretName, mask, maskAssignment} from '../../source/core/secrets.js';

for (const [name, secret] of [['DB_PASSWORD', true], ['API_TOKEN', true], ['AWS_SECRET_ACCESS_KEY', true], ['ssh_key', true], ['PATH', false], ['HOME', false], ['KEYBOARD_LAYOUT', true]] as const) {
	test(`${name} ${secret ? 'looks' : 'does not look'} secret`, () => {
		assert.equal(isSecretName(name), secret);
	});
}

test('masks secret assignments and leaves others', () => {
	assert.equal(maskAssignment('DB_PASSWORD=hunter22'), `DB_PASSWORD=${mask}`);
	assert.equal(maskAssignment('PORT=8080'), 'PORT=8080');
	assert.equal(maskAssignment('NOEQUALS'), 'NOEQUALS');
});

test('redacts secret values anywhere in text, longest first', () => {
	const redact = createRedactor({API_TOKEN: 'abcd1234', LONG_SECRET: 'abcd1234-and-more', PATH: '/usr/bin', SHORT_KEY: 'x'});
	assert.equal(redact('GET /health?token=abcd1234 and abcd1234-and-more in /usr/bin x'), `GET /health?token=${mask} and ${mask} in /usr/bin x`);
});
