import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {binary} from '../helpers/cli.js';
import {buildWebImage, engineForTests, newRunId, removeRunContainersAfter, startContainer, waitForContainer} from '../helpers/docker.js';
import {initRepository} from '../helpers/git.js';
import {createDockerContext, dockerConfigFolder, makeCertificates, sshProcessesOf, startSilentListener, startSshd, startTlsProxy} from '../helpers/remote-engines.js';
import {Resources, temporaryFolder, writeFiles} from '../helpers/temp.js';
import {TmuxSession} from '../helpers/tmux.js';

const engine = await engineForTests();
const runId = newRunId();

/** The pid of the opsconsole started for `root` (tmux runs it under a shell). */
function consolePid(root: string): number | undefined {
	for (const name of readdirSync('/proc').filter(entry => /^\d+$/.test(entry))) {
		try {
			const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
			if (commandLine.includes(binary) && commandLine.includes(root)) return Number(name);
		} catch {
			// Gone meanwhile.
		}
	}

	return undefined;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
	return condition();
}

describe('the dashboard against ssh://, tcp+TLS and a context at once, with a dead host and hanging ssh and TLS ones (tmux)', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	const project = `oct-${runId}-remote-e2e`;
	let root: string;
	let command: (exitFile: string) => string;
	let sshAddress: string;
	let tlsAddress: string;

	before(async () => {
		const docker = engine.docker!;
		const image = await buildWebImage(docker, runId, resources);
		removeRunContainersAfter(docker, runId, resources);
		// One container per environment, as separate engines would hold (ssh and ctx reach the same address: one engine).
		const containers = await Promise.all(['ssh', 'tls', 'ctx'].map(async name => startContainer(docker, {image, project: `${project}-${name}`, service: 'web', runId})));
		await Promise.all(containers.map(async container => waitForContainer(container, info => info.State.Health?.Status === 'healthy')));
		const sshd = await startSshd(resources);
		sshAddress = sshd.address;
		const certificates = makeCertificates(resources);
		tlsAddress = `tcp://127.0.0.1:${await startTlsProxy(resources, certificates)}`;
		const silentPort = await startSilentListener(resources);
		const dockerConfig = dockerConfigFolder(resources);
		createDockerContext(dockerConfig, `ctx-${runId}`, `host=${sshd.address}`);
		root = temporaryFolder(resources);
		const file = (name: string, docker: string) => `name: ${name}\nbranch: main\ndocker:\n${docker}  project: ${project}-${name}\n`;
		writeFiles(root, {
			'environments/ssh.yaml': file('ssh', `  host: ${sshd.address}\n`),
			'environments/tls.yaml': file('tls', `  host: ${tlsAddress}\n  tls: {ca: ${certificates.ca}, cert: ${certificates.clientCert}, key: ${certificates.clientKey}, verify: false}\n`),
			'environments/ctx.yaml': file('ctx', `  context: ctx-${runId}\n`),
			'environments/dead.yaml': file('dead', '  host: ssh://nobody@127.0.0.1:1\n'),
			'environments/hang.yaml': file('hang', `  host: ssh://nobody@127.0.0.1:${silentPort}\n`),
			'environments/stall.yaml': file('stall', `  host: tcp://127.0.0.1:${silentPort}\n  tls: {ca: ${certificates.ca}, cert: ${certificates.clientCert}, key: ${certificates.clientKey}}\n`),
		});
		initRepository(root);
		// CI is unset so Ink draws every frame, as it does for a person at a terminal.
		command = exitFile => `env -u CI OPSCONSOLE_CONFIG_DIR=${root}/config OPSCONSOLE_SSH_CONFIG=${sshd.clientConfig} DOCKER_CONFIG=${dockerConfig} ${process.execPath} ${binary} --project ${root}; echo $? > ${exitFile}; sleep 60`;
	});

	test('each engine shows its own state; the good ones draw and follow events; q leaves at once, taking every ssh process along', async () => {
		const tmux = new TmuxSession(`${runId}a`);
		resources.defer(() => tmux.kill());
		const exitFile = path.join(root, 'exit-a');
		tmux.start(command(exitFile), 250, 40);
		const escapedSsh = sshAddress.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		let screen = await tmux.waitFor(new RegExp(`● live ${escapedSsh}`), 15_000);
		screen = await tmux.waitFor(/● reconnecting ssh:\/\/nobody@127\.0\.0\.1:1 — engine at .* Connection refused/, 10_000);
		assert.match(screen, /● connecting ssh:\/\/nobody@127\.0\.0\.1:\d+/, 'the hanging host is still connecting while the others draw');
		assert.match(screen, /● (connecting|reconnecting) tcp:\/\/127\.0\.0\.1:\d+/, 'so is the TLS engine that never finishes its handshake');
		screen = await tmux.waitFor(new RegExp(`● live ${tlsAddress.replace(/[.]/g, '\\.')} ⚠ TLS verification is OFF`), 10_000);
		assert.match(screen, /● healthy +ssh/);
		assert.match(screen, /● healthy +ctx/);
		assert.match(screen, /\? unknown +dead/);

		const stopped = await Promise.all(['ssh', 'tls'].map(async name => {
			const [web] = await engine.docker!.listContainers({filters: {label: [`com.docker.compose.project=${project}-${name}`]}});
			await engine.docker!.getContainer(web!.Id).stop({t: 0});
			return web!.Id;
		}));
		screen = await tmux.waitFor(/✖ down +ssh[\s\S]*✖ down +tls/, 5000);
		assert.match(screen, /● healthy +ctx/);

		const pid = consolePid(root)!;
		assert.ok(pid, 'found the console process');
		assert.ok(sshProcessesOf(pid).length > 0, 'the console holds ssh connections');
		const quitAt = Date.now();
		tmux.sendKeys('q');
		assert.ok(await until(() => existsSync(exitFile), 5000), 'the console left');
		const tookMs = Date.now() - quitAt;
		assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
		assert.ok(tookMs < 2000, `quitting took ${tookMs} ms with a host still connecting`);
		assert.ok(await until(() => sshProcessesOf(pid).length === 0, 2000), `ssh processes left behind: ${sshProcessesOf(pid).join(', ')}`);
		await Promise.all(stopped.map(async id => engine.docker!.getContainer(id).start()));
	});

	test('killed outright (kill -9), the console takes its ssh processes along all the same', async () => {
		const tmux = new TmuxSession(`${runId}b`);
		resources.defer(() => tmux.kill());
		tmux.start(command(path.join(root, 'exit-b')), 250, 40);
		await tmux.waitFor(new RegExp(`● live ${sshAddress.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 15_000);
		const pid = consolePid(root)!;
		const helpers = sshProcessesOf(pid);
		assert.ok(helpers.length > 0);
		process.kill(pid, 'SIGKILL');
		assert.ok(await until(() => helpers.every(helper => !existsSync(`/proc/${helper}/cmdline`) || readFileSync(`/proc/${helper}/cmdline`, 'utf8') === ''), 3000), 'every ssh process ended with the console (parent-death signal)');
	});
});
