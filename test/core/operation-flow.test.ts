import assert from 'node:assert/strict';
import {test} from 'node:test';
import {acceptedEvents, exitCodeForOutcome, FlowTransitionError, initialFlowState, nextMove, reduceFlow, type FlowEvent, type FlowEventType, type FlowPhase, type FlowState, type FlowTarget} from '../../source/core/operation-flow.js';
import type {OperationPlan} from '../../source/core/operation-plan.js';
import type {ReleaseRecord} from '../../source/core/release.js';

const previous = 'a'.repeat(40);
const commit = 'b'.repeat(40);

function plan(overrides: Partial<OperationPlan> = {}): OperationPlan {
	const kind = overrides.kind ?? 'promotion';
	return {
		kind, env: 'staging', from: 'dev', commit, commitSummary: null, verifiedInFrom: true, fromHealth: 'healthy',
		current: {commit: previous, release: 'staging-r1', deployedAt: null, branchHead: previous}, commits: [], files: [],
		branch: {name: 'staging', to: kind === 'deploy' ? null : commit, note: ''}, ...overrides,
	};
}

function target(overrides: {confirm?: 'none' | 'yes' | 'typed'; autoRollback?: boolean; allowIgnore?: boolean} = {}): FlowTarget {
	return {
		name: 'staging',
		protection: {confirm: overrides.confirm ?? 'yes', requireCleanTree: false, approvers: [], freeze: null, requireChecks: false, checksMaxAge: '24h', ...(overrides.allowIgnore ? {allowIgnore: true} : {})},
		recipes: {promote: 'promote.mjs', deploy: 'deploy.mjs', rollback: 'rollback.mjs', timeoutMs: 60_000, forcePush: false},
		verify: {timeoutMs: 20_000, autoRollback: overrides.autoRollback ?? true},
	};
}

const passing = [{id: 'engine' as const, label: 'engine reachable', ok: true}];

function drive(state: FlowState, events: readonly FlowEvent[]): FlowState {
	return events.reduce(reduceFlow, state);
}

/** Runs the steps the flow asks for, each ending as `results` says (default: success). */
function runSteps(state: FlowState, results: Partial<Record<string, {ok: boolean; detail?: string}>> = {}, at = 1000): FlowState {
	let current = state;
	let clock = at;
	for (;;) {
		const move = nextMove(current);
		if (move.type !== 'run') return current;
		const result = results[move.step.id] ?? {ok: true};
		current = reduceFlow(current, {type: 'step-started', id: move.step.id, at: clock});
		clock += 100;
		current = reduceFlow(current, {type: 'step-finished', id: move.step.id, ...result, at: clock});
	}
}

function record(state: FlowState): FlowState {
	const move = nextMove(state);
	assert.equal(move.type, 'record');
	const verdict = (move as Extract<typeof move, {type: 'record'}>).verdict;
	let current = reduceFlow(state, {type: 'step-started', id: 'record', at: 9000});
	current = reduceFlow(current, {type: 'step-finished', id: 'record', ok: true, at: 9001});
	return reduceFlow(current, {type: 'finished', release: {id: current.releaseId, outcome: verdict.outcome, error: verdict.error} as ReleaseRecord});
}

const locked = (options: {kind?: 'promotion' | 'deploy' | 'rollback'; autoRollback?: boolean; allowIgnore?: boolean; dryRun?: boolean; current?: string | null; onFailure?: 'rollback' | 'abort' | 'pause'} = {}) => drive(
	initialFlowState({kind: options.kind ?? 'promotion', env: 'staging', from: options.kind && options.kind !== 'promotion' ? null : 'dev', dryRun: options.dryRun, onFailure: options.onFailure}),
	[
		{type: 'planned', plan: plan({kind: options.kind ?? 'promotion', current: {commit: options.current === undefined ? previous : options.current, release: null, deployedAt: null, branchHead: previous}}), target: target({autoRollback: options.autoRollback, allowIgnore: options.allowIgnore})},
		{type: 'preflight-checked', checks: passing},
		{type: 'confirmed', confirmed: true},
		{type: 'locked', at: Date.UTC(2026, 10, 23, 1, 2, 3), logFile: '/state/logs/x.log'},
	],
);

