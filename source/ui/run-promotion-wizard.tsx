import type {AppContext, GlobalOptions} from '../app/context.js';
import {createOperationServices} from '../app/operation-services.js';
import {environmentNamed} from '../app/plan-operation.js';
import {createPromotionSource} from '../app/promotion-source.js';
import PromotionWizard from './promotion/PromotionWizard.js';
import {runOperationScreen} from './run-operation-screen.js';

/** `opsconsole promote [FROM] [TO]` in a terminal: the wizard, asking for what is missing. */
export async function runPromotionWizard(context: AppContext, globals: GlobalOptions, from: string | undefined, to: string | undefined): Promise<number> {
	for (const name of [from, to]) if (name) environmentNamed(context.project.environments, name);
	const services = await createOperationServices(context, {operator: globals.operator, readOnly: globals.readOnly});
	const source = createPromotionSource(services, () => (services.readOnly ? 'opsconsole runs read-only' : undefined));
	return runOperationScreen(globals, (size, onDone) => <PromotionWizard source={source} initialFrom={from} initialTo={to} width={size.width} height={size.height} onDone={onDone}/>);
}
