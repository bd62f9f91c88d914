import type {ContainerHealth} from '../core/container.js';
import type {EnvironmentHealth} from '../core/health.js';

export type Tone = 'good' | 'warn' | 'bad' | 'muted' | 'plain';

/** How output may decorate itself: one switch each for colour and for non-ASCII symbols. */
export type StyleOptions = {
	readonly color: boolean;
	readonly ascii: boolean;
};

const environmentHealthTones: Record<EnvironmentHealth, Tone> = {healthy: 'good', degraded: 'warn', down: 'bad', unknown: 'muted'};

const environmentHealthSymbols: Record<EnvironmentHealth, {unicode: string; ascii: string}> = {
	healthy: {unicode: '●', ascii: '+'},
	degraded: {unicode: '▲', ascii: '!'},
	down: {unicode: '✖', ascii: 'x'},
	unknown: {unicode: '?', ascii: '?'},
};

export function environmentHealthTone(health: EnvironmentHealth): Tone {
	return environmentHealthTones[health];
}

/** A symbol that, with the word beside it, reads without colour. */
export function environmentHealthSymbol(health: EnvironmentHealth, options: Pick<StyleOptions, 'ascii'>): string {
	const symbols = environmentHealthSymbols[health];
	return options.ascii ? symbols.ascii : symbols.unicode;
}

export function containerTone(state: string, health: ContainerHealth): Tone {
	if (state !== 'running') return state === 'restarting' || state === 'paused' || state === 'created' ? 'warn' : 'bad';
	if (health === 'unhealthy') return 'bad';
	if (health === 'starting') return 'warn';
	return 'good';
}

const ansiCodes: Record<Tone, [number, number] | undefined> = {good: [32, 39], warn: [33, 39], bad: [31, 39], muted: [2, 22], plain: undefined};

export function paint(text: string, tone: Tone, options: Pick<StyleOptions, 'color'>): string {
	const codes = ansiCodes[tone];
	return options.color && codes ? `\u001B[${codes[0]}m${text}\u001B[${codes[1]}m` : text;
}

/** Colour is on for a terminal unless NO_COLOR (any value) or --no-color says otherwise. */
export function colorWanted(stream: {isTTY?: boolean}, colorFlag: boolean, environment: NodeJS.ProcessEnv = process.env): boolean {
	const noColor = environment['NO_COLOR'];
	return colorFlag && (noColor === undefined || noColor === '') && stream.isTTY === true;
}

/** One ASCII character for each non-ASCII one opsconsole draws: same width, so layouts stay aligned. */
const asciiGlyphs: Record<string, string> = {
	'·': '-', '…': '~', '—': '-', '−': '-', '→': '>', '←': '<', '↑': '^', '↓': 'v', '✔': '+', '✖': 'x', '●': '*', '▸': '>', '▲': '!',
	'⚠': '!', '↻': 'r', '❯': '>', '▌': '_', '•': '*', '–': '-',
	'─': '-', '━': '-', '═': '=', '│': '|', '┃': '|', '║': '|',
	'╭': '+', '╮': '+', '╰': '+', '╯': '+', '┌': '+', '┐': '+', '└': '+', '┘': '+', '╔': '+', '╗': '+', '╚': '+', '╝': '+',
};
const asciiPattern = new RegExp(`[${Object.keys(asciiGlyphs).join('')}]`, 'g');

/** ASCII as one switch where text leaves for the terminal: every glyph opsconsole uses, replaced width for width. */
export function toAscii(text: string): string {
	return text.replace(asciiPattern, glyph => asciiGlyphs[glyph] ?? glyph);
}

/** Terminals that draw no Unicode: the VT family and `dumb` by name, and any locale that names a charset other than UTF-8 (`LANG=C`). */
export function unicodeTerminal(environment: NodeJS.ProcessEnv = process.env): boolean {
	if (/^(dumb|vt\d+|ansi)$/.test(environment['TERM'] ?? '')) return false;
	// The first of these that is set decides, as setlocale(3) has it; none set is a modern terminal's default.
	const locale = environment['LC_ALL'] || environment['LC_CTYPE'] || environment['LANG'];
	return !locale || /utf-?8/i.test(locale);
}

/**
 * The style of one run: `--ascii`/`--no-ascii` when given, else what the operator asked to remember,
 * else what the terminal can draw; colour as colorWanted decides.
 */
export function styleFor(stream: {isTTY?: boolean}, flags: {readonly color: boolean; readonly ascii?: boolean}, remembered: {readonly ascii?: boolean} = {}, environment: NodeJS.ProcessEnv = process.env): StyleOptions {
	return {color: colorWanted(stream, flags.color, environment), ascii: flags.ascii ?? remembered.ascii ?? !unicodeTerminal(environment)};
}
