// Deploy: build (or reuse) each service's image for the commit, then replace the environment's
// containers (or, on a swarm, update its stack's services). The previous containers are kept
// stopped and their images kept, so a rollback needs no rebuild. Run by opsconsole with zx.
const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);
const {environment, commit, dryRun} = kit.context();
const services = Object.keys(environment.services);

if (services.length === 0) {
	echo(`${environment.name} defines no services; nothing to deploy`);
	process.exit(0);
}

if (dryRun) {
	echo(`dry run: would deploy ${commit.slice(0, 7)} to ${environment.name}: ${services.join(', ')}`);
	process.exit(0);
}

const images = {};
for (const service of services) {
	kit.step(`image ${service}`);
	const image = await kit.ensureImage(service);
	images[service] = image.tag;
	echo(image.built ? `built ${image.tag} in ${(image.ms / 1000).toFixed(1)} s` : `reusing ${image.tag}`);
}

if (kit.isSwarm()) {
	// A swarm environment: each service of the stack is updated in place (update_config from the
	// environment file, start-first, rolled back by swarm on failure) and followed to the end.
	const problem = await kit.swarmImagesProblem();
	if (problem) {
		console.error(`refusing: ${problem}`);
		process.exit(1);
	}

	for (const service of services) {
		kit.step(`update ${service}`);
		const {ok, detail} = await kit.updateSwarmService(service, images[service]);
		echo(detail);
		if (!ok) {
			console.error(`Error: ${detail}`);
			process.exit(1);
		}
	}

	process.exit(0);
}

for (const service of services) {
	kit.step(`replace ${service}`);
	const {retained} = await kit.replaceContainer(service, images[service]);
	echo(retained ? `started ${service} on ${images[service]}; kept the previous one as ${retained}` : `started ${service} on ${images[service]}`);
}
