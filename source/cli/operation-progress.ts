import type {FlowEvent, FlowState, FlowStep} from '../core/operation-flow.js';
import {formatDuration} from '../core/duration.js';
import {formatSeconds, plural, shortSha} from '../core/words.js';
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
	lines.push(`      branch: ${plan.branch.note}`);
	for (const warning of plan.warnings ?? []) lines.push(paint(`      warning: ${warning}`, 'warn', style));
	const verb = plan.kind === 'rollback' ? 'undoes' : 'brings';
	lines.push(`      ${verb} ${plural(plan.commits.length, 'commit')}, ${plural(plan.files.length, 'file')} changed`);
	for (const commit of plan.commits.slice(0, 10)) lines.push(paint(`        ${shortSha(commit.sha)} ${commit.subject}`, 'muted', style));
	if (plan.commits.length > 10) lines.push(paint(`        … and ${plan.commits.length - 10} more`, 'muted', style));
	return lines;
}

function skippedLine(step: FlowStep, style: StyleOptions): string {
	return paint(`  - ${step.label}: skipped${step.detail ? ` (${step.detail.replace(/^skipped: /, '')})` : ''}`, 'muted', style);
}

/**
 * Plain lines for one flow event (given the state before and after it), readable in a terminal and
 * in a CI log; empty when nothing to say.
 */
export function progressLines(previous: FlowState, state: FlowState, event: FlowEvent, style: StyleOptions): string[] {
	const lines = event.type === 'lock-waiting' ? lockWaitLines(previous, event, style)
		: event.type === 'failure-decided' ? decisionLines(previous, state, event, style)
			: eventLines(state, event, style);
	if (previous.phase !== 'finished' && state.outcome === 'refused') lines.push(paint(`refused, nothing changed: ${state.error ?? ''}`, 'bad', style));
	return lines;
}

/** The lock-wait countdown: said when the wait starts, then every 5 seconds, not every tick. */
function lockWaitLines(previous: FlowState, event: Extract<FlowEvent, {type: 'lock-waiting'}>, style: StyleOptions): string[] {
	const left = Math.max(0, event.until - Date.now());
	const step = (milliseconds: number) => Math.ceil(milliseconds / 5000);
	if (previous.lockWait && step(Math.max(0, previous.lockWait.until - Date.now() + 1000)) === step(left)) return [];
	return [paint(`waiting for the lock, ${formatDuration(left)} left: ${event.holder}`, 'warn', style)];
}

/** Guided failure: what was chosen, by whom, and what it starts. */
function decisionLines(previous: FlowState, state: FlowState, event: Extract<FlowEvent, {type: 'failure-decided'}>, style: StyleOptions): string[] {
	const said = {retry: 'retrying', rollback: 'rolling back', abort: 'leaving it as it is', ignore: 'ignoring the failed verification'}[event.choice];
	const step = state.steps.find(candidate => candidate.id === previous.decision?.step);
	return [paint(`→ ${said} (chosen by ${event.by})`, 'warn', style), ...(step && (event.choice === 'rollback' || event.choice === 'abort') ? recoveryLines(state, step, style) : [])];
}

/** After a failure: the steps it skipped, and the recovery that starts. */
function recoveryLines(state: FlowState, step: FlowStep, style: StyleOptions): string[] {
	const lines = state.steps.filter(other => other.part === step.part && other.status === 'skipped' && other.detail?.startsWith('skipped:')).map(other => skippedLine(other, style));
	const revert = state.recovery?.revert;
	if (step.part === 'main' && state.recovering === 'revert' && revert?.kind === 'revert') {
		lines.push(paint(`rolling ${state.env} back to ${shortSha(revert.commit)}${state.onFailure === 'pause' ? '' : ' automatically'}`, 'warn', style));
	} else if (step.part === 'main' && state.recovering === 'restore-branch') {
		lines.push(paint(`putting ${state.recovery?.restoreBranch?.branch}'s branch back where it was`, 'warn', style));
	}

	return lines;
}

function eventLines(state: FlowState, event: FlowEvent, style: StyleOptions): string[] {
	switch (event.type) {
		case 'planned':
			return planLines(state, style);
		case 'preflight-checked':
			return ['preflight:', ...event.checks.map(item => `  ${mark(item.ok, style)} ${item.ok ? item.label : `${item.label}: ${item.reason ?? ''}${item.remedy ? ` — ${item.remedy}` : ''}`}`)];
		case 'locked':
			return [`running; full log: ${event.logFile}`, ...state.steps.filter(step => step.status === 'skipped').map(step => skippedLine(step, style))];
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
			if (event.id === 'record' || !step) return [];
			const lines = [`  ${mark(event.ok, style)} ${step.label}${event.detail ? ` — ${event.detail}` : step.ms === undefined ? '' : ` (${formatSeconds(step.ms)})`}`];
			if (event.ok || state.phase === 'deciding') return lines;
			return [...lines, ...recoveryLines(state, step, style)];
		}

		case 'finished': {
			const {release} = event;
			return [paint(`${release.outcome}: release ${release.id}${release.error ? ` — ${release.error}` : ''}`, release.outcome === 'succeeded' ? 'good' : 'bad', style)];
		}

		default:
			return [];
	}
}
