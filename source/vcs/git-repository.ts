import type {SimpleGit} from 'simple-git';

import type {Git} from '../core/adapters.js';
import type {ChangedFile, CommitSummary} from '../core/commit.js';
import {printableLine} from '../core/terminal-text.js';

export type {ChangedFile, CommitSummary} from '../core/commit.js';

/** The repository is missing, or git refused a request; the message names the remedy. */
export class VcsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'VcsError';
	}
}

const fieldSeparator = '\u001F';
const recordSeparator = '\u001E';
const logFormat = ['%H', '%s', '%an', '%ae', '%aI'].join('%x1f') + '%x1e';

function parseLog(output: string): CommitSummary[] {
	return output
		.split(recordSeparator)
		.map(record => record.trim())
		.filter(record => record.length > 0)
		.map(record => {
			const [sha = '', subject = '', author = '', email = '', date = ''] = record.split(fieldSeparator);
			return {sha, subject: printableLine(subject), author: printableLine(author), email: printableLine(email), date};
		});
}

/**
 * The deployment project's git repository, in domain verbs. Arguments go to git as an argv array
 * (no shell), so branch names with shell metacharacters are harmless.
 */
export class GitRepository implements Git {
	#gits: {reads: SimpleGit; writes: SimpleGit} | undefined;

	constructor(readonly root: string) {}

