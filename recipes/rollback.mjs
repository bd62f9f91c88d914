// Rollback: put the environment back on an earlier release's commit. Its containers always;
// its branch only where opsconsole's plan says so (OPSCONSOLE_BRANCH_TO): never the first stage's
// branch, where developers work, and never when that would leave commits on no branch or tag.
// Images of earlier releases are still on the engine, so this normally rebuilds nothing.
const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);
const {environment, commit, branchTo, dryRun} = kit.context();
const ref = `refs/heads/${environment.branch}`;
const services = Object.keys(environment.services);
const short = sha => (sha ? sha.slice(0, 7) : 'nothing');

const current = (await $`git rev-parse --verify --quiet ${ref}`.nothrow()).stdout.trim();
if (dryRun) {
	const branch = branchTo ? `move ${environment.branch} from ${short(current)} to ${short(branchTo)}` : `leave ${environment.branch} at ${short(current)}`;
	echo(`dry run: would ${branch} and redeploy ${services.join(', ')} on ${short(commit)}`);
	process.exit(0);
}

if (branchTo && current !== branchTo) {
	kit.step(`move ${environment.branch}`);
	const checkedOut = (await $`git symbolic-ref --quiet HEAD`.nothrow()).stdout.trim();
	// reset --keep refuses rather than overwrite uncommitted work; update-ref only moves from what we read.
	if (checkedOut === ref) await $`git reset --keep --quiet ${branchTo}`;
	else await $`git update-ref ${ref} ${branchTo} ${current}`;
	echo(`${environment.branch}: ${short(current)} → ${short(branchTo)}`);
	if ((await $`git remote`).stdout.split('\n').includes('origin')) {
		if (environment.recipes.forcePush) {
			await $`git push --quiet --force-with-lease=${`${ref}:${current}`} origin ${`${branchTo}:${ref}`}`;
			echo(`pushed ${environment.branch} to origin (recipes.forcePush is set)`);
		} else {
			echo(`origin's ${environment.branch} is left as it is (set recipes.forcePush in environments/${environment.name}.yaml to move it too)`);
		}
	}
} else {
	echo(`${environment.branch} stays at ${short(current)}`);
}

const images = {};
for (const service of services) {
	kit.step(`image ${service}`);
	const image = await kit.ensureImage(service);
	images[service] = image.tag;
	echo(image.built ? `rebuilt ${image.tag} in ${(image.ms / 1000).toFixed(1)} s (it was no longer on the engine)` : `reusing ${image.tag}`);
}

if (kit.isSwarm()) {
	// The whole stack goes back, not only the service that failed: every service is put on the
	// earlier release, and one that cannot be does not stop the others.
	const failed = [];
	for (const service of services) {
		kit.step(`roll back ${service}`);
		const {ok, detail} = await kit.rollbackSwarmService(service, images[service]);
		echo(detail);
		if (!ok) failed.push(detail);
	}

	if (failed.length > 0) {
		console.error(`Error: ${failed.join('; ')}`);
		process.exit(1);
	}

	process.exit(0);
}

for (const service of services) {
	kit.step(`replace ${service}`);
	await kit.replaceContainer(service, images[service]);
	echo(`started ${service} on ${images[service]}`);
}
