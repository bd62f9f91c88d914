import assert from 'node:assert/strict';
import {test} from 'node:test';
import {jsonReport, markdownReport, junitReport, reportFormatFor} from '../../source/core/check-report.js';
import {headersVerdict, healthVerdict, httpVerdict, latencyVerdict, logsVerdict, percentile, runPassed, runVerdict, summaryLine, tlsVerdict, type CertificateFacts, type CheckResult, type CheckRun} from '../../source/core/checks.js';
import {evaluateChecksGate} from '../../source/core/checks-gate.js';
import {checksColumn, latestRunOn} from '../../source/core/release-checks.js';
import {parseDuration} from '../../source/core/duration.js';
import {UsageError} from '../../source/core/errors.js';

const now = new Date('2026-11-23T12:00:00Z');
const day = 86_400_000;

test('percentile is nearest-rank', () => {
	const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
	assert.equal(percentile(samples, 50), 5);
	assert.equal(percentile(samples, 95), 10);
	assert.equal(percentile(samples, 90), 9);
	assert.equal(percentile([42], 95), 42);
	assert.ok(Number.isNaN(percentile([], 95)));
});

const httpCases: Array<{title: string; check: Parameters<typeof httpVerdict>[0]; answer: Parameters<typeof httpVerdict>[1]; status: 'pass' | 'fail'; detail: RegExp}> = [
	{title: 'expected status passes', check: {expectStatus: 200}, answer: {status: 200, body: 'ok', ms: 12, headers: []}, status: 'pass', detail: /HTTP 200 in 12 ms/},
	{title: 'another status fails, naming both', check: {expectStatus: 200}, answer: {status: 503, body: '', ms: 3, headers: []}, status: 'fail', detail: /HTTP 503, expected 200/},
	{title: 'missing text fails', check: {expectStatus: 200, expectText: 'confirmed'}, answer: {status: 200, body: 'pending', ms: 3, headers: []}, status: 'fail', detail: /does not contain "confirmed"/},
	{title: 'present text passes', check: {expectStatus: 200, expectText: 'confirmed'}, answer: {status: 200, body: '{"booking":"confirmed"}', ms: 3, headers: []}, status: 'pass', detail: /HTTP 200/},
	{title: 'a pattern that does not match fails', check: {expectStatus: 200, expectPattern: '"id":\\s*\\d+'}, answer: {status: 200, body: '{"id":"x"}', ms: 3, headers: []}, status: 'fail', detail: /does not match/},
	{title: 'a matching pattern passes', check: {expectStatus: 200, expectPattern: '"id":\\s*\\d+'}, answer: {status: 200, body: '{"id": 42}', ms: 3, headers: []}, status: 'pass', detail: /HTTP 200/},
	{title: 'over the latency budget fails', check: {expectStatus: 200, maxLatencyMs: 100}, answer: {status: 200, body: '', ms: 250, headers: []}, status: 'fail', detail: /250 ms, over the 100 ms budget/},
];
for (const item of httpCases) {
	test(`http: ${item.title}`, () => {
		const verdict = httpVerdict(item.check, item.answer);
		assert.equal(verdict.status, item.status);
		assert.match(verdict.detail, item.detail);
		assert.ok(verdict.output.includes(item.answer.body.split('\n')[0]!), 'the response body is kept for Enter');
	});
}

test('latency: p95 within budget passes with p50/p95/max; over it or with failed requests fails', () => {
	const fast = latencyVerdict(100, [10, 12, 11, 30, 14, 13, 12, 11, 10, 90], []);
	assert.equal(fast.status, 'pass');
	assert.equal(fast.detail, 'p50 12 ms, p95 90 ms, max 90 ms');
	const slow = latencyVerdict(50, [10, 12, 11, 30, 14, 13, 12, 11, 10, 90], []);
	assert.equal(slow.status, 'fail');
	assert.match(slow.detail, /p95 90 ms.*over the 50 ms budget/);
	const broken = latencyVerdict(100, [10, 10], ['connection refused']);
	assert.equal(broken.status, 'fail');
	assert.match(broken.detail, /1 of 3 requests failed \(connection refused\)/);
});

function certificate(overrides: Partial<CertificateFacts> = {}): CertificateFacts {
	return {subject: 'CN=shop', issuer: 'CN=ca', validFrom: new Date(now.getTime() - 10 * day), validTo: new Date(now.getTime() + 90 * day), altNames: 'DNS:shop.test', trustProblem: undefined, nameProblem: undefined, ...overrides};
}

