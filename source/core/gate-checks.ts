import type {ApprovalRecord} from './gate-records.js';
import {describeHold, holdReleaseCommand, type Hold} from './holds.js';
import {formatDuration} from './duration.js';
import {shortSha} from './words.js';

export type GateCheckId = 'hold' | 'freeze-override' | 'approvals' | 'soak';

/** What the release gates decide on, gathered by app/gate-facts.ts; absent parts are gates this environment does not have. */
export type GateFacts = {
	/** A hold on the commit in the target (promotions and deploys). */
	readonly hold?: Hold;
	/** `--override-freeze` was given while the target is frozen, and whether the operator may. */
	readonly freezeOverride?: {readonly reason: string; readonly allowed: boolean; readonly approvers: readonly string[]};
	/** The target's `protection.approvals`, and the approvals of this commit that count. */
	readonly approvals?: {readonly required: number; readonly given: readonly ApprovalRecord[]; readonly approvers: readonly string[]};
	/** FROM's `protection.soak`: how long the release has run there healthy. */
	readonly soak?: {readonly env: string; readonly requiredMs: number; readonly healthyMs: number; readonly why?: string};
};

type GateSubject = {readonly kind: 'promotion' | 'deploy' | 'rollback'; readonly target: string; readonly commit?: string; readonly operator: string; readonly gates?: GateFacts};

type Check = {readonly id: GateCheckId; readonly label: string; readonly ok: boolean; readonly reason?: string; readonly remedy?: string; readonly retryInMs?: number};

function check(id: GateCheckId, label: string, problem: {reason: string; remedy: string} | undefined): Check {
	return problem ? {id, label, ok: false, ...problem} : {id, label, ok: true};
}

/** The release gates' lines of the preflight checklist, only for the gates that apply. */
export function gateChecks(subject: GateSubject): Check[] {
	const gates = subject.gates;
	if (!gates) return [];
	const checks: Check[] = [];
	const commit = shortSha(subject.commit, 'the commit');
	if (subject.kind !== 'rollback') {
		checks.push(check('hold', `${commit} not held in ${subject.target}`, gates.hold ? {
			reason: describeHold(gates.hold),
			remedy: `fix it and promote a new commit, or, when it is known to be safe: ${holdReleaseCommand(gates.hold)}`,
		} : undefined));
	}

	if (gates.freezeOverride) {
		const {allowed, reason, approvers} = gates.freezeOverride;
		checks.push(check('freeze-override', allowed ? `freeze overridden by ${subject.operator}: ${reason}` : 'freeze override by an approver', allowed ? undefined : {
			reason: `${subject.operator} may not override the freeze (${reason}): ${approvers.length > 0 ? `approvers are ${approvers.join(', ')}` : `${subject.target} lists no approvers`}`,
			remedy: approvers.length > 0 ? 'ask an approver to run it with --override-freeze' : `add approvers to protection.approvers in environments/${subject.target}.yaml, or wait for the freeze to end`,
		}));
	}

	if (gates.approvals && subject.kind === 'promotion') {
		const {required, given, approvers} = gates.approvals;
		const names = given.map(approval => approval.operator);
		checks.push(check('approvals', `${required} approval${required === 1 ? '' : 's'} of ${commit}`, given.length >= required ? undefined : {
			reason: `${given.length} of ${required} given${names.length > 0 ? ` (by ${names.join(', ')})` : ''}; ${subject.operator}'s own approval does not count`,
			remedy: `ask ${approvers.length > 0 ? `one of ${approvers.filter(name => name !== subject.operator).join(', ')}` : 'someone else'}: opsconsole approve ${subject.target} ${commit} --note "…"`,
		}));
	}

	if (gates.soak && subject.kind === 'promotion') {
		const {env, requiredMs, healthyMs, why} = gates.soak;
		const remaining = requiredMs - healthyMs;
		const soaked = check('soak', `soaked ${formatDuration(requiredMs)} in ${env}`, remaining <= 0 ? undefined : {
			reason: `${commit} has run healthy in ${env} for ${formatDuration(Math.max(0, healthyMs))}${why ? ` (${why})` : ''}; ${formatDuration(remaining)} remain`,
			remedy: `wait ${formatDuration(remaining)}, or run it with --wait to wait here with a countdown`,
		});
		checks.push(remaining > 0 && healthyMs > 0 ? {...soaked, retryInMs: remaining} : soaked);
	}

	return checks;
}
