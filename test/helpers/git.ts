import {execFileSync} from 'node:child_process';

const identity = ['-c', 'user.name=Test Operator', '-c', 'user.email=operator@example.test', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'];

/** Runs git in `cwd` with a fixed identity, returning trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', [...identity, ...args], {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
}

/** A real repository with an initial commit on main and the given branches pointing at it. */
export function initRepository(cwd: string, branches: readonly string[] = []): string {
	git(cwd, 'init', '-q');
	git(cwd, 'add', '-A');
	git(cwd, 'commit', '-q', '--allow-empty', '-m', 'initial');
	for (const branch of branches) git(cwd, 'branch', branch);
	return git(cwd, 'rev-parse', 'HEAD');
}

/** Commits an empty change on `branch` and returns to where HEAD was. */
export function commitOn(cwd: string, branch: string, message: string): string {
	const previous = git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD');
	git(cwd, 'checkout', '-q', branch);
	git(cwd, 'commit', '-q', '--allow-empty', '-m', message);
	const sha = git(cwd, 'rev-parse', 'HEAD');
	git(cwd, 'checkout', '-q', previous);
	return sha;
}
