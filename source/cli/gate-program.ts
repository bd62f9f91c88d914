import type {Command} from 'commander';
import type {GlobalOptions, Services} from '../app/services.js';
import type {Output} from './output.js';

type ServiceHandler = (services: Services, globals: GlobalOptions, output: Output) => Promise<number> | number;

/** The release gates' commands (DESIGN.md §5): hold release, holds, approve, approvals. */
export function addGateCommands(program: Command, withServices: (handler: ServiceHandler) => Promise<void>): void {
	const hold = program.command('hold')
		.description('holds: a commit that failed verification or was rolled back in an environment is not promoted or deployed there again until released');
	hold.command('release <env> <commit>')
		.description('lift the hold on COMMIT in ENV (audited, with the reason)')
		.option('--reason <text>', 'why it may go there again (required)')
		.option('--json', 'machine-readable output')
		.action(async (env: string, commit: string, options: {reason?: string; json?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {holdReleaseCommand} = await import('./gate-commands.js');
				return holdReleaseCommand(services, output, env, commit, options);
			});
		});

	program.command('holds <env>')
		.description('the commits held in ENV, and why')
		.option('--json', 'machine-readable output')
		.action(async (env: string, options: {json?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {holdsCommand} = await import('./gate-commands.js');
				return holdsCommand(services, output, env, options);
			});
		});

	program.command('approve <env> <commit>')
		.description('approve promoting COMMIT into ENV (protection.approvals); never counts for your own promotion')
		.option('--note <text>', 'what you checked, for the record')
		.option('--json', 'machine-readable output')
		.action(async (env: string, commit: string, options: {note?: string; json?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {approveCommand} = await import('./gate-commands.js');
				return approveCommand(services, output, env, commit, options);
			});
		});

	program.command('approvals <env>')
		.description('approvals recorded for ENV: who, when, which commit, whether they still count')
		.option('--json', 'machine-readable output')
		.action(async (env: string, options: {json?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {approvalsCommand} = await import('./gate-commands.js');
				return approvalsCommand(services, output, env, options);
			});
		});
}
