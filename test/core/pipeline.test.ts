import assert from 'node:assert/strict';
import {test} from 'node:test';
import {downstreamOf, findPromotionCycle, orderPipeline, upstreamOf} from '../../source/core/pipeline.js';

const chain = [
	{name: 'production', promotesTo: null},
	{name: 'dev', promotesTo: 'staging'},
	{name: 'staging', promotesTo: 'production'},
];

test('orders environments along promotesTo links', () => {
	assert.deepEqual(orderPipeline(chain).map(environment => environment.name), ['dev', 'staging', 'production']);
});

test('orders separate chains by their first stage', () => {
	const environments = [{name: 'qa', promotesTo: 'uat'}, {name: 'uat', promotesTo: null}, {name: 'alpha', promotesTo: null}];
	assert.deepEqual(orderPipeline(environments).map(environment => environment.name), ['alpha', 'qa', 'uat']);
});

test('finds upstream and downstream stages', () => {
	assert.equal(upstreamOf(chain, 'staging')?.name, 'dev');
	assert.equal(upstreamOf(chain, 'dev'), undefined);
	assert.equal(downstreamOf(chain, 'staging')?.name, 'production');
	assert.equal(downstreamOf(chain, 'production'), undefined);
});

test('reports a promotion cycle with its path', () => {
	assert.equal(findPromotionCycle(chain), undefined);
	assert.deepEqual(findPromotionCycle([{name: 'a', promotesTo: 'b'}, {name: 'b', promotesTo: 'c'}, {name: 'c', promotesTo: 'a'}]), ['a', 'b', 'c', 'a']);
});
