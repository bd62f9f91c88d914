import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ContainerSnapshot} from '../../source/core/container.js';
import {containerListing, containerWindow} from '../../source/ui/dashboard-model.js';
import {keystrokes} from '../../source/ui/keystrokes.js';
import {wrapText} from '../../source/presentation/format.js';
import {styleFor, unicodeTerminal} from '../../source/presentation/style.js';

const container = (service: string, fields: Partial<ContainerSnapshot> = {}): ContainerSnapshot => ({
	id: service, name: `shop-${service}`, service, image: 'shop:1', state: 'running', health: 'healthy', restarts: 0, startedAt: undefined, createdAt: '', commit: undefined, release: undefined, ...fields,
});

test('containers that fit are all listed; those that do not fold the healthy ones into one line', () => {
	const few = ['a', 'b', 'c'].map(service => container(service));
	assert.deepEqual(containerListing(few, 3, false), {listed: few, folded: 0, rows: 3});
	const many = Array.from({length: 300}, (_, index) => container(`svc${index}`));
	many[7] = container('svc7', {health: 'unhealthy'});
	many[200] = container('svc200', {state: 'exited'});
	many[250] = container('svc250', {restarts: 3});
	const folded = containerListing(many, 10, false);
	assert.deepEqual(folded.listed.map(shown => shown.service), ['svc7', 'svc200', 'svc250']);
	assert.equal(folded.folded, 297);
	assert.equal(folded.rows, 9, 'the summary line takes a row');
	assert.equal(containerListing(many, 10, true).listed.length, 300, 'expanded lists every one');
});

test('the window keeps the selected container in view, with a line for those above and below', () => {
	const listed = Array.from({length: 50}, (_, index) => container(`svc${index}`));
	const top = containerWindow(listed, 0, 10);
	assert.deepEqual([top.first, top.shown.length, top.above, top.below], [0, 8, 0, 42]);
	const middle = containerWindow(listed, 25, 10);
	assert.ok(middle.shown.includes(listed[25]!));
	assert.equal(middle.above + middle.shown.length + middle.below, 50);
	const bottom = containerWindow(listed, 49, 10);
	assert.equal(bottom.shown.at(-1), listed[49]);
	assert.equal(bottom.below, 0);
});

test('a burst of plain characters is that many keys; Esc then a key is two; a paste of controls stays whole', () => {
	const plain = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false};
	assert.deepEqual(keystrokes('jjR', plain).map(([input, key]) => [input, key.shift]), [['j', false], ['j', false], ['R', true]]);
	assert.deepEqual(keystrokes('j', {...plain, meta: true}).map(([input, key]) => [input, key.escape, key.meta]), [['', true, false], ['j', false, false]]);
	assert.deepEqual(keystrokes('a\rb', plain).map(([input]) => input), ['a\rb']);
	assert.deepEqual(keystrokes('q', plain).map(([input]) => input), ['q']);
});

test('notes wrap between words to the width, the last line cut with an ellipsis when more is left', () => {
	assert.deepEqual(wrapText('engine at unix:///var/run/docker.sock unreachable: connection refused', 30, 3), ['engine at', 'unix:///var/run/docker.sock', 'unreachable: connection refus…']);
	assert.deepEqual(wrapText('one two three four five six', 9, 2), ['one two', 'three fo…']);
	assert.deepEqual(wrapText('short', 20, 2), ['short']);
	assert.deepEqual(wrapText('averyveryverylongword', 8, 1, true), ['averyve~']);
});

test('ASCII by itself where the terminal or locale draws no Unicode; a flag decides for one run, a remembered choice after', () => {
	assert.equal(unicodeTerminal({TERM: 'xterm-256color', LANG: 'en_US.UTF-8'}), true);
	assert.equal(unicodeTerminal({TERM: 'xterm-256color'}), true);
	assert.equal(unicodeTerminal({TERM: 'vt100', LANG: 'en_US.UTF-8'}), false);
	assert.equal(unicodeTerminal({TERM: 'xterm', LANG: 'C'}), false);
	assert.equal(unicodeTerminal({TERM: 'xterm', LC_ALL: 'C.UTF-8', LANG: 'C'}), true, 'LC_ALL outranks LANG');
	assert.equal(unicodeTerminal({TERM: 'xterm', LC_CTYPE: 'de_DE.ISO-8859-1', LANG: 'de_DE.UTF-8'}), false);
	const tty = {isTTY: true};
	assert.equal(styleFor(tty, {color: true}, {}, {TERM: 'vt100'}).ascii, true);
	assert.equal(styleFor(tty, {color: true, ascii: false}, {ascii: true}, {TERM: 'vt100'}).ascii, false, 'the flag wins');
	assert.equal(styleFor(tty, {color: true}, {ascii: false}, {TERM: 'vt100'}).ascii, false, 'then what was remembered');
	assert.equal(styleFor(tty, {color: true}, {}, {TERM: 'xterm', LANG: 'en_GB.utf8'}).ascii, false);
});
