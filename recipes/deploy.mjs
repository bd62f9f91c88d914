// Deploy: build (or reuse) each service's image for the commit, then replace the environment's
// containers. The previous containers are kept stopped and their images kept, so a rollback
// needs no rebuild. Run by opsconsole with zx.
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
	const {tag, built} = await kit.ensureImage(service);
	images[service] = tag;
	echo(built ? `built ${tag}` : `reusing ${tag}`);
}

for (const service of services) {
	kit.step(`replace ${service}`);
	const {retained} = await kit.replaceContainer(service, images[service]);
	echo(retained ? `started ${service} on ${images[service]}; kept the previous one as ${retained}` : `started ${service} on ${images[service]}`);
}