const tlsCases: Array<{title: string; facts: CertificateFacts; status: 'pass' | 'fail'; detail: RegExp}> = [
	{title: 'valid, trusted, far from expiry passes with the date', facts: certificate(), status: 'pass', detail: /valid for shop\.test, expires 2027-02-21 \(90 days\)/},
	{title: 'expiring within the days asked fails with the date', facts: certificate({validTo: new Date(now.getTime() + 3 * day)}), status: 'fail', detail: /expires 2026-11-26, in 3 days \(less than 14\)/},
	{title: 'expired fails', facts: certificate({validTo: new Date(now.getTime() - day)}), status: 'fail', detail: /expired on 2026-11-22/},
	{title: 'not yet valid fails', facts: certificate({validFrom: new Date(now.getTime() + day)}), status: 'fail', detail: /not valid before/},
	{title: 'another name fails', facts: certificate({nameProblem: 'Host: shop.test. is not in the cert\'s altnames'}), status: 'fail', detail: /not valid for shop\.test/},
	{title: 'an untrusted chain fails', facts: certificate({trustProblem: 'self-signed certificate'}), status: 'fail', detail: /not trusted: self-signed/},
];
for (const item of tlsCases) {
	test(`tls: ${item.title}`, () => {
		const verdict = tlsVerdict('shop.test', 14, item.facts, now);
		assert.equal(verdict.status, item.status);
		assert.match(verdict.detail, item.detail);
	});
}

test('headers: each expected header is listed pass/fail; frame-ancestors stands in for X-Frame-Options', () => {
	const expected = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options'];
	const all = headersVerdict(expected, new Map([['strict-transport-security', 'max-age=63072000'], ['content-security-policy', "default-src 'self'; frame-ancestors 'none'"], ['x-content-type-options', 'nosniff']]));
	assert.equal(all.status, 'pass');
	assert.deepEqual(all.output.map(line => line.split(' ')[0]), ['PASS', 'PASS', 'PASS', 'PASS']);
	assert.match(all.output[3]!, /frame-ancestors/);
	const some = headersVerdict(expected, new Map([['x-content-type-options', 'nosniff'], ['X-Frame-Options'.toLowerCase(), 'DENY']]));
	assert.equal(some.status, 'fail');
	assert.equal(some.detail, 'missing: strict-transport-security, content-security-policy');
	assert.deepEqual(some.output, ['FAIL strict-transport-security: missing', 'FAIL content-security-policy: missing', 'PASS x-content-type-options: nosniff', 'PASS x-frame-options: DENY']);
});

test('logs: a matching line fails and is shown; none passes; no container fails', () => {
	const clean = logsVerdict('ERROR|panic', [{container: 'web', lines: ['GET / 200', 'booking confirmed']}]);
	assert.equal(clean.status, 'pass');
	assert.match(clean.detail, /none of 2 lines in 1 container match/);
	const dirty = logsVerdict('ERROR|panic', [{container: 'web', lines: ['GET / 200', 'ERROR payment gateway timed out']}]);
	assert.equal(dirty.status, 'fail');
	assert.deepEqual(dirty.output, ['web: ERROR payment gateway timed out']);
	assert.equal(logsVerdict('ERROR', []).status, 'fail');
});

test('health: healthy passes; anything else fails with the reasons', () => {
	assert.equal(healthVerdict('healthy', [], 2).status, 'pass');
	const degraded = healthVerdict('degraded', ['web is unhealthy'], 2);
	assert.equal(degraded.status, 'fail');
	assert.equal(degraded.detail, 'degraded: web is unhealthy');
});

function result(name: string, status: CheckResult['status'], overrides: Partial<CheckResult> = {}): CheckResult {
	return {name, type: 'http', description: null, status, ms: 12, detail: status === 'pass' ? 'HTTP 200 in 12 ms' : 'HTTP 500, expected 200', output: [], ...overrides};
}

function run(overrides: Partial<CheckRun> = {}): CheckRun {
	return {
		id: 'chk-staging-20261123-110000-000', env: 'staging', release: 'staging-20261123-100000-1a2b3c4', commit: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', subject: 'Booking | v2',
		operator: 'ana@example.test', host: 'bastion', startedAt: '2026-11-23T11:00:00.000Z', finishedAt: '2026-11-23T11:00:03.000Z',
		checks: [
			result('All services healthy', 'pass', {type: 'health', description: 'Every container runs and is healthy'}),
			result('Booking journey', 'fail', {detail: 'the response does not contain "confirmed" | <b>&', output: ['HTTP 500 in 3 ms', '', '<html>oops & "quotes"</html>']}),
			result('Integration tests', 'skip', {type: 'recipe', detail: 'not run'}),
		],
		...overrides,
	};
}

