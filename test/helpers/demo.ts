import path from 'node:path';
import type Docker from 'dockerode';
import {runCli, type CliResult} from './cli.js';
import {newRunId} from './docker.js';
import {git} from './git.js';
import {temporaryFolder, type Resources} from './temp.js';

/** Who the tests act as: the demo stores no git identity, so without it the operator is the machine's. */
export const demoOperator = 'ops@example.test';

/** A demo project made by the real `opsconsole demo up` on free ports, torn down by `demo down`. */
export type Demo = {
	readonly root: string;
	/** The `opsconsole.project` label of everything the demo starts (the folder's name). */
	readonly slug: string;
	ops(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
	/** Commits every change in the work tree on the checked-out branch (dev). */
	commit(message: string): string;
	branchHead(branch: string): string;
};

export async function createDemo(resources: Resources, docker: Docker): Promise<Demo> {
	const slug = `octest-${newRunId()}`;
	const root = path.join(temporaryFolder(resources, 'opsconsole-demo-'), slug);
	resources.defer(async () => {
		await runCli(['demo', 'down', '--dir', root]);
		const leftovers = await docker.listContainers({all: true, filters: {label: [`opsconsole.project=${slug}`]}});
		await Promise.all(leftovers.map(async container => docker.getContainer(container.Id).remove({force: true})));
	});
	const up = await runCli(['demo', 'up', '--dir', root, '--free-ports'], {timeoutMs: 180_000});
	if (up.code !== 0) throw new Error(`demo up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
	return {
		root,
		slug,
		ops: async (args, env) => runCli(['--operator', demoOperator, ...args], {cwd: root, env, timeoutMs: 180_000}),
		commit(message) {
			git(root, 'add', '--all');
			git(root, 'commit', '--quiet', '--message', message);
			return git(root, 'rev-parse', 'HEAD');
		},
		branchHead: branch => git(root, 'rev-parse', `refs/heads/${branch}`),
	};
}
