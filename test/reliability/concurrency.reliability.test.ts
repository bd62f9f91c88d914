import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ReleaseRecord} from '../../source/core/release.js';
import type {CliResult} from '../helpers/cli.js';
import {createDemo, type Demo} from '../helpers/demo.js';
import {engineForTests} from '../helpers/docker.js';
import {Resources} from '../helpers/temp.js';

const engine = await engineForTests();

type AuditLine = {action: string; env: string; outcome: string; operator: string};

/** Issue 10 #11 and DESIGN §3: concurrent operators, in every pairing on one environment and five at once. */
describe('reliability: concurrent operators', {skip: engine.skip}, () => {
	const resources = new Resources();
	after(async () => resources.release());
	let demo: Demo;
	const audit = () => readFileSync(path.join(demo.root, '.opsconsole', 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as AuditLine);
	const locks = async () => (await demo.ops(['locks', '--json'])).stdout;
	const as = (operator: string, args: readonly string[]) => demo.ops(['--operator', operator, ...args]);

	before(async () => {
		demo = await createDemo(resources, engine.docker!);
	});

	/** Exactly one ran (0); every other one was refused with nothing changed (3) and said why. */
	const exactlyOneRan = (results: readonly CliResult[]) => {
		const codes = results.map(result => result.code).sort();
		assert.deepEqual(codes, [0, ...Array.from({length: results.length - 1}, () => 3)], results.map(result => result.stdout + result.stderr).join('\n----\n'));
		for (const refused of results.filter(result => result.code === 3)) assert.match(refused.stdout + refused.stderr, /locked by|already runs|refused, nothing changed/);
	};

	const pairings: Array<[string, (demo: Demo) => Promise<string[][]>]> = [
		['promote and promote', async () => [['promote', 'dev', 'staging', '--yes'], ['promote', 'dev', 'staging', '--yes']]],
		['promote and rollback', async () => [['promote', 'dev', 'staging', '--yes'], ['rollback', 'staging', '--yes']]],
		['deploy and rollback', async () => [['deploy', 'staging', '--yes'], ['rollback', 'staging', '--yes']]],
		['deploy and a manual lock', async () => [['deploy', 'staging', '--yes'], ['lock', 'staging', '--message', 'racing']]],
	];

	for (const [title, commands] of pairings) {
		test(`${title} on the same environment: one runs, the other is refused, no lock left behind`, async () => {
			await demo.newDevRelease(`Before ${title}`);
			assert.equal((await demo.ops(['promote', 'dev', 'staging', '--yes'])).code, 0, 'staging has something to roll back from');
			await demo.newDevRelease(`For ${title}`);
			const [first, second] = await commands(demo);
			const startedAt = new Date().toISOString();
			const results = await Promise.all([as('ana@example.test', first!), as('bo@example.test', second!)]);
			const releases = (JSON.parse((await demo.ops(['history', 'staging', '--json'])).stdout) as {releases: ReleaseRecord[]}).releases
				.filter(release => release.startedAt >= startedAt && !release.error?.startsWith('automatic, after'));
			for (const [index, release] of releases.entries()) {
				for (const other of releases.slice(index + 1)) {
					const apart = release.finishedAt! <= other.startedAt || other.finishedAt! <= release.startedAt;
					assert.ok(apart, `${release.id} and ${other.id} ran on staging at the same time`);
				}
			}

			const lockTaken = results.some((result, index) => result.code === 0 && (index === 0 ? first : second)![0] === 'lock');
			if (title.includes('lock') && lockTaken) {
				assert.ok(results.every(result => result.code === 0 || result.code === 3), results.map(result => result.stdout).join('\n----\n'));
				assert.equal((await demo.ops(['unlock', 'staging', '--force'])).code, 0);
			} else {
				assert.ok(results.some(result => result.code === 0), results.map(result => result.stdout + result.stderr).join('\n----\n'));
				assert.ok(results.every(result => result.code === 0 || result.code === 3), results.map(result => result.stdout + result.stderr).join('\n----\n'));
			}

			assert.doesNotMatch(await locks(), /"env"/, 'no lock left behind');
			for (const result of results) assert.doesNotMatch(result.stderr, /\n\s+at /);
		});
	}

	test('five promotions with --json at once: exactly one runs; each prints its JSON, each is audited, none hangs', async () => {
		await demo.newDevRelease('Five at once');
		const auditBefore = audit().length;
		const operators = ['ana', 'bo', 'cy', 'di', 'ed'].map(name => `${name}@example.test`);
		const results = await Promise.all(operators.map(async operator => as(operator, ['promote', 'dev', 'staging', '--yes', '--json'])));
		exactlyOneRan(results);
		for (const result of results) {
			const printed = JSON.parse(result.stdout) as Partial<ReleaseRecord> & {outcome: string};
			assert.ok(['succeeded', 'refused'].includes(printed.outcome), result.stdout);
		}

		const lines = audit().slice(auditBefore).filter(entry => entry.action === 'promote dev→staging');
		for (const operator of operators) assert.ok(lines.some(entry => entry.operator === operator), `${operator} is in the audit log`);
		assert.equal(lines.filter(entry => entry.outcome === 'refused').length, 4);
		assert.deepEqual(lines.filter(entry => entry.outcome !== 'refused').map(entry => entry.outcome).sort(), ['started', 'succeeded']);
	});
});
