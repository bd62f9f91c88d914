import type {CheckStatus} from '../core/checks.js';
import type {StyleOptions, Tone} from './style.js';

const marks: Record<CheckStatus, {unicode: string; ascii: string}> = {
	pass: {unicode: '✔', ascii: '+'},
	fail: {unicode: '✖', ascii: 'x'},
	skip: {unicode: '–', ascii: '-'},
};

const tones: Record<CheckStatus, Tone> = {pass: 'good', fail: 'bad', skip: 'muted'};

/** A mark that, with the word PASS/FAIL/SKIP beside it, reads without colour. */
export function checkMark(status: CheckStatus, options: Pick<StyleOptions, 'ascii'>): string {
	return options.ascii ? marks[status].ascii : marks[status].unicode;
}

export function checkTone(status: CheckStatus): Tone {
	return tones[status];
}

export function checkWord(status: CheckStatus): string {
	return status.toUpperCase();
}

/** A check's time as it matters: `85 ms`, `1.4 s`, `42 s`. */
export function formatCheckTime(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
	return `${Math.round(ms / 1000)} s`;
}
