import {execFileSync} from 'node:child_process';
import {copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {isMap, isSeq, parseDocument} from 'yaml';
import {projectSlug} from '../core/project-name.js';
import {packageRoot} from '../package-root.js';
import {prepareTlsEndpoint} from './demo-tls.js';
import {swarmEnvironmentFile} from './demo-swarm.js';

/** The opsconsole checkout, whose top-level environments/, recipes/ and app/ are the demo's template. */
const templateRoot = packageRoot();
const markerFile = '.opsconsole-demo';
const busybox = '/bin/busybox';
/** The web app of dev, staging and production, then the demo's TLS endpoint. */
const preferredPorts = [18080, 18081, 18082, 18443];

async function portIsFree(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function anyFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}

/** The template's ports when all are free (so the README's addresses hold), else free ones. */
async function choosePorts(anyFreePorts: boolean): Promise<number[]> {
	if (anyFreePorts) return Promise.all(preferredPorts.map(async () => anyFreePort()));
	const free = await Promise.all(preferredPorts.map(async port => portIsFree(port)));
	if (free.every(Boolean)) return preferredPorts;
	return Promise.all(preferredPorts.map(async () => anyFreePort()));
}

function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
}

/**
 * Rewrites a template environment file for this demo: its own compose project, image name and
 * ports, so several demos (and test runs) never collide. Comments survive.
 */
function adaptEnvironmentFile(text: string, slug: string, portMap: ReadonlyMap<number, number>): string {
	const document = parseDocument(text);
	const name = String(document.get('name'));
	document.setIn(['docker', 'project'], `${slug}-${name}`);
	const services = document.get('services');
	if (isMap(services)) {
		for (const item of services.items) {
			const service = item.value;
			if (!isMap(service)) continue;
			const port = Number(service.get('port'));
			if (portMap.has(port)) service.set('port', portMap.get(port));
			service.set('image', `${slug}-${String(item.key)}`);
		}
	}

	for (const listName of ['probes', 'checks']) {
		const list = document.get(listName);
		if (!isSeq(list)) continue;
		for (const entry of list.items) {
			if (isMap(entry) && portMap.has(Number(entry.get('port')))) entry.set('port', portMap.get(Number(entry.get('port'))));
			if (!isMap(entry) || typeof entry.get('url') !== 'string') continue;
			const url = new URL(String(entry.get('url')));
			const mapped = portMap.get(Number(url.port));
			if (mapped) {
				url.port = String(mapped);
				entry.set('url', url.href);
			}
		}
	}

	return document.toString();
}

export type DemoProject = {readonly root: string; readonly slug: string; readonly created: boolean};

/** Where the demo's TLS endpoint answers: the template's 18443, or the free port that replaced it. */
export function demoTlsPort(root: string): number {
	return Number(readFileSync(path.join(root, 'tls', 'port'), 'utf8').trim());
}

/** Creates the demo's git repository (once; later calls reuse it): branches dev, staging, main. */
export async function createDemoProject(directory: string, options: {anyFreePorts?: boolean; swarm?: boolean} = {}): Promise<DemoProject> {
	const root = path.resolve(directory);
	const slug = projectSlug(root);
	if (existsSync(path.join(root, markerFile))) return {root, slug, created: false};
	if (existsSync(root) && readdirSync(root).length > 0) {
		throw new Error(`${root} exists and is not an opsconsole demo; choose another --dir`);
	}

	if (!existsSync(busybox)) throw new Error(`the demo image needs a static busybox at ${busybox} (Debian: apt-get install busybox-static)`);
	mkdirSync(path.join(root, 'environments'), {recursive: true});
	const ports = await choosePorts(options.anyFreePorts === true);
	const portMap = new Map(preferredPorts.map((port, index) => [port, ports[index]!]));
	for (const file of readdirSync(path.join(templateRoot, 'environments'))) {
		const text = readFileSync(path.join(templateRoot, 'environments', file), 'utf8');
		const adapted = adaptEnvironmentFile(text, slug, portMap);
		writeFileSync(path.join(root, 'environments', file), options.swarm ? swarmEnvironmentFile(adapted, slug) : adapted);
	}

	cpSync(path.join(templateRoot, 'recipes'), path.join(root, 'recipes'), {recursive: true});
	cpSync(path.join(templateRoot, 'app'), path.join(root, 'app'), {recursive: true, filter: source => path.basename(source) !== 'busybox'});
	copyFileSync(busybox, path.join(root, 'app', 'busybox'));
	cpSync(path.join(templateRoot, 'tls'), path.join(root, 'tls'), {recursive: true, filter: source => !['rootfs', 'certs'].includes(path.basename(source))});
	prepareTlsEndpoint(path.join(root, 'tls'));
	writeFileSync(path.join(root, 'tls', 'port'), `${portMap.get(preferredPorts[3]!)}\n`);
	writeFileSync(path.join(root, '.gitignore'), '.opsconsole/\n');
	writeFileSync(path.join(root, markerFile), 'This folder was made by `opsconsole demo up`; `opsconsole demo down` removes its containers, networks and images.\n');

	git(root, 'init', '--quiet', '--initial-branch=main');
	git(root, 'config', 'commit.gpgsign', 'false');
	git(root, 'config', 'tag.gpgsign', 'false');
	git(root, 'add', '--all');
	// Authored by the demo, but no identity is stored in the repository: the operator stays whoever runs it.
	git(root, '-c', 'user.name=opsconsole demo', '-c', 'user.email=demo@opsconsole.invalid', 'commit', '--quiet', '--message', 'Demo web app, environments and recipes');
	git(root, 'branch', 'dev');
	git(root, 'branch', 'staging');
	git(root, 'checkout', '--quiet', 'dev');
	return {root, slug, created: true};
}

export function isDemoProject(directory: string): boolean {
	return existsSync(path.join(path.resolve(directory), markerFile));
}
