import type {FlowEvent, FlowState} from '../core/operation-flow.js';
import {plural, shortSha} from '../presentation/format.js';
import {paint, type StyleOptions} from '../presentation/style.js';

function mark(ok: boolean, style: StyleOptions): string {
	const symbol = style.ascii ? (ok ? '[ok]' : '[!!]') : ok ? '✔' : '✖';
	return paint(symbol, ok ? 'good' : 'bad', style);
}

function planLines(state: FlowState, style: StyleOptions): string[] {
	const plan = state.plan!;
	const lines: string[] = [];
	const subject = plan.commitSummary ? ` ${plan.commitSummary.subject} (${plan.commitSummary.author})` : '';
	if (plan.kind === 'promotion') {
		const verified = plan.verifiedInFrom ? 'verified there' : 'no verified release on record there';
		lines.push(`plan: promote ${plan.from} → ${plan.env}: ${shortSha(plan.commit)}${subject}`);
		lines.push(`      ${plan.from} is ${plan.fromHealth ?? 'unknown'}; ${verified}`);
	} else {
		lines.push(`plan: ${plan.kind} ${plan.env} to ${shortSha(plan.commit)}${subject}`);
	}

	lines.push(`      ${plan.env} runs ${shortSha(plan.current.commit)}${plan.current.release ? ` (release ${plan.current.release})` : ''}`);
	const verb = plan.kind === 'rollback' ? 'undoes' : 'brings';
	lines.push(`      ${verb} ${plural(plan.commits.length, 'commit')}, ${plural(plan.files.length, 'file')} changed`);
	for (const commit of plan.commits.slice(0, 10)) lines.push(paint(`        ${shortSha(commit.sha)} ${commit.subject}`, 'muted', style));
	if (plan.commits.length > 10) lines.push(paint(`        … and ${plan.commits.length - 10} more`, 'muted', style));
	return lines;
}

/** Plain lines for one flow event, readable in a terminal and in a CI log; empty when nothing to say. */
export function progressLines(state: FlowState, event: FlowEvent, style: StyleOptions): string[] {
	switch (event.type) {
		case 'planned':
			return planLines(state, style);
		case 'preflight-checked':
			return ['preflight:', ...event.checks.map(item => `  ${mark(item.ok, style)} ${item.ok ? item.label : `${item.label}: ${item.reason ?? ''}${item.remedy ? ` — ${item.remedy}` : ''}`}`)];
		case 'run-started':
			return [`running; full log: ${event.logFile}`];
		case 'step-started': {
			const step = state.steps.find(candidate => candidate.id === event.id);
			return event.id === 'record' ? [] : [`▸ ${step?.label ?? event.id}`];
		}

		case 'recipe-step':
			return [`  • ${event.name}`];
		case 'output':
			return [paint(`  │ ${event.line}`, 'muted', style)];
		case 'step-finished': {
			const step = state.steps.find(candidate => candidate.id === event.id);
			if (event.id === 'record') return [];
			return [`  ${mark(event.ok, style)} ${step?.label ?? event.id}${event.detail ? ` — ${event.detail}` : ''}`];
		}

		case 'step-skipped':
			return [paint(`  - ${state.steps.find(step => step.id === event.id)?.label ?? event.id}: skipped${event.detail ? ` (${event.detail})` : ''}`, 'muted', style)];
		case 'refused':
			return [paint(`refused, nothing changed: ${event.reason}`, 'bad', style)];
		case 'finished': {
			const tone = event.outcome === 'succeeded' ? 'good' : 'bad';
			return [paint(`${event.outcome}: release ${event.release.id}${event.error ? ` — ${event.error}` : ''}`, tone, style)];
		}

		default:
			return [];
	}
}
