import {readFileSync, writeFileSync} from 'node:fs';
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
	/** A new commit on dev (a new homepage), not deployed. */
	newDevCommit(label: string): string;
	/** A new commit on dev (a new homepage), deployed to dev and verified there. */
	newDevRelease(label: string): Promise<string>;
	/**
	 * Runs `body` with recipes/NAME replaced by `text` (committed, so protected environments keep a
	 * clean tree), and puts the original back (committed) afterwards.
	 */
	withRecipe<T>(name: string, text: string, body: () => Promise<T>): Promise<T>;
	/** The same for an environment file. */
	withEnvironmentFile<T>(env: string, edit: (text: string) => string, body: () => Promise<T>): Promise<T>;
};

export async function createDemo(resources: Resources, docker: Docker): Promise<Demo> {
	const slug = `octest-${newRunId()}`;
	const root = path.join(temporaryFolder(resources, 'opsconsole-demo-'), slug);
	resources.defer(async () => {
		await runCli(['demo', 'down', '--dir', root]);
		const leftovers = await docker.listContainers({all: true, filters: {label: [`opsconsole.project=${slug}`]}});
		await Promise.all(leftovers.map(async container => docker.getContainer(container.Id).remove({force: true})));
		// `demo down` reads the environment files, which a test may have left pointing at an engine it has stopped.
		const images = await docker.listImages({filters: {label: [`opsconsole.project=${slug}`]}});
		for (const image of images) await docker.getImage(image.Id).remove({force: true}).catch(() => undefined);
		const networks = await docker.listNetworks({filters: {label: [`opsconsole.project=${slug}`]}});
		for (const network of networks) await docker.getNetwork(network.Id).remove().catch(() => undefined);
	});
	const up = await runCli(['demo', 'up', '--dir', root, '--free-ports'], {timeoutMs: 180_000});
	if (up.code !== 0) throw new Error(`demo up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
	let version = 0;
	const commit = (message: string) => {
		git(root, 'add', '--all');
		git(root, 'commit', '--quiet', '--allow-empty', '--message', message);
		return git(root, 'rev-parse', 'HEAD');
	};

	const newDevCommit = (label: string) => {
		writeFileSync(path.join(root, 'app', 'index.html'), `<h1>${label} ${++version} @ENV@</h1>\n`);
		return commit(`${label} ${version}`);
	};

	const ops = async (args: readonly string[], env?: NodeJS.ProcessEnv) => runCli(['--operator', demoOperator, ...args], {cwd: root, env, timeoutMs: 180_000});
	const withFile = async <T>(file: string, edit: (text: string) => string, body: () => Promise<T>): Promise<T> => {
		const original = readFileSync(file, 'utf8');
		writeFileSync(file, edit(original));
		commit(`test: change ${path.basename(file)}`);
		try {
			return await body();
		} finally {
			writeFileSync(file, original);
			commit(`test: restore ${path.basename(file)}`);
		}
	};

	return {
		root,
		slug,
		ops,
		commit,
		branchHead: branch => git(root, 'rev-parse', `refs/heads/${branch}`),
		newDevCommit,
		async newDevRelease(label) {
			const sha = newDevCommit(label);
			const deployed = await ops(['deploy', 'dev']);
			if (deployed.code !== 0) throw new Error(`deploy dev failed (${deployed.code}):\n${deployed.stdout}\n${deployed.stderr}`);
			return sha;
		},
		withRecipe: async (name, text, body) => withFile(path.join(root, 'recipes', name), () => text, body),
		withEnvironmentFile: async (env, edit, body) => withFile(path.join(root, 'environments', `${env}.yaml`), edit, body),
	};
}
