import {readFileSync} from 'node:fs';
import {Command, CommanderError} from 'commander';
import type {GlobalOptions} from '../app/context.js';
import {ConfigError, formatProblem} from '../config/project-problems.js';
import {UsageError} from '../core/errors.js';
import {colorWanted} from '../presentation/style.js';
import {exitCodeFor, exitCodes} from './exit-codes.js';
import {Output} from './output.js';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {version: string};

type Handler = (globals: GlobalOptions, output: Output) => Promise<number> | number;

/** Commands of DESIGN.md §5 that later issues build; until then they say so and exit 2. */
const plannedCommands: ReadonlyArray<{usage: string; summary: string}> = [
	{usage: 'promote <from> <to>', summary: 'promote what runs in FROM to TO, verified, with automatic rollback'},
	{usage: 'rollback <env>', summary: 'put ENV back on an earlier release'},
	{usage: 'check <env>', summary: 'run the environment\'s checklist, optionally writing a report'},
	{usage: 'history [env]', summary: 'releases, newest first'},
	{usage: 'lock <env>', summary: 'hold ENV\'s lock so nothing else changes it'},
	{usage: 'unlock <env>', summary: 'release ENV\'s lock (--force breaks another\'s stale lock)'},
	{usage: 'locks', summary: 'list held locks: who, since when, doing what'},
	{usage: 'demo <action>', summary: 'demo up|down: a throw-away project with a local sample stack'},
];

function notBuiltYet(command: string): never {
	throw new UsageError(`\`opsconsole ${command}\` is not available yet in this version; \`opsconsole status\` shows the live state`);
}

function buildProgram(run: (handler: Handler) => Promise<void>): Command {
	const program = new Command('opsconsole')
		.description('A terminal console for a deployment pipeline: live environment health, guarded promotions and rollbacks.')
		.version(packageJson.version, '--version', 'print the version')
		.helpOption('-h, --help', 'show help')
		.option('--project <dir>', 'the deployment project (default: nearest folder holding environments/)')
		.option('--read-only', 'refuse every mutating command')
		.option('--operator <name>', 'who is acting, for locks and the audit log (default: git user.email, else OS user)')
		.option('--no-color', 'no colours (NO_COLOR is honoured too)')
		.option('--ascii', 'ASCII symbols only')
		.showSuggestionAfterError()
		.exitOverride();

	program.command('status [env]')
		.description('health, branch, pending commits and containers of every environment (or one)')
		.option('--json', 'machine-readable output')
		.action(async (name: string | undefined, options: {json?: boolean}) => {
			await run(async (globals, output) => {
				const [{createContext}, {statusCommand}] = await Promise.all([import('../app/context.js'), import('./status-command.js')]);
				return statusCommand(createContext(globals), output, name, options);
			});
		});

	program.command('validate')
		.description('check every environment file and report all problems at once')
		.action(async () => {
			await run(async (globals, output) => {
				const {validateCommand} = await import('./validate-command.js');
				return validateCommand(globals.project, output);
			});
		});

	for (const planned of plannedCommands) {
		const name = planned.usage.split(' ')[0]!;
		program.command(planned.usage)
			.description(`${planned.summary} (not available yet)`)
			.allowUnknownOption()
			.action(async () => run(() => notBuiltYet(name)));
	}

	program.action(async () => run(() => notBuiltYet('(dashboard)')));
	return program;
}

/** Runs the CLI and resolves to the process exit code; never throws, never prints a stack trace for bad input. */
export async function main(argv: readonly string[]): Promise<number> {
	let exitCode: number = exitCodes.done;
	let output: Output | undefined;
	const program = buildProgram(async handler => {
		const globals = program.opts<GlobalOptions>();
		output = new Output({color: colorWanted(process.stdout, globals.color), ascii: globals.ascii === true});
		exitCode = await handler(globals, output);
	});

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
