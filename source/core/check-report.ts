import {countByStatus, runVerdict, summaryLine, type CheckRun} from './checks.js';
import {UsageError} from './errors.js';

export type ReportFormat = 'markdown' | 'json' | 'junit';

/** The report's format from its file name: `.md`, `.json` or `.xml` (JUnit, for CI systems). */
export function reportFormatFor(file: string): ReportFormat {
	const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
	if (extension === 'md' || extension === 'markdown') return 'markdown';
	if (extension === 'json') return 'json';
	if (extension === 'xml') return 'junit';
	throw new UsageError(`cannot tell the report format of "${file}": name it .md (Markdown), .json or .xml (JUnit)`);
}

/** The JSON report: `{env, release, commit, at, operator, checks: [{name, type, status, ms, detail}]}`. */
export function jsonReport(run: CheckRun) {
	return {
		env: run.env,
		release: run.release,
		commit: run.commit,
		subject: run.subject,
		at: run.startedAt,
		operator: run.operator,
		run: run.id,
		summary: summaryLine(run.checks),
		checks: run.checks.map(check => ({name: check.name, type: check.type, status: check.status, ms: check.ms, detail: check.detail, ...(check.description ? {description: check.description} : {})})),
	};
}

/** Markdown's table cells: a pipe would end the cell, a newline the row. */
function cell(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A report fit to hand out: what was checked, on which release, by whom and when, failures first. */
export function markdownReport(run: CheckRun): string {
	const counts = countByStatus(run.checks);
	const lines = [
		`# Checks: ${run.env}`,
		'',
		`**${runVerdict(run.checks)}** — ${cell(summaryLine(run.checks))}`,
		'',
		`- Environment: ${run.env}`,
		`- Release: ${run.release ?? 'none'}`,
		`- Commit: ${run.commit ? `\`${run.commit.slice(0, 12)}\`` : 'none'}${run.subject ? ` ${cell(run.subject)}` : ''}`,
		`- Operator: ${cell(run.operator)}`,
		`- Time: ${run.startedAt}`,
		`- Result: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`,
		'',
		'| # | Check | Type | Status | Duration | Detail |',
		'| ---: | --- | --- | --- | ---: | --- |',
		...run.checks.map((check, index) => `| ${index + 1} | ${cell(check.name)}${check.description ? `<br>${cell(check.description)}` : ''} | ${check.type} | ${check.status.toUpperCase()} | ${check.ms} ms | ${cell(check.detail)} |`),
		'',
	];
	return lines.join('\n');
}

function xml(text: string): string {
	// XML 1.0 cannot carry most control characters at all, even escaped.
	return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JUnit XML, which CI systems show as a test suite: one testcase per check. */
export function junitReport(run: CheckRun): string {
	const counts = countByStatus(run.checks);
	const seconds = (ms: number) => (ms / 1000).toFixed(3);
	const total = run.checks.reduce((sum, check) => sum + check.ms, 0);
	const cases = run.checks.map(check => {
		const open = `    <testcase classname="opsconsole.checks.${xml(run.env)}.${check.type}" name="${xml(check.name)}" time="${seconds(check.ms)}">`;
		const body = check.status === 'fail'
			? `      <failure message="${xml(check.detail)}" type="${check.type}">${xml(check.output.join('\n'))}</failure>`
			: check.status === 'skip' ? `      <skipped message="${xml(check.detail)}"/>` : `      <system-out>${xml(check.detail)}</system-out>`;
		return [open, body, '    </testcase>'].join('\n');
	});
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<testsuites name="opsconsole checks" tests="${run.checks.length}" failures="${counts.fail}" skipped="${counts.skip}" time="${seconds(total)}">`,
		`  <testsuite name="${xml(run.env)}" tests="${run.checks.length}" failures="${counts.fail}" errors="0" skipped="${counts.skip}" time="${seconds(total)}" timestamp="${run.startedAt}">`,
		'    <properties>',
		`      <property name="release" value="${xml(run.release ?? '')}"/>`,
		`      <property name="commit" value="${xml(run.commit ?? '')}"/>`,
		`      <property name="operator" value="${xml(run.operator)}"/>`,
		'    </properties>',
		...cases,
		'  </testsuite>',
		'</testsuites>',
		'',
	].join('\n');
}

export function renderReport(run: CheckRun, format: ReportFormat): string {
	if (format === 'json') return `${JSON.stringify(jsonReport(run), null, 2)}\n`;
	if (format === 'junit') return junitReport(run);
	return markdownReport(run);
}
