import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {inspectProject} from '../../source/config/load-project.js';
import {formatProblem} from '../../source/config/project-problems.js';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeFiles} from '../helpers/temp.js';

const environment = (docker: string) => `name: remote\nbranch: main\ndocker:\n${docker}  project: shop-remote\n`;

/** Each `docker:` block, and the problem line it must produce. */
const badBlocks: Array<{title: string; docker: string; expected: RegExp}> = [
	{title: 'host and context together', docker: '  host: ssh://deploy@stg-1\n  context: stg\n', expected: /^environments\/remote\.yaml:5: docker\.context: name either host or context, not both: a context carries its own address$/},
	{title: 'tls beside a context', docker: '  context: stg\n  tls: {ca: ca.pem}\n', expected: /^environments\/remote\.yaml:5: docker\.tls: a context carries its own TLS material/},
	{title: 'tls for an ssh host', docker: '  host: ssh://deploy@stg-1\n  tls: {ca: ca.pem}\n', expected: /^environments\/remote\.yaml:5: docker\.tls: applies only to a tcp:\/\/ host/},
	{title: 'a certificate without its key', docker: '  host: tcp://stg-1:2376\n  tls:\n    ca: ca.pem\n    cert: cert.pem\n', expected: /^environments\/remote\.yaml:7: docker\.tls\.cert: a client certificate needs its key: add tls\.key$/},
	{title: 'a password in an ssh address', docker: '  host: ssh://deploy:hunter2@stg-1\n', expected: /^environments\/remote\.yaml:4: docker\.host: must not hold a password: ssh uses your keys, agent and ~\/\.ssh\/config$/},
	{title: 'a typo in a tls field', docker: '  host: tcp://stg-1:2376\n  tls: {ca: ca.pem, verfy: false}\n', expected: /^environments\/remote\.yaml:5: docker\.tls\.verfy: unknown field \(did you mean "verify"\?\)$/},
	{title: 'a context name Docker would refuse', docker: '  context: "-stg"\n', expected: /^environments\/remote\.yaml:4: docker\.context: must be a Docker context name/},
];

for (const bad of badBlocks) {
	test(`validation rejects a docker block: ${bad.title}`, () => {
		const root = temporaryFolder();
		writeFiles(root, {'environments/remote.yaml': environment(bad.docker)});
		const lines = inspectProject(root).problems.map(problem => formatProblem(problem));
		assert.ok(lines.some(line => bad.expected.test(line)), `expected a problem matching ${bad.expected}, got:\n${lines.join('\n')}`);
	});
}

test('validate names TLS files that cannot be read, by file and line; other commands still run', async () => {
	const root = temporaryFolder();
	writeFiles(root, {
		'environments/remote.yaml': environment('  host: tcp://127.0.0.1:1\n  tls:\n    ca: certs/ca.pem\n    cert: certs/cert.pem\n    key: ~/no-such-key.pem\n'),
		'certs/cert.pem': '-----BEGIN CERTIFICATE-----\n',
	});
	mkdirSync(path.join(root, 'certs', 'ca.pem'));
	const home = temporaryFolder();
	const result = await runCli(['validate', '--project', root], {env: {HOME: home}});
	assert.equal(result.code, 2);
	const lines = result.stderr.trim().split('\n');
	assert.ok(lines.includes(`environments/remote.yaml:6: docker.tls.ca: the TLS CA certificate certs/ca.pem (${root}/certs/ca.pem) cannot be read: is not a file — relative paths start at the project root, ~ is your home folder`), result.stderr);
	assert.ok(lines.includes(`environments/remote.yaml:8: docker.tls.key: the TLS client key ~/no-such-key.pem (${home}/no-such-key.pem) cannot be read: no such file — relative paths start at the project root, ~ is your home folder`), result.stderr);
	assert.ok(!lines.some(line => line.includes('docker.tls.cert')), 'a readable file is no problem');

	const status = await runCli(['status', '--json', '--project', root], {env: {HOME: home}});
	assert.equal(status.code, 1, 'status runs, and reports the engine as unknown');
	const [remote] = (JSON.parse(status.stdout) as {environments: Array<{health: string; engine: {error: string}}>}).environments;
	assert.equal(remote?.health, 'unknown');
	assert.match(remote?.engine.error ?? '', /cannot read the TLS CA certificate .*certs\/ca\.pem \(docker\.tls\): is a folder — fix the path/);
});
