import type {CheckConfig} from './environment-schema.js';
import type {EnvironmentHealth} from './health.js';

export type CheckType = CheckConfig['type'];
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** How one check of a checklist ended. */
export type CheckResult = {
	readonly name: string;
	readonly type: CheckType;
	readonly description: string | null;
	readonly status: CheckStatus;
	readonly ms: number;
	/** One line: why it failed, or what it measured. */
	readonly detail: string;
	/** Everything it saw (the response, each header, the recipe's output), for Enter and the report. */
	readonly output: readonly string[];
};

/** What a runner found, before timing: the check's verdict with its reason and evidence. */
export type CheckVerdict = Pick<CheckResult, 'status' | 'detail' | 'output'>;

/** One run of an environment's checklist, as history keeps it next to the release it checked. */
export type CheckRun = {
	readonly id: string;
	readonly env: string;
	/** The release the environment ran (its containers' label), or null when it runs none. */
	readonly release: string | null;
	readonly commit: string | null;
	readonly subject: string | null;
	readonly operator: string;
	readonly host: string;
	readonly startedAt: string;
	readonly finishedAt: string;
	readonly checks: readonly CheckResult[];
};

export function passed(detail: string, output: readonly string[] = []): CheckVerdict {
	return {status: 'pass', detail, output};
}

export function failed(detail: string, output: readonly string[] = []): CheckVerdict {
	return {status: 'fail', detail, output};
}

/** A run passes when it checked something and every check passed: a skipped check proved nothing. */
export function runPassed(run: {readonly checks: readonly Pick<CheckResult, 'status'>[]}): boolean {
	return run.checks.length > 0 && run.checks.every(check => check.status === 'pass');
}

/** One word for a run: PASSED (every check passed), FAILED (one failed) or INCOMPLETE (none failed, some did not run). */
export function runVerdict(checks: readonly Pick<CheckResult, 'status'>[]): 'PASSED' | 'FAILED' | 'INCOMPLETE' {
	if (checks.some(check => check.status === 'fail')) return 'FAILED';
	return runPassed({checks}) ? 'PASSED' : 'INCOMPLETE';
}

export function countByStatus(checks: readonly Pick<CheckResult, 'status'>[]): Record<CheckStatus, number> {
	const counts: Record<CheckStatus, number> = {pass: 0, fail: 0, skip: 0};
	for (const check of checks) counts[check.status]++;
	return counts;
}

/** `2 of 9 failed: TLS certificate, Booking journey` or `all 9 passed`: the failures first, as a report's summary line says. */
export function summaryLine(checks: readonly Pick<CheckResult, 'name' | 'status'>[]): string {
	const counts = countByStatus(checks);
	const failures = checks.filter(check => check.status === 'fail').map(check => check.name);
	const skipped = counts.skip > 0 ? `, ${counts.skip} skipped` : '';
	if (checks.length === 0) return 'no checks configured';
	if (failures.length > 0) return `${failures.length} of ${checks.length} failed: ${failures.join(', ')}${skipped}`;
	return `${counts.pass === checks.length ? 'all ' : ''}${counts.pass} of ${checks.length} passed${skipped}`;
}

/** `chk-staging-20261123-101500`: sortable and names the environment. */
export function newCheckRunId(env: string, at: Date): string {
	return `chk-${env}-${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${at.getMilliseconds().toString().padStart(3, '0')}`;
}

export function healthVerdict(health: EnvironmentHealth, reasons: readonly string[], containers: number): CheckVerdict {
	const output = reasons.length > 0 ? reasons : [`${containers} container${containers === 1 ? '' : 's'}, every probe passing`];
	if (health === 'healthy') return passed(`${containers} container${containers === 1 ? '' : 's'} healthy, probes passing`, output);
	return failed(`${health}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`, output);
}

type HttpCheck = Extract<CheckConfig, {type: 'http'}>;

/** What an HTTP request returned, as the http check judges it. */
export type HttpAnswer = {readonly status: number; readonly body: string; readonly ms: number; readonly headers: readonly string[]};

export function httpVerdict(check: Pick<HttpCheck, 'expectStatus' | 'expectText' | 'expectPattern' | 'maxLatencyMs'>, answer: HttpAnswer): CheckVerdict {
	const output = [`HTTP ${answer.status} in ${answer.ms} ms`, ...answer.headers, '', ...answer.body.split('\n')];
	if (answer.status !== check.expectStatus) return failed(`HTTP ${answer.status}, expected ${check.expectStatus}`, output);
	if (check.expectText !== undefined && !answer.body.includes(check.expectText)) return failed(`the response does not contain "${check.expectText}"`, output);
	if (check.expectPattern !== undefined && !new RegExp(check.expectPattern).test(answer.body)) return failed(`the response does not match /${check.expectPattern}/`, output);
	if (check.maxLatencyMs !== undefined && answer.ms > check.maxLatencyMs) return failed(`answered in ${answer.ms} ms, over the ${check.maxLatencyMs} ms budget`, output);
	return passed(`HTTP ${answer.status} in ${answer.ms} ms`, output);
}

