// Rollback: put the environment back on an earlier release's commit — its branch and its
// containers, so the branch head is what it runs. Images of earlier releases are still on the
// engine, so this normally rebuilds nothing. Run by opsconsole with zx.
const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);
const {environment, commit, dryRun} = kit.context();
const ref = `refs/heads/${environment.branch}`;
const services = Object.keys(environment.services);
const short = sha => (sha ? sha.slice(0, 7) : 'nothing');

kit.step(`reset ${environment.branch}`);
const current = (await $`git rev-parse --verify --quiet ${ref}`.nothrow()).stdout.trim();
if (dryRun) {
	echo(`dry run: would move ${environment.branch} from ${short(current)} to ${short(commit)} and redeploy ${services.join(', ')}`);
	process.exit(0);
}

if (current !== commit) {
	const checkedOut = (await $`git symbolic-ref --quiet HEAD`.nothrow()).stdout.trim();
	if (checkedOut === ref) await $`git reset --keep --quiet ${commit}`;
	else await $`git update-ref ${ref} ${commit} ${current}`;
	if ((await $`git remote`).stdout.split('\n').includes('origin')) {
		await $`git push --quiet --force-with-lease=${`${ref}:${current}`} origin ${`${commit}:${ref}`}`;
	}
}

echo(`${environment.branch}: ${short(current)} → ${short(commit)}`);

const images = {};
for (const service of services) {
	kit.step(`image ${service}`);
	const {tag, built} = await kit.ensureImage(service);
	images[service] = tag;
	echo(built ? `rebuilt ${tag} (it was no longer on the engine)` : `reusing ${tag}`);
}

for (const service of services) {
	kit.step(`replace ${service}`);
	await kit.replaceContainer(service, images[service]);
	echo(`started ${service} on ${images[service]}`);
}