test('summary line: failures first, by name', () => {
	assert.equal(summaryLine(run().checks), '1 of 3 failed: Booking journey, 1 skipped');
	assert.equal(summaryLine([result('a', 'pass'), result('b', 'pass')]), 'all 2 of 2 passed');
	assert.equal(runPassed(run()), false);
	assert.equal(runPassed({checks: [result('a', 'pass'), result('b', 'skip')]}), false, 'a skipped check proved nothing');
	assert.equal(runPassed({checks: []}), false, 'checking nothing proves nothing');
});

test('report format follows the extension; anything else is a usage error', () => {
	assert.equal(reportFormatFor('out/staging.md'), 'markdown');
	assert.equal(reportFormatFor('staging.JSON'), 'json');
	assert.equal(reportFormatFor('junit.xml'), 'junit');
	assert.throws(() => reportFormatFor('report.pdf'), UsageError);
	assert.throws(() => reportFormatFor('report'), /\.md .*\.json .*\.xml/);
});

test('JSON report parses back to {env, release, commit, at, operator, checks}', () => {
	const parsed = JSON.parse(JSON.stringify(jsonReport(run()))) as Record<string, unknown> & {checks: Array<Record<string, unknown>>};
	assert.equal(parsed['env'], 'staging');
	assert.equal(parsed['release'], 'staging-20261123-100000-1a2b3c4');
	assert.equal(parsed['commit'], '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b');
	assert.equal(parsed['at'], '2026-11-23T11:00:00.000Z');
	assert.equal(parsed['operator'], 'ana@example.test');
	assert.deepEqual(parsed.checks.map(check => [check['name'], check['type'], check['status'], check['ms']]), [
		['All services healthy', 'health', 'pass', 12], ['Booking journey', 'http', 'fail', 12], ['Integration tests', 'recipe', 'skip', 12],
	]);
	assert.equal(parsed.checks[1]!['detail'], 'the response does not contain "confirmed" | <b>&');
});

/** Reads a Markdown table back: rows of cells, with `\|` as a literal pipe. */
function markdownRows(text: string): string[][] {
	return text.split('\n').filter(line => /^\| \d+ \|/.test(line)).map(line => line.slice(2, -2).split(/ (?<!\\)\| /).map(cell => cell.replace(/\\\|/g, '|').replace(/\\\\/g, '\\')));
}

test('Markdown report: header facts, the failures first in the summary, a table that reads back', () => {
	const text = markdownReport(run());
	assert.match(text, /^# Checks: staging$/m);
	assert.match(text, /^\*\*FAILED\*\* — 1 of 3 failed: Booking journey, 1 skipped$/m);
	assert.match(text, /^- Release: staging-20261123-100000-1a2b3c4$/m);
	assert.match(text, /^- Commit: `1a2b3c4d5e6f` Booking \\\| v2$/m);
	assert.match(text, /^- Operator: ana@example\.test$/m);
	assert.match(text, /^- Time: 2026-11-23T11:00:00\.000Z$/m);
	const rows = markdownRows(text);
	assert.deepEqual(rows.map(row => [row[0], row[2], row[3], row[4]]), [['1', 'health', 'PASS', '12 ms'], ['2', 'http', 'FAIL', '12 ms'], ['3', 'recipe', 'SKIP', '12 ms']]);
	assert.equal(rows[0]![1], 'All services healthy<br>Every container runs and is healthy');
	assert.equal(rows[1]![5], 'the response does not contain "confirmed" | <b>&');
});

/** The testcases of a JUnit file, read back with their failure or skip, entities decoded. */
function junitCases(text: string): Array<{name: string; classname: string; failure?: string; body?: string; skipped: boolean}> {
	const decode = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, '\'').replace(/&amp;/g, '&');
	return [...text.matchAll(/<testcase classname="([^"]*)" name="([^"]*)" time="[\d.]+">([\s\S]*?)<\/testcase>/g)].map(match => {
		const failure = /<failure message="([^"]*)" type="[^"]*">([\s\S]*?)<\/failure>/.exec(match[3]!);
		return {classname: decode(match[1]!), name: decode(match[2]!), ...(failure ? {failure: decode(failure[1]!), body: decode(failure[2]!)} : {}), skipped: /<skipped /.test(match[3]!)};
	});
}

