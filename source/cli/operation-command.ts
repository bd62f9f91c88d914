import {onEndingSignals, OperationControl} from '../app/operation-control.js';
import type {OperationRequest} from '../app/plan-operation.js';
import {refuseIfReadOnly} from '../app/read-only-guard.js';
import {operationAction, runOperation} from '../app/run-operation.js';
import type {Services} from '../app/services.js';
import {signalExitCodes, type EndingSignal} from '../core/exit-codes.js';
import {UsageError} from '../core/errors.js';
import {exitCodeForOutcome, type FlowState, type OnFailure} from '../core/operation-flow.js';
import {formatDuration, lockWaitOf} from '../core/duration.js';
import {shortSha} from '../core/words.js';
import {chooseAtTerminal, confirmFromFlagsOrTerminal} from './confirm-prompt.js';
import {progressLines} from './operation-progress.js';
import type {Output} from './output.js';

export type OperationFlags = {
	readonly yes?: boolean;
	readonly confirm?: string;
	readonly json?: boolean;
	readonly dryRun?: boolean;
	readonly overrideFreeze?: string;
	/** `--lock-wait`, as typed. */
	readonly lockWait?: string;
	/** `--wait`: when only a gate that opens by itself (soak) refuses, wait for it with a countdown and try again. */
	readonly wait?: boolean;
	readonly onFailure?: string;
};

function describeRequest(request: OperationRequest): string {
	if (request.kind === 'promotion') return `promote ${request.from} to ${request.to}`;
	if (request.kind === 'deploy') return `deploy ${request.env}`;
	return `roll ${request.env} back to ${shortSha(request.commit)}`;
}

/** `--on-failure` checked: `pause` asks at a terminal; without one it leaves things as they are, like `abort`, and says how to roll back. */
function onFailureOf(text: string | undefined): OnFailure | undefined {
	if (text === undefined) return undefined;
	if (text === 'rollback' || text === 'abort' || text === 'pause') return text;
	throw new UsageError(`--on-failure "${text}": say rollback, abort or pause`);
}

/** How long `--wait` waits before trying again: when every failed check opens by itself, the longest of them; else 0. */
function gateWait(state: FlowState, flags: OperationFlags): number {
	if (!flags.wait || state.outcome !== 'refused') return 0;
	const failed = state.preflight.filter(check => !check.ok);
	if (failed.length === 0 || failed.some(check => check.retryInMs === undefined)) return 0;
	return Math.max(...failed.map(check => check.retryInMs!)) + 1000;
}

/** Waits `milliseconds`, saying what is left every 10 s (and at the start), until done or `stopped`. */
async function countDown(milliseconds: number, say: (line: string) => void, stopped: () => boolean): Promise<void> {
	const until = Date.now() + milliseconds;
	let said = 0;
	while (Date.now() < until && !stopped()) {
		if (Date.now() - said >= 10_000) {
			said = Date.now();
			say(`--wait: trying again in ${formatDuration(until - Date.now())}`);
		}

		await new Promise(resolve => setTimeout(resolve, Math.min(500, until - Date.now())));
	}
}

/**
 * The scriptable face of a promotion, deploy or rollback: plain progress lines (to stderr with
 * --json, whose stdout is the release record alone). The first Ctrl-C cancels cleanly; a second
 * stops waiting, even for the automatic rollback.
 */
export async function operationCommand(
	services: Services,
	output: Output,
	requested: OperationRequest | {readonly kind: 'rollback'; readonly env: string; readonly choose: () => Promise<OperationRequest>},
	flags: OperationFlags,
): Promise<number> {
	refuseIfReadOnly(services, requested.kind === 'promotion' ? requested.to : requested.env, operationAction(requested));
	const lockWaitMs = lockWaitOf(flags.lockWait);
	const onFailure = onFailureOf(flags.onFailure);
	const request = 'choose' in requested ? await requested.choose() : requested;
	const control = new OperationControl();
	// `--on-failure pause` asks at a terminal; without one there is nobody to ask, and it is `abort`.
	const canAsk = process.stdin.isTTY && process.stdout.isTTY;
	let previous: FlowState | undefined;
	let endedBy: EndingSignal | undefined;
	const say = (line: string) => (flags.json ? output.error(line) : output.line(line));
	const stopListening = onEndingSignals(signal => {
		endedBy ??= signal;
		const what = control.cancel();
		if (what === 'cancelling') say(`cancelling (${signal}): stopping the recipe (SIGTERM, then SIGKILL); Ctrl-C again stops waiting`);
		else say('cancelled again: no longer waiting, not even for a rollback; recording the state…');
	});
	try {
		const run = async () => runOperation(services, request, {
			confirm: confirmFromFlagsOrTerminal({yes: flags.yes, confirm: flags.confirm}, describeRequest(request)),
			onState: (current, event) => {
				for (const line of progressLines(previous ?? current, current, event, output.style)) say(line);
				previous = current;
			},
			control,
			dryRun: flags.dryRun,
			...(onFailure ? {onFailure: onFailure === 'pause' && !canAsk ? 'abort' as const : onFailure} : {}),
			...(onFailure === 'pause' && canAsk ? {decideFailure: chooseAtTerminal(request.kind === 'promotion' ? request.to : request.env)} : {}),
		}, {...(flags.overrideFreeze ? {overrideFreeze: flags.overrideFreeze} : {}), lockWaitMs});
		let state = await run();
		for (let waitMs = gateWait(state, flags); waitMs > 0 && endedBy === undefined; waitMs = gateWait(state, flags)) {
			await countDown(waitMs, say, () => endedBy !== undefined);
			previous = undefined;
			if (endedBy === undefined) state = await run();
		}

		if (flags.json) output.json(state.release ?? {outcome: state.outcome, error: state.error ?? null});
		const interrupted = endedBy !== undefined && state.outcome !== 'succeeded';
		return interrupted ? signalExitCodes[endedBy!] : exitCodeForOutcome(state.outcome);
	} finally {
		stopListening();
	}
}
