import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Box, render, Text} from 'ink';
import {toAscii} from '../../source/presentation/style.js';
import {correctedTerminal, fixIncrementalUpdate} from '../../source/ui/terminal-output.js';
import {repositoryRoot} from '../helpers/cli.js';
import {VirtualTerminal} from '../helpers/virtual-terminal.js';

/** A TTY-like stream of 80×24 whose writes land in a virtual terminal. */
function ttyInto(terminal: VirtualTerminal): NodeJS.WriteStream {
	return Object.assign(new EventEmitter(), {isTTY: true, columns: 80, rows: 24, write: (data: string) => {
		terminal.write(data);
		return true;
	}}) as unknown as NodeJS.WriteStream;
}

function Frame({middle}: {readonly middle: string}) {
	return (
		<Box flexDirection="column">
			<Text>header</Text>
			<Text>{middle}</Text>
			<Text>footer</Text>
		</Box>
	);
}

/** Draws a three-line frame, then changes its middle line, as the dashboard does on an event. */
async function drawTwice(stdout: NodeJS.WriteStream): Promise<void> {
	const instance = render(<Frame middle="first"/>, {stdout, incrementalRendering: true, patchConsole: false, exitOnCtrlC: false});
	await new Promise(resolve => setTimeout(resolve, 60));
	instance.rerender(<Frame middle="second"/>);
	await new Promise(resolve => setTimeout(resolve, 60));
	instance.unmount();
}

test('Ink 6.8 still draws an incremental update one row too low, the reason for the correction (upgrading Ink? drop it if this fails)', async () => {
	const pinned = (JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {dependencies: Record<string, string>}).dependencies['ink'];
	assert.equal(pinned, '6.8.0', 'ink stays pinned to the version whose behaviour this corrects');
	const terminal = new VirtualTerminal();
	await drawTwice(ttyInto(terminal));
	assert.equal(terminal.screen, 'header\nfirst\nsecond', 'upstream moves up one row too few, so the changed line lands on the footer');
});

test('through the corrected terminal, the update lands where it belongs', async () => {
	const terminal = new VirtualTerminal();
	await drawTwice(correctedTerminal(ttyInto(terminal)));
	assert.equal(terminal.screen, 'header\nsecond\nfooter');
});

test('only the cursor-up that starts an update is adjusted', () => {
	assert.equal(fixIncrementalUpdate('\u001B[3A\u001B[Eline\n'), '\u001B[4A\u001B[Eline\n');
	assert.equal(fixIncrementalUpdate('\u001B[?2026h\u001B[10Arest'), '\u001B[?2026h\u001B[11Arest');
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
