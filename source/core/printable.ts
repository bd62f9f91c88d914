/** ANSI escape sequences (CSI, OSC and two-byte escapes) and every other control character. */
const escapeSequences = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])|\u009B[0-?]*[ -/]*[@-~]/g;
const controlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Text from outside (a remote ssh's stderr, an engine's error message) made safe for a terminal:
 * escape sequences and control characters removed, tabs and line breaks kept only when asked.
 */
export function printable(text: string, {multiline = false} = {}): string {
	const cleaned = text.replace(escapeSequences, '').replace(controlCharacters, '');
	return multiline ? cleaned.replace(/\t/g, ' ') : cleaned.replace(/[\t\n]+/g, ' ').trim();
}
