import {createPromotionSource} from '../app/promotion-source.js';
import {refuseIfReadOnly} from '../app/read-only-guard.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {lockWaitOf} from '../core/duration.js';
import {environmentNamed} from '../core/pipeline.js';
import {exitCodeForOutcome} from '../core/operation-flow.js';
import {exitCodes} from '../core/exit-codes.js';
import {styleFor} from '../presentation/style.js';
import PromotionWizard from './promotion/PromotionWizard.js';
import {runInk} from './run-ink.js';

/** `opsconsole promote [FROM] [TO]` in a terminal: the wizard, asking for what is missing; exits with the scriptable codes. */
export async function runPromotionWizard(services: Services, globals: GlobalOptions, from: string | undefined, to: string | undefined): Promise<number> {
	const {environments} = services.project;
	for (const name of [from, to]) if (name) environmentNamed(environments, name);
	const target = to ?? (from ? environmentNamed(environments, from).promotesTo : undefined) ?? null;
	refuseIfReadOnly(services, target, target ? `promote ${from ?? ''}→${target}` : 'promote');
	const lockWaitMs = lockWaitOf(globals.lockWait);
	const style = styleFor(process.stdout, globals, services.preferences.read());
	const size = {width: process.stdout.columns || 80, height: (process.stdout.rows || 24) - 1};
	return runInk(style, end => (
		<PromotionWizard source={createPromotionSource(services, {lockWaitMs})} initialFrom={from} initialTo={to} width={size.width} height={size.height} onDone={state => end(state ? exitCodeForOutcome(state.outcome) : exitCodes.interrupted)}/>
	));
}