test('JUnit report: one testcase per check, failures and skips as CI systems read them', () => {
	const text = junitReport(run());
	assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
	assert.match(text, /<testsuite name="staging" tests="3" failures="1" errors="0" skipped="1" time="0\.036" timestamp="2026-11-23T11:00:00\.000Z">/);
	assert.doesNotMatch(text.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&|<b>/, 'every entity escaped');
	const cases = junitCases(text);
	assert.deepEqual(cases.map(item => item.name), ['All services healthy', 'Booking journey', 'Integration tests']);
	assert.equal(cases[0]!.classname, 'opsconsole.checks.staging.health');
	assert.equal(cases[1]!.failure, 'the response does not contain "confirmed" | <b>&');
	assert.equal(cases[1]!.body, 'HTTP 500 in 3 ms\n\n<html>oops & "quotes"</html>');
	assert.equal(cases[2]!.skipped, true);
});

test('durations: 30m, 24h, 7d, 1h30m; anything else is not one', () => {
	assert.equal(parseDuration('30m'), 1_800_000);
	assert.equal(parseDuration('24h'), 86_400_000);
	assert.equal(parseDuration('7d'), 7 * day);
	assert.equal(parseDuration('1h30m'), 5_400_000);
	for (const bad of ['', '24', 'h', '1.5h', '-1h', '24 h', '1w']) assert.equal(parseDuration(bad), undefined, bad);
});

const gateCases: Array<{title: string; release: string | null; runs: CheckRun[]; ok: boolean; text: RegExp}> = [
	{title: 'no release: deploy first', release: null, runs: [], ok: false, text: /runs no release to check/},
	{title: 'no run on the release: how to run one', release: 'staging-r2', runs: [run({release: 'staging-r1', checks: [result('a', 'pass')]})], ok: false, text: /no checklist run on staging-r2 yet/},
	{title: 'the latest run on the release failed', release: 'staging-r2', runs: [run({release: 'staging-r2'})], ok: false, text: /latest run on staging-r2 did not pass .*Booking journey/},
	{title: 'a passing run older than the maximum age', release: 'staging-r2', runs: [run({release: 'staging-r2', finishedAt: new Date(now.getTime() - 25 * 3_600_000).toISOString(), checks: [result('a', 'pass')]})], ok: false, text: /older than 24h/},
	{title: 'a fresh passing run opens it, saying which and when', release: 'staging-r2', runs: [run({release: 'staging-r2', finishedAt: new Date(now.getTime() - 2 * 3_600_000).toISOString(), checks: [result('a', 'pass')]})], ok: true, text: /run chk-staging-20261123-110000-000 by ana@example\.test, 2 h ago/},
	{title: 'a newer failing run wins over an older passing one', release: 'staging-r2', runs: [run({release: 'staging-r2', id: 'chk-new'}), run({release: 'staging-r2', id: 'chk-old', checks: [result('a', 'pass')]})], ok: false, text: /did not pass \(run chk-new/},
];
for (const item of gateCases) {
	test(`checks gate: ${item.title}`, () => {
		const gate = evaluateChecksGate({env: 'staging', release: item.release, maxAge: '24h', maxAgeMs: day, runs: item.runs, now});
		assert.equal(gate.ok, item.ok);
		assert.match(gate.ok ? gate.label : `${gate.reason}`, item.text);
		if (!gate.ok) assert.match(gate.remedy ?? '', /opsconsole check staging/);
	});
}

test('history\'s checks column: the newest run on each release, or a dash', () => {
	const runs = [run({id: 'chk-new', release: 'staging-r2'}), run({id: 'chk-old', release: 'staging-r2', checks: [result('a', 'pass')]}), run({id: 'chk-r1', release: 'staging-r1', checks: [result('a', 'pass'), result('b', 'pass')]})];
	assert.equal(latestRunOn(runs, 'staging-r2')?.id, 'chk-new');
	assert.equal(checksColumn(latestRunOn(runs, 'staging-r2')), '1/3 ✖');
	assert.equal(checksColumn(latestRunOn(runs, 'staging-r1')), '2/2 ok');
	assert.equal(checksColumn(latestRunOn(runs, 'staging-r0')), '—');
});

test('a run\'s verdict: PASSED only when every check passed; a skip makes it INCOMPLETE, a failure FAILED', () => {
	assert.equal(runVerdict([result('a', 'pass')]), 'PASSED');
	assert.equal(runVerdict([result('a', 'pass'), result('b', 'skip')]), 'INCOMPLETE');
	assert.equal(runVerdict([result('a', 'fail'), result('b', 'skip')]), 'FAILED');
	assert.match(markdownReport(run({checks: [result('a', 'pass'), result('b', 'skip')]})), /^\*\*INCOMPLETE\*\* — 1 of 2 passed, 1 skipped$/m);
});
