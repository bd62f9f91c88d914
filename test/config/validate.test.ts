import assert from 'node:assert/strict';
import {test} from 'node:test';
import {inspectProject} from '../../source/config/load-project.js';
import {formatProblem} from '../../source/config/project-problems.js';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeFiles} from '../helpers/temp.js';

const dev = `name: dev
branch: dev
promotesTo: staging
docker:
  project: shop-dev
`;

const staging = `name: staging
title: Staging
branch: staging
promotesTo: production
docker:
  host: unix:///var/run/docker.sock
  project: shop-staging
probes:
  - { name: web, url: "http://127.0.0.1:18081/health", expectStatus: 200, timeoutMs: 2000 }
protection: { confirm: yes, requireCleanTree: true }
checks:
  - { name: Healthy, type: health }
  - { name: Homepage, type: http, url: "http://127.0.0.1:18081/" }
`;

const production = `name: production
branch: main
docker:
  host: ssh://deploy@prod.example
  project: shop-production
protection:
  confirm: typed
  approvers: [oncall@example.test]
  freeze: null
verify: { timeoutMs: 60000, autoRollback: true }
`;

function projectWith(files: Record<string, string>): string {
	const root = temporaryFolder();
	writeFiles(root, {'environments/dev.yaml': dev, 'environments/staging.yaml': staging, 'environments/production.yaml': production, ...files});
	return root;
}

test('a good project validates, in pipeline order, with defaults filled in', () => {
	const report = inspectProject(projectWith({}));
	assert.deepEqual(report.problems, []);
	assert.deepEqual(report.environments.map(environment => environment.name), ['dev', 'staging', 'production']);
	const [first] = report.environments;
	assert.equal(first?.protection.confirm, 'yes');
	assert.equal(first?.verify.timeoutMs, 60_000);
	assert.deepEqual(first?.probes, []);
	assert.equal(report.environments[1]?.probes[0]?.expectStatus, 200);
});