/** A flow in each phase, with a recipe step under way where steps run. */
function statesByPhase(): Record<FlowPhase, FlowState> {
	const planning = initialFlowState({kind: 'promotion', env: 'staging', from: 'dev', review: true});
	const reviewing = reduceFlow(planning, {type: 'planned', plan: plan(), target: target()});
	const checking = reduceFlow(reviewing, {type: 'plan-reviewed', proceed: true});
	const confirming = reduceFlow(checking, {type: 'preflight-checked', checks: passing});
	const locking = reduceFlow(confirming, {type: 'confirmed', confirmed: true});
	const lockedState = reduceFlow(locking, {type: 'locked', at: 1000, logFile: '/x.log'});
	const running = reduceFlow(lockedState, {type: 'step-started', id: 'promote', at: 1000});
	const afterDeployFailed = runSteps(lockedState, {deploy: {ok: false, detail: 'deploy.mjs exited with code 1'}});
	const recovering = reduceFlow(drive(lockedState, [
		{type: 'step-started', id: 'promote', at: 1000}, {type: 'step-finished', id: 'promote', ok: true, at: 1100},
		{type: 'step-started', id: 'deploy', at: 1100}, {type: 'step-finished', id: 'deploy', ok: false, detail: 'boom', at: 1200},
	]), {type: 'step-started', id: 'revert', at: 1300});
	assert.equal(afterDeployFailed.phase, 'recovering');
	const deciding = runSteps(locked({onFailure: 'pause'}), {deploy: {ok: false, detail: 'boom'}});
	const finished = reduceFlow(planning, {type: 'refused', reason: 'no'});
	return {planning, reviewing, checking, confirming, locking, running, deciding, recovering, finished};
}

function sampleEvent(type: FlowEventType, state: FlowState): FlowEvent {
	const running = state.steps.find(step => step.status === 'running');
	switch (type) {
		case 'planned':
			return {type, plan: plan(), target: target()};
		case 'plan-reviewed':
			return {type, proceed: true};
		case 'preflight-checked':
			return {type, checks: passing};
		case 'confirmed':
			return {type, confirmed: true};
		case 'lock-waiting':
			return {type, holder: 'staging is locked by bo', until: 5000};
		case 'locked':
			return {type, at: 1000, logFile: '/x.log'};
		case 'refused':
			return {type, reason: 'no'};
		case 'step-started':
			return {type, id: 'verify', at: 2000};
		case 'recipe-step':
			return {type, name: 'build', at: 2000};
		case 'output':
			return {type, line: 'hello'};
		case 'step-finished':
			return {type, id: running?.id ?? 'deploy', ok: true, at: 2000};
		case 'failure-decided':
			return {type, choice: 'retry', by: 'alice', at: 2000};
		case 'cancel-requested':
			return {type};
		case 'finished':
			return {type, release: {id: 'r', outcome: 'succeeded', error: null} as ReleaseRecord};
	}
}