	/**
	 * simple-git loads with the first git command, so a screen can be drawn before its import is paid for.
	 *
	 * simple-git counts a command done 50 ms after git exits, and that timer outlives the command,
	 * holding a finished `status` open; reads are done when git's output closes instead. Writes keep
	 * the 50 ms: a hook they run could leave a background job holding the output open, and a write
	 * must not wait on it forever. simple-git also waits 50 ms more for a command that printed
	 * nothing, so reads on the way to a screen or `status` ask in forms that always print something.
	 */
	async #raw(args: string[], kind: 'reads' | 'writes' = 'reads'): Promise<string> {
		if (!this.#gits) {
			const {simpleGit} = await import('simple-git');
			this.#gits ??= {
				reads: simpleGit({baseDir: this.root, timeout: {block: 20_000}, completion: {onClose: true, onExit: false}}),
				writes: simpleGit({baseDir: this.root, timeout: {block: 20_000}}),
			};
		}

		return this.#gits[kind].raw(args);
	}

	async isRepository(): Promise<boolean> {
		try {
			return (await this.#raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
		} catch {
			return false;
		}
	}

	/** The read under way of every branch head: a status asks for each stage's branch and its upstream's at once. */
	#headsInFlight: Promise<Map<string, string>> | undefined;

	/** The commit a branch points at (local, else origin's), or undefined when neither exists. */
	async branchHead(branch: string): Promise<string | undefined> {
		const heads = await this.#branchHeads();
		return heads.get(`refs/heads/${branch}`) ?? heads.get(`refs/remotes/origin/${branch}`);
	}

	/**
	 * Every local and origin branch with the commit it points at, in one git process rather than
	 * one per branch, shared by the reads under way and forgotten once read, so the next read sees
	 * a branch move.
	 */
	async #branchHeads(): Promise<Map<string, string>> {
		this.#headsInFlight ??= this.run(['for-each-ref', '--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname) %(refname)', 'refs/heads', 'refs/remotes/origin'])
			.then(output => new Map(output.split('\n').flatMap(line => {
				const [type, sha, peeledType, peeledSha, ref] = line.split(' ');
				// An annotated tag stored under a branch name counts by the commit it tags, as `^{commit}` would.
				const commit = type === 'commit' ? sha : peeledType === 'commit' ? peeledSha : undefined;
				return commit && ref ? [[ref, commit] as const] : [];
			})))
			.finally(() => {
				this.#headsInFlight = undefined;
			});
		return this.#headsInFlight;
	}

	/** The full sha of a revision, or undefined when it does not name a commit. */
	async resolve(revision: string): Promise<string | undefined> {
		try {
			const sha = (await this.#raw(['rev-parse', '--verify', '--quiet', '--end-of-options', revision])).trim();
			return sha || undefined;
		} catch {
			return undefined;
		}
	}

	/** Commits reachable from `head` but not from `base`, newest first (what a promotion would bring). */
	async commitsBetween(base: string, head: string, limit = 200): Promise<CommitSummary[]> {
		if (base === head) return [];
		const output = await this.run(['log', `--max-count=${limit}`, `--format=${logFormat}`, `${base}..${head}`, '--']);
		return parseLog(output);
	}

	async countCommitsBetween(base: string, head: string): Promise<number> {
		return Number((await this.run(['rev-list', '--count', `${base}..${head}`, '--'])).trim());
	}

	async commit(revision: string): Promise<CommitSummary | undefined> {
		const sha = await this.resolve(`${revision}^{commit}`);
		if (!sha) return undefined;
		return parseLog(await this.run(['log', '-1', `--format=${logFormat}`, sha, '--']))[0];
	}

	/** Files that differ between two commits, with line counts (null for binary files). */
	async changedFiles(base: string, head: string): Promise<ChangedFile[]> {
		const output = await this.run(['diff', '--numstat', '--no-renames', base, head, '--']);
		return output.split('\n').filter(line => line.trim()).map(line => {
			const [added = '-', removed = '-', ...rest] = line.split('\t');
			return {path: printableLine(rest.join('\t')), added: added === '-' ? null : Number(added), removed: removed === '-' ? null : Number(removed)};
		});
	}

	/** True when `ancestor` is contained in `descendant` (a fast-forward from one to the other is possible). */
	async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
		if (ancestor === descendant && /^[0-9a-f]{40}$/.test(ancestor)) return true;
		// Not `merge-base --is-ancestor`: its answer is the exit code alone, and simple-git resolves a
		// failing command that prints nothing, so every pair read as "contained".
		try {
			return (await this.#raw(['rev-list', '--count', `${descendant}..${ancestor}`, '--'])).trim() === '0';
		} catch {
			return false;
		}
	}

	/** Tags under a prefix with the commit each points at, e.g. opsconsole/staging/. */
	async tagsWithPrefix(prefix: string): Promise<Array<{tag: string; commit: string; date: string}>> {
		const output = await this.run(['for-each-ref', '--format=%(refname:strip=2)%09%(*objectname)%(objectname)%09%(creatordate:iso-strict)', `refs/tags/${prefix}`]);
		return output.split('\n').filter(line => line.trim()).map(line => {
			const [tag = '', objects = '', date = ''] = line.split('\t');
			return {tag: printableLine(tag), commit: objects.slice(0, 40), date};
		});
	}

	/**
	 * No changes to tracked files. Untracked ones cannot reach a release (images are built from
	 * `git archive` of the commit), and a checklist report opsconsole itself just wrote is one.
	 */
	async isClean(): Promise<boolean> {
		// --branch: a header line even when clean (see `#raw`).
		const output = await this.run(['status', '--porcelain', '--branch', '--untracked-files=no']);
		return output.split('\n').every(line => line.trim() === '' || line.startsWith('## '));
	}

	async keptElsewhere(commit: string, branch: string): Promise<boolean> {
		const own = new Set([`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]);
		const output = await this.run(['for-each-ref', '--format=%(refname)', `--contains=${commit}`, 'refs/heads', 'refs/remotes', 'refs/tags/opsconsole']);
		return output.split('\n').some(ref => ref.trim() && !own.has(ref.trim()));
	}

	async moveBranch(branch: string, to: string | null, expected: string): Promise<'moved' | 'not-there'> {
		const ref = `refs/heads/${branch}`;
		if (await this.resolve(ref) !== expected) return 'not-there';
		const checkedOut = (await this.#raw(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).trim() === ref;
		if (to === null) await this.run(['update-ref', '-d', ref, expected], 'writes');
		else if (checkedOut) await this.run(['reset', '--keep', '--quiet', to], 'writes');
		else await this.run(['update-ref', ref, to, expected], 'writes');
		return 'moved';
	}

	async deleteTag(tag: string): Promise<void> {
		if (await this.resolve(`refs/tags/${tag}`)) await this.run(['tag', '--delete', tag], 'writes');
	}

	async configValue(key: string): Promise<string | undefined> {
		// --default: an empty line for an unset key instead of nothing (see `#raw`); a git older than
		// 2.18 refuses the option and is asked the plain way.
		for (const args of [['config', '--default=', '--get', key], ['config', '--get', key]]) {
			try {
				return (await this.#raw(args)).trim() || undefined;
			} catch {
				// An unreadable config, or a git without --default: the next form, else nothing.
			}
		}

		return undefined;
	}

	private async run(args: string[], kind: 'reads' | 'writes' = 'reads'): Promise<string> {
		try {
			return await this.#raw(args, kind);
		} catch (error) {
			if (!(await this.isRepository())) throw new VcsError(`${this.root} is not a git repository — run \`git init\` there, or point --project at the deployment repository`);
			throw new VcsError(`git ${args[0]} failed: ${(error as Error).message.trim()}`);
		}
	}
}
