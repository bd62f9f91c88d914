import {readFileSync} from 'node:fs';
import path from 'node:path';
import {Command, CommanderError} from 'commander';
import type {InteractiveFaces} from '../app/faces.js';
import type {GlobalOptions, Services} from '../app/services.js';
import {ConfigError, formatProblem} from '../config/project-problems.js';
import {closestWord} from '../core/closest-word.js';
import {UsageError} from '../core/errors.js';
import {packageRoot} from '../package-root.js';
import {styleFor} from '../presentation/style.js';
import {exitCodeFor, exitCodes} from './exit-codes.js';
import type {CheckFlags} from './check-command.js';
import {addGateCommands} from './gate-program.js';
import type {OperationFlags} from './operation-command.js';
import {Output} from './output.js';

const packageJson = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {version: string};

type Handler = (globals: GlobalOptions, output: Output) => Promise<number> | number;
type ServiceHandler = (services: Services, globals: GlobalOptions, output: Output) => Promise<number> | number;

const inTerminal = () => process.stdin.isTTY === true && process.stdout.isTTY === true;

function buildProgram(run: (handler: Handler) => Promise<void>, faces: InteractiveFaces): Command {
	/** Runs a handler with the services the composition root builds once for this process, then ends their engine connections. */
	const withServices = async (handler: ServiceHandler, needs: {readsEngines?: boolean} = {}) => run(async (globals, output) => {
		const {composeServices} = await import('../app/compose.js');
		const services = await composeServices(globals, needs);
		try {
			return await handler(services, globals, output);
		} finally {
			services.engines.close();
		}
	});

	const program = new Command('opsconsole')
		.description('A terminal console for a deployment pipeline: live environment health, guarded promotions and rollbacks.')
		.version(packageJson.version, '--version', 'print the version')
		.helpOption('-h, --help', 'show help')
		.option('--project <dir>', 'the deployment project (default: nearest folder holding environments/)')
		.option('--read-only', 'refuse every mutating command')
		.option('--operator <name>', 'who is acting, for locks and the audit log (default: git user.email, else OS user)')
		.option('--no-color', 'no colours (NO_COLOR is honoured too)')
		.option('--ascii', 'ASCII symbols only (the default where the terminal or locale draws no Unicode)')
		.option('--no-ascii', 'Unicode symbols')
		.option('--remember', 'keep --ascii or --no-ascii for later runs')
		.option('--once', 'print the dashboard once, as plain text, and exit (for an incident channel)')
		.option('--width <columns>', 'columns for --once (default: the terminal\'s, else 80)')
		.option('--lock-wait <duration>', 'mutating commands wait this long (30s, 5m) for a held lock, with a countdown, before refusing')
		.usage('[options] [command]')
		.showSuggestionAfterError()
		.exitOverride();

	program.command('status [env]')
		.description('health, branch, pending commits and containers of every environment (or one)')
		.option('--json', 'machine-readable output')
		.action(async (name: string | undefined, options: {json?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {statusCommand} = await import('./status-command.js');
				return statusCommand(services, output, name, options);
			}, {readsEngines: true});
		});

	program.command('validate')
		.description('check every environment file and report all problems at once')
		.action(async () => {
			await run(async (globals, output) => {
				const {validateCommand} = await import('./validate-command.js');
				return validateCommand(globals.project, output);
			});
		});

	const confirmOptions = (command: Command) => command
		.option('--yes', 'confirm where the protection asks for y/N')
		.option('--confirm <env>', 'confirm by naming the target environment (required where protection is "typed")')
		.option('--json', 'print the release record as JSON at the end (progress goes to stderr)')
		.option('--dry-run', 'run the recipes in dry-run mode: they say what they would do and change nothing')
		.option('--override-freeze <reason>', 'go ahead during a freeze window (approvers only; audited)')
		.option('--wait', 'when only the soak time refuses, wait for it with a countdown, then go ahead')
		.option('--on-failure <what>', 'rollback | abort | pause: what a failed deploy or verification does (default: the environment\'s autoRollback)');
	const scripted = (flags: OperationFlags) => flags.yes === true || flags.confirm !== undefined || flags.json === true || flags.dryRun === true || !inTerminal();

	confirmOptions(program.command('promote [from] [to]')
		.description('promote what runs (verified) in FROM to TO: preflight, confirm, lock, recipes, verify, automatic rollback; in a terminal without flags, the wizard (asks for what is missing)'))
		.action(async (from: string | undefined, to: string | undefined, flags: OperationFlags) => {
			await withServices(async (services, globals, output) => {
				if (!scripted(flags)) return faces.promotionWizard(services, globals, from, to);
				if (!from || !to) {
					const why = inTerminal() ? 'with --yes, --confirm, --json or --dry-run, which skip the wizard that asks' : 'without a terminal for the wizard to ask in';
					throw new UsageError(`promote needs FROM and TO ${why}: opsconsole promote FROM TO [--yes] [--confirm TO]`);
				}
				const {operationCommand} = await import('./operation-command.js');
				return operationCommand(services, output, {kind: 'promotion', from, to}, {...flags, lockWait: globals.lockWait});
			}, {readsEngines: true});
		});

	confirmOptions(program.command('deploy <env>')
		.description('deploy ENV\'s branch head to ENV, with the same preflight, lock, verification and rollback'))
		.action(async (env: string, flags: OperationFlags) => {
			await withServices(async (services, globals, output) => {
				const {operationCommand} = await import('./operation-command.js');
				return operationCommand(services, output, {kind: 'deploy', env}, {...flags, lockWait: globals.lockWait});
			}, {readsEngines: true});
		});

	confirmOptions(program.command('rollback <env>')
		.description('put ENV back on an earlier release (branch and containers), verified; without --to: the newest earlier succeeded release, or a picker in a terminal')
		.option('--to <release|commit>', 'the release id or commit to return to'))
		.action(async (env: string, flags: OperationFlags & {to?: string}) => {
			await withServices(async (services, globals, output) => {
				if (flags.to === undefined && !scripted(flags)) return faces.rollbackPicker(services, globals, env);
				const [{operationCommand}, {chooseRollbackTarget}] = await Promise.all([import('./operation-command.js'), import('../app/rollback-targets.js')]);
				return operationCommand(services, output, {kind: 'rollback', env, async choose() {
					const target = await chooseRollbackTarget(services, env, flags.to);
					return {kind: 'rollback', env, commit: target.commit, targetRelease: target.release};
				}}, {...flags, lockWait: globals.lockWait});
			}, {readsEngines: true});
		});

	program.command('check <env>')
		.description('run ENV\'s checklist (health, http, latency, tcp, tls, headers, logs, recipes); exit 0 when all pass, 1 when any fails; in a terminal, the checklist screen')
		.option('--report <file>', 'also write a report: .md (Markdown), .json or .xml (JUnit)')
		.option('--json', 'print the run as JSON at the end (progress goes to stderr)')
		.option('--present', 'present mode: a banner, one check revealed per key press, a summary slide')
		.action(async (env: string, flags: CheckFlags) => {
			await withServices(async (services, globals, output) => {
				if (flags.present || (inTerminal() && !flags.json && flags.report === undefined)) return faces.checklist(services, globals, env, {present: flags.present === true});
				const {checkCommand} = await import('./check-command.js');
				return checkCommand(services, output, env, flags);
			}, {readsEngines: true});
		});

	program.command('history [env]')
		.description('releases, newest first')
		.option('--json', 'machine-readable output')
		.option('--limit <n>', 'at most N releases')
		.action(async (env: string | undefined, options: {json?: boolean; limit?: string}) => {
			await withServices(async (services, _globals, output) => {
				const {historyCommand} = await import('./history-command.js');
				return historyCommand(services, output, env, options);
			});
		});

	program.command('lock <env>')
		.description('hold ENV\'s lock so nothing else changes it, until unlock')
		.option('--message <text>', 'why, for whoever finds it locked')
		.action(async (env: string, options: {message?: string}) => {
			await withServices(async (services, globals, output) => {
				const {lockCommand} = await import('./lock-commands.js');
				return lockCommand(services, output, env, {...options, lockWait: globals.lockWait});
			});
		});

	program.command('unlock <env>')
		.description('release ENV\'s lock; --force breaks another operator\'s or a stale one (audited)')
		.option('--force', 'break a lock held by someone else or by a process that is gone')
		.action(async (env: string, options: {force?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {unlockCommand} = await import('./lock-commands.js');
				return unlockCommand(services, output, env, options);
			});
		});

	program.command('locks')
		.description('held locks: who, since when, doing what')
		.option('--json', 'machine-readable output')
		.action(async (options: {json?: boolean}) => {
			await withServices(async (services, _globals, output) => {
				const {locksCommand} = await import('./lock-commands.js');
				return locksCommand(services, output, options);
			});
		});

	addGateCommands(program, withServices);

	program.command('demo <action>')
		.description('demo up|down: a throw-away deployment project with a local sample stack')
		.option('--dir <dir>', 'where the demo project lives', 'opsconsole-demo')
		.option('--free-ports', 'any free loopback ports instead of 18080-18082 (when creating the demo)')
		.option('--swarm', 'run the environments as stacks on a Docker Swarm (initialises a single-node swarm when the engine is in none)')
		.action(async (action: string, options: {dir?: string; freePorts?: boolean; swarm?: boolean}) => {
			await run(async (globals, output) => {
				const {demoCommand} = await import('./demo-command.js');
				return demoCommand(action, options, globals, output);
			});
		});

	program.argument('[command...]').action(async (words: string[]) => {
		if (words.length > 0) {
			await run(() => {
				const known = program.commands.map(command => command.name());
				const suggestion = closestWord(words[0]!, known);
				throw new UsageError(`unknown command "${words[0]}"${suggestion ? ` — did you mean ${suggestion}?` : ''} (commands: ${known.join(', ')}; \`opsconsole --help\` explains them)`);
			});
			return;
		}

		if (program.opts<GlobalOptions>().once) {
			await withServices(async (services, globals, output) => {
				const {onceCommand} = await import('./once-command.js');
				return onceCommand(services, globals, output, faces);
			}, {readsEngines: true});
			return;
		}

		if (!inTerminal()) {
			await run(() => {
				throw new UsageError('the dashboard needs an interactive terminal; `opsconsole status` prints the same state');
			});
			return;
		}

		await withServices(async (services, globals) => faces.dashboard(services, globals), {readsEngines: true});
	});
	return program;
}

/** Runs the CLI and resolves to the process exit code; never throws, never prints a stack trace for bad input. */
export async function main(argv: readonly string[], faces: InteractiveFaces): Promise<number> {
	let exitCode: number = exitCodes.done;
	let output: Output | undefined;
	const program = buildProgram(async handler => {
		const globals = program.opts<GlobalOptions>();
		output = new Output(styleFor(process.stdout, globals));
		exitCode = await handler(globals, output);
	}, faces);

	try {
		await program.parseAsync([...argv], {from: 'user'});
		return exitCode;
	} catch (error) {
		const errorOutput = output ?? new Output({color: false, ascii: false});
		if (error instanceof CommanderError) {
			return error.exitCode === 0 ? exitCodes.done : exitCodes.usage;
		}

		if (error instanceof ConfigError) {
			for (const problem of error.problems) errorOutput.error(formatProblem(problem));
		} else if (error instanceof Error && error.name !== 'Error') {
			errorOutput.error(`opsconsole: ${error.message}`);
		} else {
			errorOutput.error(`opsconsole: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}

		return exitCodeFor(error);
	}
}
