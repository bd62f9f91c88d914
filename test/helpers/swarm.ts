import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type Docker from 'dockerode';
import type {Resources} from './temp.js';

/**
 * Test files that need a swarm share one: the first to arrive initialises it when the engine is in
 * none (and remembers that it did), the last to leave makes the engine leave it again. The count
 * lives in a file guarded by a lock folder, so test files in parallel processes agree. An engine
 * already in a swarm before the tests is left in it.
 */
const stateFolder = path.join(tmpdir(), 'opsconsole-test-swarm');
const lockFolder = path.join(stateFolder, 'lock');
const countFile = path.join(stateFolder, 'users.json');

async function withLock<T>(work: () => T | Promise<T>): Promise<T> {
	mkdirSync(stateFolder, {recursive: true});
	for (let attempt = 0; ; attempt++) {
		try {
			mkdirSync(lockFolder);
			break;
		} catch {
			if (attempt > 3000) throw new Error(`the test swarm's lock ${lockFolder} has been held for five minutes; remove it if no test runs`);
			await sleep(100);
		}
	}

	try {
		return await work();
	} finally {
		rmSync(lockFolder, {recursive: true, force: true});
	}
}

type SwarmUsers = {users: number; initialisedByTests: boolean};

function readUsers(): SwarmUsers {
	try {
		return JSON.parse(readFileSync(countFile, 'utf8')) as SwarmUsers;
	} catch {
		return {users: 0, initialisedByTests: false};
	}
}

function swarmState(): string {
	return execFileSync('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], {encoding: 'utf8'}).trim();
}

/**
 * Runs `work` while the engine is in no swarm and no test may start one. A swarm another test file
 * made is waited for (its users leave it within minutes), so the case without a swarm is tested
 * whatever runs beside it; undefined when the engine was in a swarm before the tests, or the wait
 * ran out.
 */
export async function whileOutsideSwarm<T>(work: () => Promise<T>, waitMs = 240_000): Promise<T | undefined> {
	const deadline = Date.now() + waitMs;
	for (;;) {
		const attempt = await withLock(async () => (swarmState() === 'active' ? {ran: false as const, madeByTests: readUsers().users > 0} : {ran: true as const, value: await work()}));
		if (attempt.ran) return attempt.value;
		if (!attempt.madeByTests || Date.now() > deadline) return undefined;
		await sleep(500);
	}
}

/** Joins the shared test swarm (initialising it if need be); leaves it when `resources` are released. */
export async function useTestSwarm(resources: Resources): Promise<{initialisedByTests: boolean}> {
	const state = await withLock(() => {
		const users = readUsers();
		if (users.users === 0) users.initialisedByTests = false;
		if (swarmState() !== 'active') {
			execFileSync('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1'], {stdio: 'ignore'});
			users.initialisedByTests = true;
		}

		users.users++;
		writeFileSync(countFile, JSON.stringify(users));
		return users;
	});
	resources.defer(async () => withLock(() => {
		const users = readUsers();
		users.users = Math.max(0, users.users - 1);
		if (users.users === 0 && users.initialisedByTests && swarmState() === 'active') {
			execFileSync('docker', ['swarm', 'leave', '--force'], {stdio: 'ignore'});
			// The gateway bridge swarm init made outlives the swarm; the engine goes back as the tests found it.
			spawnSync('docker', ['network', 'rm', 'docker_gwbridge'], {stdio: 'ignore'});
			users.initialisedByTests = false;
		}

		writeFileSync(countFile, JSON.stringify(users));
	}));
	return {initialisedByTests: state.initialisedByTests};
}

/** Removes every service and network of a test stack when `resources` are released (before the swarm is left). */
export function removeStackAfter(docker: Docker, stack: string, resources: Resources): void {
	resources.defer(async () => {
		const services = await docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}});
		await Promise.all(services.map(async service => docker.getService(service.ID!).remove().catch(() => undefined)));
		// Task containers take a moment to go; the stack's network can only go after them.
		for (let attempt = 0; attempt < 50; attempt++) {
			const left = await docker.listContainers({all: true, filters: {label: [`com.docker.stack.namespace=${stack}`]}});
			if (left.length === 0) break;
			await sleep(200);
		}

		const networks = await docker.listNetworks({filters: {label: [`com.docker.stack.namespace=${stack}`]}});
		await Promise.all(networks.map(async network => docker.getNetwork(network.Id).remove().catch(() => undefined)));
	});
}
