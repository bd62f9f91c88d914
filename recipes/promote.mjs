// Promote: move the target environment's branch to the promoted commit — only as a fast-forward —
// tag the release, and push both when the repository has a remote. Run by opsconsole with zx;
// every value reaches git through zx's quoting.
const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);
const {environment, commit, release, dryRun} = kit.context();
const ref = `refs/heads/${environment.branch}`;
const short = sha => (sha ? sha.slice(0, 7) : 'nothing');

kit.step(`fast-forward ${environment.branch}`);
const current = (await $`git rev-parse --verify --quiet ${ref}`.nothrow()).stdout.trim();
if (current && (await $`git merge-base --is-ancestor ${current} ${commit}`.nothrow()).exitCode !== 0) {
	console.error(`refusing: ${environment.branch} is at ${short(current)}, which ${short(commit)} does not contain — not a fast-forward`);
	process.exit(1);
}

if (dryRun) {
	echo(`dry run: would move ${environment.branch} from ${short(current)} to ${short(commit)} and tag ${release}`);
	process.exit(0);
}

const checkedOut = (await $`git symbolic-ref --quiet HEAD`.nothrow()).stdout.trim();
if (checkedOut === ref) await $`git merge --ff-only --quiet ${commit}`;
else await $`git update-ref ${ref} ${commit} ${current}`;
echo(`${environment.branch}: ${short(current)} → ${short(commit)}`);

kit.step('tag release');
const tag = `opsconsole/${environment.name}/${release}`;
await $`git tag --annotate ${tag} ${commit} --message ${`${environment.name} release ${release}`}`;
echo(`tagged ${tag}`);

if ((await $`git remote`).stdout.split('\n').includes('origin')) {
	kit.step('push');
	await $`git push --quiet origin ${`${commit}:${ref}`} ${`refs/tags/${tag}`}`;
	echo(`pushed ${environment.branch} and ${tag} to origin`);
}
