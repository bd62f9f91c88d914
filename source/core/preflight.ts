import type {ChecksGate} from './checks-gate.js';
import {gateChecks, type GateCheckId, type GateFacts} from './gate-checks.js';
import type {EnvironmentHealth} from './health.js';
import {shortSha} from './words.js';

/** One line of a preflight checklist: what was checked, whether it passed, and if not, what to do. */
export type PreflightCheck = {
	readonly id: PreflightCheckId;
	readonly label: string;
	readonly ok: boolean;
	readonly reason?: string;
	readonly remedy?: string;
	/** A gate that opens by itself (soak): how long until it does, for `--wait`. */
	readonly retryInMs?: number;
};

export type PreflightCheckId = 'read-only' | 'state' | 'engine' | 'from-healthy' | 'release-running' | 'something-to-do' | 'fast-forward' | 'clean-tree' | 'freeze' | 'approver' | 'lock' | 'checks' | GateCheckId;

/** Everything preflight decides on, gathered by the adapters beforehand, so the rules stay pure. */
export type PreflightFacts = {
	readonly kind: 'promotion' | 'deploy' | 'rollback';
	readonly target: string;
	readonly from?: string;
	/** Why the target may not be changed (core/read-only.ts), or undefined. */
	readonly readOnly: string | undefined;
	/** What keeps opsconsole from recording this operation (core/adapters.ts StateStores#problem), or undefined. */
	readonly stateProblem?: string;
	/** Unreachable engines, as `env: reason`. */
	readonly engineErrors: readonly string[];
	readonly fromHealth?: {readonly health: EnvironmentHealth; readonly reasons: readonly string[]};
	/** The commit FROM runs (promotion), or undefined when it runs no opsconsole release. */
	readonly fromRunningCommit?: string;
	readonly commit?: string;
	readonly targetRunningCommit?: string;
	/** Nothing of the target's release runs (its containers stopped): the same commit can still be deployed to bring it back. */
	readonly targetDown?: boolean;
	/** Whether the target's branch can fast-forward to the commit (promotion). */
	readonly fastForward?: boolean;
	readonly requireCleanTree: boolean;
	readonly cleanTree: boolean;
	readonly freeze: string | null;
	readonly approvers: readonly string[];
	readonly operator: string;
	/** A description of the lock's holder, or undefined when it is free. */
	readonly lockHolder?: string;
	readonly lockStale?: boolean;
	/** FROM's checklist gate (`protection.requireChecks`), decided by core/checks-gate.ts; absent when not required. */
	readonly checksGate?: ChecksGate;
	/** `--lock-wait`: a held lock is waited for when the operation takes it, not refused here. */
	readonly lockWaitMs?: number;
	/** The release gates (core/gate-checks.ts): holds, freeze overrides, approvals, soak. */
	readonly gates?: GateFacts;
};


function check(id: PreflightCheckId, label: string, problem: {reason: string; remedy: string} | undefined): PreflightCheck {
	return problem ? {id, label, ok: false, ...problem} : {id, label, ok: true};
}

/** The checklist for a promotion, deploy or rollback, in the order an operator reads it. */
export function evaluatePreflight(facts: PreflightFacts): PreflightCheck[] {
	const checks: PreflightCheck[] = [];
	checks.push(check('read-only', 'not read-only', facts.readOnly ? {
		reason: facts.readOnly,
		remedy: 'run it from a session allowed to change this environment (without --read-only or the read-only preference)',
	} : undefined));
	checks.push(check('state', 'history, audit log and locks writable', facts.stateProblem ? {
		reason: facts.stateProblem,
		remedy: 'nothing may change that cannot be recorded: fix the folder, or point OPSCONSOLE_STATE_DIR at a writable one',
	} : undefined));
	checks.push(check('engine', 'engine reachable', facts.engineErrors.length > 0 ? {
		reason: facts.engineErrors.join('; '),
		remedy: 'check that dockerd runs and docker.host is right; nothing can be verified without it',
	} : undefined));

	if (facts.kind === 'promotion') {
		checks.push(check('release-running', `${facts.from} runs a release`, facts.fromRunningCommit ? undefined : {
			reason: `${facts.from} runs no release deployed by opsconsole, so there is no verified commit to promote`,
			remedy: `deploy it first: opsconsole deploy ${facts.from}`,
		}));
		const fromHealth = facts.fromHealth;
		checks.push(check('from-healthy', `${facts.from} healthy`, fromHealth && fromHealth.health !== 'healthy' ? {
			reason: `${facts.from} is ${fromHealth.health}${fromHealth.reasons.length > 0 ? `: ${fromHealth.reasons.join('; ')}` : ''}`,
			remedy: `fix ${facts.from} first; only a healthy release is promoted`,
		} : undefined));
		checks.push(check('fast-forward', 'fast-forward possible', facts.fastForward === false ? {
			reason: `${facts.target}'s branch has commits that ${shortSha(facts.commit, 'nothing')} does not contain`,
			remedy: `merge ${facts.target}'s branch back into ${facts.from}'s and redeploy ${facts.from}, or roll ${facts.target} back`,
		} : undefined));
		const gate = facts.checksGate;
		if (gate) checks.push(check('checks', gate.label, gate.ok ? undefined : {reason: gate.reason ?? 'no passing checklist run', remedy: gate.remedy ?? `opsconsole check ${facts.from}`}));
	}

	checks.push(check('something-to-do', 'something to change', facts.commit && facts.commit === facts.targetRunningCommit && !facts.targetDown && facts.kind !== 'deploy' ? {
		reason: `${facts.target} already runs ${shortSha(facts.commit, 'nothing')}`,
		remedy: 'nothing to do',
	} : undefined));
	checks.push(check('clean-tree', 'clean work tree', facts.requireCleanTree && !facts.cleanTree ? {
		reason: 'tracked files have uncommitted changes and this environment requires a clean tree',
		remedy: 'commit or stash them (git status shows what)',
	} : undefined));
	checks.push(check('freeze', 'no freeze', facts.freeze && facts.kind !== 'rollback' ? {
		reason: `${facts.target} is frozen: ${facts.freeze}`,
		remedy: `wait for it to end, lift it in environments/${facts.target}.yaml, or, as an approver: --override-freeze "reason" (rollbacks stay allowed)`,
	} : undefined));
	checks.push(check('approver', 'operator allowed', facts.approvers.length > 0 && !facts.approvers.includes(facts.operator) ? {
		reason: `${facts.operator} is not an approver of ${facts.target} (approvers: ${facts.approvers.join(', ')})`,
		remedy: 'ask an approver, or pass --operator with your approver identity',
	} : undefined));
	checks.push(...gateChecks(facts));
	const waitForLock = facts.lockHolder !== undefined && !facts.lockStale && (facts.lockWaitMs ?? 0) > 0;
	checks.push(check('lock', waitForLock ? `lock held: waiting up to ${Math.round((facts.lockWaitMs ?? 0) / 1000)}s for it` : 'lock free', facts.lockHolder && !waitForLock ? {
		reason: `${facts.target} is locked by ${facts.lockHolder}`,
		remedy: facts.lockStale ? `the holder is gone: opsconsole unlock ${facts.target} --force` : 'wait for it to finish (--lock-wait 5m waits here), or ask its holder',
	} : undefined));
	return checks;
}

export function preflightPassed(checks: readonly PreflightCheck[]): boolean {
	return checks.every(item => item.ok);
}
