import assert from 'node:assert/strict';
import {test} from 'node:test';
import {compareNaturally, compareOrdinal} from '../../source/core/text-order.js';

// Names as Docker and compose allow them, with the cases where a hand-made natural sort goes wrong.
const names = ['web', 'web2', 'web-admin', 'web_2', 'web-a', 'web_a', 'web.a', 'Web-1', 'web-9', 'web-10', 'svc01', 'svc1', 'svc2', 'svc9', 'svc10', 'svc90', 'svc99', 'Svc3', 'db2-replica9', 'db2-replica10', 'db10', 'job-20240101123045123', 'job-20240101123045124', 'a', 'A', 'b', '', 'x.1', 'x_1', 'x-1', 'x1', 'xa', 'api', 'api-gateway', 'api2'];

test('natural order agrees with the numeric, case-blind Intl.Collator it replaces, on every pair', () => {
	const collator = new Intl.Collator('en', {numeric: true, sensitivity: 'base'});
	const disagreements = names.flatMap(left => names
		.filter(right => Math.sign(compareNaturally(left, right)) !== Math.sign(collator.compare(left, right)))
		.map(right => `${left} ? ${right}`));
	assert.deepEqual(disagreements, []);
	assert.deepEqual(['svc10', 'svc2', 'Svc3', 'svc1'].sort(compareNaturally), ['svc1', 'svc2', 'Svc3', 'svc10']);
});

test('ordinal order compares code units: the time order of the ISO times opsconsole writes', () => {
	assert.deepEqual(['2026-11-23T10:00:00.001Z', '2026-11-23T09:59:59.999Z', '2026-11-23T10:00:00.000Z'].sort(compareOrdinal), ['2026-11-23T09:59:59.999Z', '2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.001Z']);
	assert.equal(compareOrdinal('a', 'a'), 0);
});
