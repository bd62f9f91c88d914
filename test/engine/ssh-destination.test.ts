import assert from 'node:assert/strict';
import {test} from 'node:test';
import {channelArguments, describeDestination, masterArguments, parseSshAddress} from '../../source/engine/ssh-destination.js';

const settings = {configFile: undefined, controlPath: '/run/user/1000/opsconsole-ssh-1-x/c1', connectTimeoutMs: 10_000};

test('ssh:// addresses read as the Docker CLI reads them', () => {
	assert.deepEqual(parseSshAddress('ssh://deploy@stg-1'), {user: 'deploy', hostname: 'stg-1', port: undefined, socketPath: undefined});
	assert.deepEqual(parseSshAddress('ssh://stg-1:2222/run/user/1000/docker.sock'), {user: undefined, hostname: 'stg-1', port: 2222, socketPath: '/run/user/1000/docker.sock'});
	assert.deepEqual(parseSshAddress('ssh://ops@[fd00::5]:22'), {user: 'ops', hostname: 'fd00::5', port: 22, socketPath: undefined});
	assert.throws(() => parseSshAddress('ssh://deploy:secret@stg-1'), /must not hold a password/);
	assert.throws(() => parseSshAddress('ssh://stg-1?x=1'), /must not have a query/);
});

test('the master: one authenticated connection, no prompts, no forwardings, keep-alives, argv only', () => {
	const args = masterArguments(parseSshAddress('ssh://deploy@stg-1:2222'), {...settings, configFile: '/etc/opsconsole/ssh_config'});
	assert.deepEqual(args.slice(0, 2), ['-F', '/etc/opsconsole/ssh_config']);
	for (const option of ['BatchMode=yes', 'ConnectTimeout=10', `ControlPath=${settings.controlPath}`, 'ControlMaster=yes', 'ControlPersist=no', 'ClearAllForwardings=yes', 'ServerAliveInterval=10']) {
		assert.ok(args.includes(option), `${option} in ${args.join(' ')}`);
	}

	assert.deepEqual(args.slice(args.indexOf('-l'), args.indexOf('-l') + 4), ['-l', 'deploy', '-p', '2222']);
	assert.deepEqual(args.slice(-3), ['-N', '--', 'stg-1']);
});

test('a channel runs dial-stdio through the master; a socket path reaches the remote shell quoted', () => {
	const plain = channelArguments(parseSshAddress('ssh://stg-1'), settings);
	assert.ok(plain.includes('ControlMaster=no'));
	assert.deepEqual(plain.slice(-5), ['--', 'stg-1', 'docker', 'system', 'dial-stdio']);
	assert.ok(!plain.includes('-l') && !plain.includes('-p'));
	const withSocket = channelArguments(parseSshAddress('ssh://stg-1/srv/my%20docker.sock'), settings);
	assert.deepEqual(withSocket.slice(-4), ['docker', `'--host=unix:///srv/my docker.sock'`, 'system', 'dial-stdio']);
	const hostile = channelArguments(parseSshAddress('ssh://stg-1/x%27%3Brm%20-rf%20~'), settings);
	assert.equal(hostile.at(-3), `'--host=unix:///x'\\'';rm -rf ~'`);
});

test('destinations read as people write them', () => {
	assert.equal(describeDestination(parseSshAddress('ssh://deploy@stg-1:2222')), 'deploy@stg-1:2222');
	assert.equal(describeDestination(parseSshAddress('ssh://[fd00::5]')), '[fd00::5]');
});