/** The nearest-rank percentile of samples (0 < p ≤ 100). */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Latency within budget: every request answered, and the p95 no more than the budget. */
export function latencyVerdict(budgetMs: number, samples: readonly number[], errors: readonly string[]): CheckVerdict {
	const figures = samples.length > 0 ? `p50 ${percentile(samples, 50)} ms, p95 ${percentile(samples, 95)} ms, max ${Math.max(...samples)} ms` : 'no answers';
	const output = [`${samples.length + errors.length} requests: ${figures} (budget: p95 <= ${budgetMs} ms)`, ...errors.map(error => `failed: ${error}`)];
	if (errors.length > 0) return failed(`${errors.length} of ${samples.length + errors.length} requests failed (${errors[0]}); ${figures}`, output);
	const p95 = percentile(samples, 95);
	if (p95 > budgetMs) return failed(`${figures} — p95 over the ${budgetMs} ms budget`, output);
	return passed(figures, output);
}

/** The certificate a TLS endpoint presented, and what the handshake thought of it. */
export type CertificateFacts = {
	readonly subject: string;
	readonly issuer: string;
	readonly validFrom: Date;
	readonly validTo: Date;
	readonly altNames: string;
	/** Why the chain is not trusted, or undefined when it is. */
	readonly trustProblem: string | undefined;
	/** Why the certificate is not valid for the name, or undefined when it is. */
	readonly nameProblem: string | undefined;
};

const dayMs = 86_400_000;

export function tlsVerdict(name: string, minDaysValid: number, certificate: CertificateFacts, now: Date): CheckVerdict {
	const expires = certificate.validTo.toISOString().slice(0, 10);
	const daysLeft = Math.floor((certificate.validTo.getTime() - now.getTime()) / dayMs);
	const output = [
		`subject: ${certificate.subject}`,
		`issuer: ${certificate.issuer}`,
		`names: ${certificate.altNames || '(none)'}`,
		`valid: ${certificate.validFrom.toISOString()} to ${certificate.validTo.toISOString()}`,
		`trusted: ${certificate.trustProblem ?? 'yes'}`,
	];
	if (certificate.validTo.getTime() <= now.getTime()) return failed(`the certificate expired on ${expires}`, output);
	if (certificate.validFrom.getTime() > now.getTime()) return failed(`the certificate is not valid before ${certificate.validFrom.toISOString().slice(0, 10)}`, output);
	if (certificate.nameProblem) return failed(`not valid for ${name}: ${certificate.nameProblem}`, output);
	if (certificate.trustProblem) return failed(`not trusted: ${certificate.trustProblem}`, output);
	if (daysLeft < minDaysValid) return failed(`expires ${expires}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (less than ${minDaysValid})`, output);
	return passed(`valid for ${name}, expires ${expires} (${daysLeft} days)`, output);
}

/** Each expected header as pass/fail; `x-frame-options` is also met by a CSP with frame-ancestors, which replaces it. */
export function headersVerdict(expected: readonly string[], headers: ReadonlyMap<string, string>): CheckVerdict {
	const lines = expected.map(wanted => {
		const name = wanted.toLowerCase();
		const value = headers.get(name);
		if (value !== undefined) return {name, ok: true, line: `PASS ${name}: ${value}`};
		const csp = headers.get('content-security-policy');
		if (name === 'x-frame-options' && csp && /(^|;)\s*frame-ancestors\s/i.test(csp)) return {name, ok: true, line: `PASS ${name}: met by content-security-policy frame-ancestors`};
		return {name, ok: false, line: `FAIL ${name}: missing`};
	});
	const missing = lines.filter(line => !line.ok).map(line => line.name);
	const output = lines.map(line => line.line);
	if (missing.length > 0) return failed(`missing: ${missing.join(', ')}`, output);
	return passed(`${lines.length} of ${lines.length} present`, output);
}

/** A container's log lines since the release started, as the logs check reads them. */
export type ContainerLog = {readonly container: string; readonly lines: readonly string[]};

export function logsVerdict(pattern: string, logs: readonly ContainerLog[]): CheckVerdict {
	const matcher = new RegExp(pattern);
	const matches = logs.flatMap(log => log.lines.filter(line => matcher.test(line)).map(line => `${log.container}: ${line}`));
	const read = logs.reduce((total, log) => total + log.lines.length, 0);
	if (logs.length === 0) return failed('no running container to read logs from');
	if (matches.length > 0) return failed(`${matches.length} line${matches.length === 1 ? ' matches' : 's match'} /${pattern}/: ${matches[0]}`, matches);
	return passed(`none of ${read} line${read === 1 ? '' : 's'} in ${logs.length} container${logs.length === 1 ? '' : 's'} match /${pattern}/`, []);
}