/** Each bad file, and the one problem line it must produce: file:line: field: message. */
const badFiles: Array<{title: string; files: Record<string, string>; expected: RegExp}> = [
	{title: 'YAML syntax error', files: {'environments/dev.yaml': 'name: dev\nbranch: [dev\n'}, expected: /^environments\/dev\.yaml:\d+: YAML: /},
	{title: 'duplicate key', files: {'environments/dev.yaml': `${dev}branch: other\n`}, expected: /^environments\/dev\.yaml:6: YAML: .*unique/i},
	{title: 'name differs from file name', files: {'environments/dev.yaml': dev.replace('name: dev', 'name: develop')}, expected: /^environments\/dev\.yaml:1: name: "develop" must equal the file name "dev"$/},
	{title: 'name with capitals', files: {'environments/Dev.yaml': dev.replace('name: dev', 'name: Dev').replace('promotesTo: staging\n', ''), 'environments/dev.yaml': dev}, expected: /^environments\/Dev\.yaml:1: name: must be lowercase/},
	{title: 'missing branch', files: {'environments/dev.yaml': dev.replace('branch: dev\n', '')}, expected: /^environments\/dev\.yaml:1: branch: is required$/},
	{title: 'branch git would refuse', files: {'environments/dev.yaml': dev.replace('branch: dev', 'branch: "feature..x"')}, expected: /^environments\/dev\.yaml:2: branch: not a valid git branch name/},
	{title: 'promotesTo names no environment', files: {'environments/dev.yaml': dev.replace('promotesTo: staging', 'promotesTo: stagign')}, expected: /^environments\/dev\.yaml:3: promotesTo: no environment "stagign"/},
	{title: 'promotion cycle', files: {'environments/production.yaml': production.replace('branch: main\n', 'branch: main\npromotesTo: dev\n')}, expected: /promotesTo: promotion cycle: .*→/},
	{title: 'two stages promote into one', files: {'environments/qa.yaml': 'name: qa\nbranch: qa\npromotesTo: staging\ndocker: {project: shop-qa}\n'}, expected: /^environments\/qa\.yaml:3: promotesTo: "staging" is already promoted to from "dev"/},
	{title: 'docker host with an unknown scheme', files: {'environments/staging.yaml': staging.replace('unix:///var/run/docker.sock', 'http://localhost:2375')}, expected: /^environments\/staging\.yaml:6: docker\.host: must be a unix:\/\/, tcp:\/\/, ssh:\/\/ or npipe:\/\/ address$/},
	{title: 'missing docker project', files: {'environments/dev.yaml': 'name: dev\nbranch: dev\npromotesTo: staging\ndocker: {}\n'}, expected: /^environments\/dev\.yaml:4: docker\.project: is required$/},
	{title: 'probe URL not http', files: {'environments/staging.yaml': staging.replace('http://127.0.0.1:18081/health', 'ftp://example/health')}, expected: /^environments\/staging\.yaml:9: probes\[0\]\.url: must be an http:\/\/ or https:\/\/ URL$/},
	{title: 'probe status out of range', files: {'environments/staging.yaml': staging.replace('expectStatus: 200', 'expectStatus: 2000')}, expected: /^environments\/staging\.yaml:9: probes\[0\]\.expectStatus: must be at most 599$/},
	{title: 'confirm not an allowed value', files: {'environments/production.yaml': production.replace('confirm: typed', 'confirm: always')}, expected: /^environments\/production\.yaml:7: protection\.confirm: must be one of "none", "yes", "typed", not "always"$/},
	{title: 'verify timeout not positive', files: {'environments/production.yaml': production.replace('timeoutMs: 60000', 'timeoutMs: 0')}, expected: /^environments\/production\.yaml:10: verify\.timeoutMs: must be greater than 0$/},
	{title: 'wrong type for a boolean', files: {'environments/staging.yaml': staging.replace('requireCleanTree: true', 'requireCleanTree: "yes please"')}, expected: /^environments\/staging\.yaml:10: protection\.requireCleanTree: must be true or false, not a string$/},
	{title: 'unknown top-level field (a typo)', files: {'environments/dev.yaml': `${dev}promoteTo: staging\n`}, expected: /^environments\/dev\.yaml:6: promoteTo: unknown field \(did you mean "promotesTo"\?\)$/},
	{title: 'unknown nested field', files: {'environments/production.yaml': production.replace('freeze: null', 'freeze: null\n  aprovers: []')}, expected: /^environments\/production\.yaml:10: protection\.aprovers: unknown field \(did you mean "approvers"\?\)$/},
	{title: 'unknown check type', files: {'environments/staging.yaml': staging.replace('type: health', 'type: smoke')}, expected: /^environments\/staging\.yaml:12: checks\[0\]\.type: type must be one of "health", "http", "latency", "tcp", "tls", "headers", "logs", "recipe"$/},
	{title: 'a logs pattern that is no regular expression', files: {'environments/staging.yaml': staging.replace('type: health }', 'type: logs, pattern: "ERROR(" }')}, expected: /^environments\/staging\.yaml:12: checks\[0\]\.pattern: must be a valid regular expression$/},
	{title: 'a check recipe outside recipes/checks/', files: {'environments/staging.yaml': staging.replace('type: health }', 'type: recipe, recipe: deploy.mjs }')}, expected: /^environments\/staging\.yaml:12: checks\[0\]\.recipe: a check recipe lives in recipes\/checks\//},
	{title: 'a check recipe climbing out', files: {'environments/staging.yaml': staging.replace('type: health }', 'type: recipe, recipe: checks/../../etc/x.mjs }')}, expected: /^environments\/staging\.yaml:12: checks\[0\]\.recipe: must be a file inside recipes\//},
	{title: 'a latency check without its budget', files: {'environments/staging.yaml': staging.replace('type: health }', 'type: latency, url: "http://127.0.0.1:18081/" }')}, expected: /^environments\/staging\.yaml:12: checks\[0\]\.p95Ms: is required$/},
	{title: 'a tls port out of range', files: {'environments/staging.yaml': staging.replace('type: health }', 'type: tls, host: shop.example, port: 70000 }')}, expected: /^environments\/staging\.yaml:12: checks\[0\]\.port: must be at most 65535$/},
	{title: 'checksMaxAge that is no duration', files: {'environments/staging.yaml': staging.replace('requireCleanTree: true }', 'requireCleanTree: true, requireChecks: true, checksMaxAge: "a day" }')}, expected: /^environments\/staging\.yaml:10: protection\.checksMaxAge: must be a duration like 30m, 24h or 7d$/},
	{title: 'file that is not a mapping', files: {'environments/dev.yaml': '- just\n- a list\n'}, expected: /^environments\/dev\.yaml:1: must be a mapping/},
];

for (const badFile of badFiles) {
	test(`validation rejects: ${badFile.title}`, () => {
		const lines = inspectProject(projectWith(badFile.files)).problems.map(problem => formatProblem(problem));
		assert.ok(lines.some(line => badFile.expected.test(line)), `expected a problem matching ${badFile.expected}, got:\n${lines.join('\n')}`);
	});
}

test('validate reports every problem at once, exit 2, no stack trace', async () => {
	const root = projectWith({
		'environments/dev.yaml': `${dev}promoteTo: staging\n`,
		'environments/production.yaml': production.replace('confirm: typed', 'confirm: always'),
	});
	const result = await runCli(['validate', '--project', root]);
	assert.equal(result.code, 2);
	assert.match(result.stderr, /environments\/dev\.yaml:6: promoteTo: unknown field/);
	assert.match(result.stderr, /environments\/production\.yaml:7: protection\.confirm: must be one of/);
	assert.match(result.stderr, /2 problems found/);
	assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at /);
});

test('validate summarises a good project in one line, exit 0', async () => {
	const result = await runCli(['validate', '--project', projectWith({})]);
	assert.equal(result.code, 0);
	assert.equal(result.stdout, '3 environments valid: dev → staging → production\n');
});

test('every command meets a configuration error the same way: exit 2, file and line', async () => {
	const root = projectWith({'environments/dev.yaml': dev.replace('branch: dev\n', '')});
	const result = await runCli(['status', '--json', '--project', root]);
	assert.equal(result.code, 2);
	assert.match(result.stderr, /^environments\/dev\.yaml:1: branch: is required$/m);
	assert.equal(result.stdout, '');
});

test('a folder without environments/ gets a remedy, exit 2', async () => {
	const result = await runCli(['status'], {cwd: temporaryFolder()});
	assert.equal(result.code, 2);
	assert.match(result.stderr, /no environments\/ folder here or in any parent/);
	assert.doesNotMatch(result.stderr, /\n\s+at /);
});
