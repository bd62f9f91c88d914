import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fixIncrementalUpdate, toAscii} from '../../source/ui/terminal-output.js';

test('an incremental update moves up one more row', () => {
	assert.equal(fixIncrementalUpdate('\u001B[3A\u001B[Eline\n'), '\u001B[4A\u001B[Eline\n');
	assert.equal(fixIncrementalUpdate('\u001B[?2026h\u001B[10Arest'), '\u001B[?2026h\u001B[11Arest');
});

test('other writes pass unchanged', () => {
	for (const chunk of ['\u001B[2K\u001B[1A\u001B[2K\u001B[Gframe\n', 'plain text', '\u001B[?25l', 'text\u001B[3A']) {
		assert.equal(fixIncrementalUpdate(chunk), chunk);
	}
});

test('--ascii replaces every glyph width for width, escapes untouched', () => {
	const line = '\u001B[32m● healthy\u001B[39m  staging@1a2b3c4 · 2 pending ↑/↓ ▸ web ✔ ✖ ▲ ⚠ 3↻ … — ╭─╮│╰─╯╔═╗║╚═╝';
	const ascii = toAscii(line);
	assert.equal(ascii, '\u001B[32m* healthy\u001B[39m  staging@1a2b3c4 - 2 pending ^/v > web + x ! ! 3r ~ - +-+|+-++=+|+=+');
	assert.equal([...ascii].length, [...line].length);
	assert.match(ascii, /^[\u0000-\u007F]*$/);
});
