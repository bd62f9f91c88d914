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