// Written out by hand, not derived from acceptedEvents: a change to what a phase accepts must change this table too.
const expected: Record<FlowPhase, Record<FlowEventType, 'accept' | 'reject'>> = {
	planning: {planned: 'accept', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'accept', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	reviewing: {planned: 'reject', 'plan-reviewed': 'accept', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'accept', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	checking: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'accept', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'accept', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	confirming: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'accept', 'lock-waiting': 'reject', locked: 'reject', refused: 'accept', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	locking: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'accept', locked: 'accept', refused: 'accept', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	// A recipe step is under way: another may not start, and nothing is recorded yet.
	running: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'reject', 'step-started': 'reject', 'recipe-step': 'accept', output: 'accept', 'step-finished': 'accept', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	// Paused at a failure: only the operator's choice, or a cancel (which takes the fallback).
	deciding: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'reject', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'accept', 'cancel-requested': 'accept', finished: 'reject'},
	recovering: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'reject', 'step-started': 'reject', 'recipe-step': 'accept', output: 'accept', 'step-finished': 'accept', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
	finished: {planned: 'reject', 'plan-reviewed': 'reject', 'preflight-checked': 'reject', confirmed: 'reject', 'lock-waiting': 'reject', locked: 'reject', refused: 'reject', 'step-started': 'reject', 'recipe-step': 'reject', output: 'reject', 'step-finished': 'reject', 'failure-decided': 'reject', 'cancel-requested': 'accept', finished: 'reject'},
};

const states = statesByPhase();
for (const phase of Object.keys(expected) as FlowPhase[]) {
	test(`${phase}: the phase takes exactly the events it should`, () => {
		assert.equal(states[phase].phase, phase);
		for (const [type, verdict] of Object.entries(expected[phase]) as Array<[FlowEventType, 'accept' | 'reject']>) {
			const attempt = () => reduceFlow(states[phase], sampleEvent(type, states[phase]));
			if (verdict === 'accept') assert.doesNotThrow(attempt, `${phase} should take ${type}`);
			else assert.throws(attempt, FlowTransitionError, `${phase} should refuse ${type}`);
		}
	});
}

test('the accepted-events table and the hand-written one agree on every phase', () => {
	for (const phase of Object.keys(expected) as FlowPhase[]) {
		for (const type of acceptedEvents[phase]) assert.ok(expected[phase][type] === 'accept' || ['step-started', 'finished', 'refused'].includes(type), `${phase}/${type}`);
	}
});

test('steps are data: a promotion is promote, deploy, verify, record; a deploy and a rollback have their own recipes', () => {
	assert.deepEqual(locked().steps.map(step => [step.id, step.kind, step.label]), [
		['promote', 'recipe', 'promote recipe (promote.mjs)'],
		['deploy', 'recipe', 'deploy recipe (deploy.mjs)'],
		['verify', 'verify', 'verify staging'],
		['record', 'record', 'record release'],
	]);
	assert.deepEqual(locked({kind: 'deploy'}).steps.map(step => step.id), ['deploy', 'verify', 'record']);
	assert.deepEqual(locked({kind: 'rollback'}).steps.map(step => [step.id, step.recipe?.action]), [['rollback', 'rollback'], ['verify', undefined], ['record', undefined]]);
});

test('without a review the plan goes straight to preflight; a failing check refuses with its reason', () => {
	const planned = reduceFlow(initialFlowState({kind: 'deploy', env: 'staging', from: null}), {type: 'planned', plan: plan({kind: 'deploy'}), target: target()});
	assert.equal(planned.phase, 'checking');
	const refused = reduceFlow(planned, {type: 'preflight-checked', checks: [...passing, {id: 'lock', label: 'lock free', ok: false, reason: 'staging is locked by bob'}]});
	assert.deepEqual([refused.phase, refused.outcome, refused.error], ['finished', 'refused', 'staging is locked by bob']);
	assert.equal(nextMove(refused).type, 'done');
});

test('confirmation: none skips it, a no refuses, the lock comes after', () => {
	const checking = reduceFlow(initialFlowState({kind: 'deploy', env: 'staging', from: null}), {type: 'planned', plan: plan({kind: 'deploy'}), target: target({confirm: 'none'})});
	assert.equal(reduceFlow(checking, {type: 'preflight-checked', checks: passing}).phase, 'locking');
	const confirming = reduceFlow(reduceFlow(initialFlowState({kind: 'deploy', env: 'staging', from: null}), {type: 'planned', plan: plan({kind: 'deploy'}), target: target({confirm: 'typed'})}), {type: 'preflight-checked', checks: passing});
	assert.deepEqual(nextMove(confirming), {type: 'confirm', need: {level: 'typed', env: 'staging'}});
	const declined = reduceFlow(confirming, {type: 'confirmed', confirmed: false});
	assert.deepEqual([declined.outcome, declined.error], ['refused', 'not confirmed for staging']);
});

test('a release that passes every step succeeds; its id is fixed when the lock is taken', () => {
	const state = record(runSteps(locked()));
	assert.equal(state.releaseId, 'staging-20261123-010203-bbbbbbb');
	assert.deepEqual(state.steps.map(step => step.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
	assert.equal(state.outcome, 'succeeded');
	assert.equal(exitCodeForOutcome(state.outcome), 0);
});

test('a promote recipe that stops half way has its branch put back: nothing deployed, branch and containers agree', () => {
	const state = runSteps(locked(), {promote: {ok: false, detail: 'promote.mjs was cancelled'}, 'restore-branch': {ok: true, detail: 'staging is back at aaaaaaa'}});
	assert.deepEqual(state.steps.map(step => [step.id, step.part, step.status]), [['promote', 'main', 'failed'], ['deploy', 'main', 'skipped'], ['verify', 'main', 'skipped'], ['restore-branch', 'recovery', 'succeeded'], ['record', 'main', 'pending']]);
	assert.equal(state.recovering, 'restore-branch');
	assert.equal(state.recoveryReleaseId, undefined, 'putting a branch back is not a release');
	const move = nextMove(state);
	assert.equal(move.type, 'record');
	assert.deepEqual((move as Extract<typeof move, {type: 'record'}>).verdict, {outcome: 'failed', error: 'promote.mjs was cancelled; nothing was deployed, and staging is back at aaaaaaa', rolledBackTo: null, recovery: null});
	const failedRestore = runSteps(locked(), {promote: {ok: false, detail: 'promote.mjs exited with code 1'}, 'restore-branch': {ok: false, detail: 'git update-ref failed: cannot lock ref'}});
	const {verdict} = nextMove(failedRestore) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.equal(verdict.error, 'promote.mjs exited with code 1; nothing was deployed, but staging could not be put back to aaaaaaa: git update-ref failed: cannot lock ref — staging needs attention');
});

test('a rollback that leaves its branch alone has no branch to restore; a deploy moves no branch', () => {
	const containersOnly = drive(initialFlowState({kind: 'rollback', env: 'staging', from: null}), [
		{type: 'planned', plan: plan({kind: 'rollback', branch: {name: 'staging', to: null, note: 'staging stays'}}), target: target()},
	]);
	assert.equal(containersOnly.steps[0]?.recipe?.branchTo, null);
	assert.equal(containersOnly.recovery?.restoreBranch, null);
	const revert = containersOnly.recovery?.revert;
	assert.equal(revert?.kind === 'revert' ? revert.steps[0]?.recipe?.branchTo : 'none', null, 'the revert leaves the branch alone too');
	const deploy = drive(initialFlowState({kind: 'deploy', env: 'staging', from: null}), [{type: 'planned', plan: plan({kind: 'deploy'}), target: target()}]);
	assert.deepEqual(deploy.steps.map(step => step.movesBranch), [false, false, false]);
	const promotion = locked();
	const promotionRevert = promotion.recovery?.revert;
	assert.equal(promotionRevert?.kind === 'revert' ? promotionRevert.steps[0]?.recipe?.branchTo : 'none', previous, 'a promotion\'s revert puts the branch back where it was');
});

test('a failed verification recovers: roll back to what ran before, verify that, then record both releases', () => {
	let state = runSteps(locked(), {verify: {ok: false, detail: 'web is unhealthy'}});
	assert.equal(state.phase, 'recovering');
	assert.deepEqual(state.steps.map(step => [step.id, step.part, step.status]), [
		['promote', 'main', 'succeeded'], ['deploy', 'main', 'succeeded'], ['verify', 'main', 'failed'],
		['revert', 'recovery', 'succeeded'], ['verify-revert', 'recovery', 'succeeded'], ['record', 'main', 'pending'],
	]);
	assert.equal(state.steps.find(step => step.id === 'revert')?.commit, previous);
	assert.match(state.recoveryReleaseId ?? '', /^staging-\d{8}-\d{6}-aaaaaaa$/);
	const move = nextMove(state) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.deepEqual(move.verdict, {
		outcome: 'rolled-back',
		error: 'verification failed: web is unhealthy; rolled back to aaaaaaa',
		rolledBackTo: state.recoveryReleaseId,
		recovery: {release: state.recoveryReleaseId, outcome: 'succeeded', error: `automatic, after ${state.releaseId} failed`},
	});
	state = record(state);
	assert.equal(exitCodeForOutcome(state.outcome), 1);
});

test('a recovery that fails too says the environment needs attention', () => {
	const state = runSteps(locked(), {deploy: {ok: false, detail: 'deploy.mjs was killed by SIGKILL'}, revert: {ok: false, detail: 'rollback.mjs exited with code 2'}});
	assert.deepEqual(state.steps.map(step => [step.id, step.status]), [['promote', 'succeeded'], ['deploy', 'failed'], ['verify', 'skipped'], ['revert', 'failed'], ['verify-revert', 'skipped'], ['record', 'pending']]);
	const {verdict} = nextMove(state) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.equal(verdict.outcome, 'failed');
	assert.equal(verdict.error, 'deploy.mjs was killed by SIGKILL; the automatic rollback to aaaaaaa failed too: rollback.mjs exited with code 2 — staging needs attention');
	assert.equal(verdict.recovery?.outcome, 'failed');
});

test('no recovery when there is nothing earlier to return to, or autoRollback is off: the reason says what to run', () => {
	const first = nextMove(runSteps(locked({current: null}), {verify: {ok: false, detail: 'web is unhealthy'}})) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.equal(first.verdict.error, 'verification failed: web is unhealthy; not rolled back: staging ran no earlier release to return to');
	const off = nextMove(runSteps(locked({autoRollback: false}), {verify: {ok: false, detail: 'web is unhealthy'}})) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.equal(off.verdict.error, 'verification failed: web is unhealthy; not rolled back (autoRollback is off): run `opsconsole rollback staging --to aaaaaaa`');
	assert.equal(off.verdict.outcome, 'failed');
});

test('--on-failure overrides autoRollback either way, and says so', () => {
	const failing = {verify: {ok: false, detail: 'web is unhealthy'}};
	const left = nextMove(runSteps(locked({onFailure: 'abort'}), failing)) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.equal(left.verdict.error, 'verification failed: web is unhealthy; not rolled back (--on-failure abort): run `opsconsole rollback staging --to aaaaaaa`');

	const forced = runSteps(locked({autoRollback: false, onFailure: 'rollback'}), failing);
	assert.equal(forced.phase, 'recovering', 'rolls back although autoRollback is off');
});

test('a cancel while the deploy runs aborts it and still rolls back; a cancel before running refuses', () => {
	let state = drive(locked(), [{type: 'step-started', id: 'promote', at: 1}, {type: 'step-finished', id: 'promote', ok: true, at: 2}, {type: 'step-started', id: 'deploy', at: 3}, {type: 'cancel-requested'}]);
	assert.equal(state.cancel, 'requested');
	state = reduceFlow(state, {type: 'step-finished', id: 'deploy', ok: false, detail: 'deploy.mjs was cancelled', at: 4});
	assert.equal(state.phase, 'recovering');
	assert.equal(state.steps.find(step => step.id === 'verify')?.detail, 'skipped: cancelled');
	const {verdict} = nextMove(runSteps(state)) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.deepEqual([verdict.outcome, verdict.error], ['aborted', 'deploy.mjs was cancelled; rolled back to aaaaaaa']);

	const early = reduceFlow(drive(initialFlowState({kind: 'deploy', env: 'staging', from: null, review: true}), [{type: 'planned', plan: plan({kind: 'deploy'}), target: target()}]), {type: 'cancel-requested'});
	assert.deepEqual([early.phase, early.outcome, early.error], ['finished', 'refused', 'cancelled before anything changed']);
});

test('a second cancel stops waiting: no recovery starts, and the record says it needs attention', () => {
	let state = drive(locked({kind: 'deploy'}), [{type: 'step-started', id: 'deploy', at: 1}, {type: 'cancel-requested'}, {type: 'cancel-requested'}]);
	assert.equal(state.cancel, 'forced');
	state = reduceFlow(state, {type: 'step-finished', id: 'deploy', ok: false, detail: 'deploy.mjs was cancelled', at: 2});
	assert.equal(state.phase, 'running');
	const {verdict} = nextMove(state) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>;
	assert.equal(verdict.outcome, 'aborted');
	assert.match(verdict.error ?? '', /cancelled again, so nothing waited for it — staging needs attention/);
});

test('a dry run skips verification and never recovers', () => {
	const state = locked({dryRun: true});
	assert.deepEqual(state.steps.map(step => [step.id, step.status]), [['promote', 'pending'], ['deploy', 'pending'], ['verify', 'skipped'], ['record', 'pending']]);
	const failed = runSteps(state, {deploy: {ok: false, detail: 'deploy.mjs exited with code 1'}});
	assert.equal(failed.phase, 'running');
	assert.equal(failed.recovery?.revert.kind, 'none');
	assert.equal(failed.recovery?.restoreBranch, null);
});

test('events name steps by id: the wrong next step, a finish of a step not running, a record not yet written are refused', () => {
	const state = locked();
	assert.throws(() => reduceFlow(state, {type: 'step-started', id: 'deploy', at: 1}), /deploy is not the next step/);
	assert.throws(() => reduceFlow(state, {type: 'step-finished', id: 'promote', ok: true, at: 1}), /promote is not running/);
	assert.throws(() => reduceFlow(state, {type: 'finished', release: {} as ReleaseRecord}), /record step has not finished/);
	assert.throws(() => reduceFlow(state, {type: 'recipe-step', name: 'x', at: 1}), /no recipe is running/);
});

test('recipe output keeps the last lines only', () => {
	let state = reduceFlow(locked(), {type: 'step-started', id: 'promote', at: 1});
	for (let line = 0; line < 250; line++) state = reduceFlow(state, {type: 'output', line: `line ${line}`});
	assert.equal(state.output.length, 200);
	assert.equal(state.output.at(-1), 'line 249');
});

test('--lock-wait: waiting for a held lock is shown in the state, and taking it ends the wait', () => {
	const {locking} = statesByPhase();
	const waiting = reduceFlow(locking, {type: 'lock-waiting', holder: 'staging is locked by bo', until: 9000});
	assert.equal(waiting.phase, 'locking');
	assert.deepEqual(waiting.lockWait, {holder: 'staging is locked by bo', until: 9000});
	const locked = reduceFlow(waiting, {type: 'locked', at: 1000, logFile: '/x.log'});
	assert.equal(locked.phase, 'running');
	assert.equal(locked.lockWait, undefined);
	assert.equal(reduceFlow(waiting, {type: 'cancel-requested'}).outcome, 'refused', 'a cancel while waiting changes nothing');
});

const decide = (state: FlowState, choice: 'retry' | 'rollback' | 'abort' | 'ignore', by = 'alice') => reduceFlow(state, {type: 'failure-decided', choice, by, at: 5000});
const verdictOf = (state: FlowState) => (nextMove(state) as Extract<ReturnType<typeof nextMove>, {type: 'record'}>).verdict;

test('guided failure: a failed step pauses the flow with what the operator may do and what happens without a choice', () => {
	const paused = runSteps(locked({onFailure: 'pause'}), {verify: {ok: false, detail: 'web is unhealthy'}});
	assert.equal(paused.phase, 'deciding');
	assert.deepEqual(nextMove(paused), {type: 'decide', decision: {step: 'verify', options: ['retry', 'rollback', 'abort'], fallback: 'rollback', rollbackTo: 'aaaaaaa', until: 1300 + 120_000}});
	assert.deepEqual(paused.steps.map(step => step.status), ['succeeded', 'succeeded', 'failed', 'pending'], 'nothing is skipped before the choice');
	const ignorable = runSteps(locked({onFailure: 'pause', allowIgnore: true}), {verify: {ok: false, detail: 'web is unhealthy'}});
	assert.deepEqual(ignorable.decision?.options, ['retry', 'rollback', 'abort', 'ignore']);
	const deployFailed = runSteps(locked({onFailure: 'pause', allowIgnore: true}), {deploy: {ok: false, detail: 'deploy.mjs exited with code 1'}});
	assert.deepEqual(deployFailed.decision?.options, ['retry', 'rollback', 'abort'], 'only a verification may be ignored');
	const off = runSteps(locked({onFailure: 'pause', autoRollback: false}), {verify: {ok: false}});
	assert.equal(off.decision?.fallback, 'abort', 'autoRollback off: nobody choosing leaves it as it is');
	const first = runSteps(locked({onFailure: 'pause', current: null}), {verify: {ok: false}});
	assert.deepEqual([first.decision?.options, first.decision?.fallback], [['retry', 'abort'], 'abort'], 'nothing earlier: no rollback offered');
	const promoteFailed = runSteps(locked({onFailure: 'pause', autoRollback: false}), {promote: {ok: false, detail: 'promote.mjs exited with code 1'}});
	assert.deepEqual([promoteFailed.decision?.rollbackTo, promoteFailed.decision?.fallback], ['staging back at aaaaaaa', 'rollback'], 'a moved branch goes back whatever autoRollback says');
	assert.deepEqual(promoteFailed.decision?.options, ['rollback', 'abort'], 'a step that moved the branch left its tag: it cannot run again under the same release');
	assert.equal(runSteps(locked({onFailure: 'pause', dryRun: true}), {deploy: {ok: false}}).phase, 'running', 'a dry run changed nothing: nothing to decide');
	assert.throws(() => decide(paused, 'ignore'), FlowTransitionError, 'ignore is not offered without allowIgnore');
});

test('guided failure: retry runs the step again and the release can still succeed', () => {
	const paused = runSteps(locked({onFailure: 'pause'}), {deploy: {ok: false, detail: 'deploy.mjs exited with code 1'}});
	const retried = decide(paused, 'retry');
	assert.equal(retried.phase, 'running');
	assert.deepEqual(retried.steps.map(step => [step.id, step.status, step.retries, step.detail]), [['promote', 'succeeded', undefined, undefined], ['deploy', 'pending', 1, undefined], ['verify', 'pending', undefined, undefined], ['record', 'pending', undefined, undefined]]);
	const finished = record(runSteps(retried));
	assert.equal(finished.outcome, 'succeeded');
});

test('guided failure: roll back runs the recovery; abort leaves it as it is and says how to go back', () => {
	const paused = runSteps(locked({onFailure: 'pause'}), {verify: {ok: false, detail: 'web is unhealthy'}});
	const rolling = decide(paused, 'rollback');
	assert.deepEqual([rolling.phase, rolling.recovering], ['recovering', 'revert']);
	assert.equal(verdictOf(runSteps(rolling)).outcome, 'rolled-back');
	const left = decide(paused, 'abort', 'bo');
	assert.deepEqual(left.steps.map(step => step.status), ['succeeded', 'succeeded', 'failed', 'pending']);
	assert.deepEqual(verdictOf(left), {outcome: 'failed', error: 'verification failed: web is unhealthy; left as it is by bo; `opsconsole rollback staging --to aaaaaaa` goes back', rolledBackTo: null, recovery: null});
	const branchLeft = decide(runSteps(locked({onFailure: 'pause'}), {promote: {ok: false, detail: 'promote.mjs exited with code 1'}}), 'abort', 'bo');
	assert.equal(verdictOf(branchLeft).error, 'promote.mjs exited with code 1; nothing was deployed; staging left as it is by bo, where the recipe put it (`opsconsole deploy staging` deploys it)');
});

test('guided failure: an ignored verification succeeds and the record says what was ignored', () => {
	const paused = runSteps(locked({onFailure: 'pause', allowIgnore: true}), {verify: {ok: false, detail: 'web is unhealthy'}});
	const ignored = decide(paused, 'ignore', 'alice');
	const step = ignored.steps.find(candidate => candidate.id === 'verify')!;
	assert.deepEqual([step.status, step.ignored], ['succeeded', 'web is unhealthy (ignored by alice)']);
	assert.deepEqual(verdictOf(ignored), {outcome: 'succeeded', error: 'verification failed: web is unhealthy (ignored by alice)', rolledBackTo: null, recovery: null});
});

test('guided failure: a cancel while paused is remembered; the fallback then recovers as a cancelled release', () => {
	const paused = runSteps(locked({onFailure: 'pause'}), {verify: {ok: false, detail: 'web is unhealthy'}});
	const cancelled = reduceFlow(paused, {type: 'cancel-requested'});
	assert.deepEqual([cancelled.phase, cancelled.cancel], ['deciding', 'requested']);
	const recovered = runSteps(decide(cancelled, 'rollback', 'nobody (cancelled)'));
	assert.equal(verdictOf(recovered).outcome, 'aborted');
	assert.notEqual(verdictOf(recovered).rolledBackTo, null);
	const failedRecipe = runSteps(locked({onFailure: 'pause'}), {deploy: {ok: false}});
	assert.equal(runSteps(failedRecipe).phase, 'deciding', 'no step runs while paused');
});
