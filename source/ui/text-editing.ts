/** What one input event does to a one-line text field. */
export type TextEdit = {
	readonly value: string;
	/** Set when Enter came: the value at that moment, and anything after it in the burst is dropped. */
	readonly submitted?: string;
	readonly cancelled?: boolean;
};

/** Backspace: the last character goes, a whole code point, never half of one. */
function withoutLastCharacter(value: string): string {
	return [...value].slice(0, -1).join('');
}

/** As a shell's line editor does it, the cursor being always at the end: the last word and the spaces after it go. */
function withoutLastWord(value: string): string {
	return value.replace(/\S*\s*$/u, '');
}

/**
 * Applies one input event to a field's value, character by character. A terminal delivers a
 * paste, or keys repeated faster than a slow link drains, as one chunk ("production\r",
 * "\x7f\x7f"); each character then counts as the key it is: text, Backspace, or Enter, which
 * submits exactly what the field holds at that point. Ctrl-U clears and Ctrl-W takes back a
 * word, as in a shell; other control characters are dropped.
 */
export function applyInput(value: string, input: string, key: {readonly return?: boolean; readonly backspace?: boolean; readonly delete?: boolean; readonly escape?: boolean; readonly ctrl?: boolean; readonly meta?: boolean}): TextEdit {
	if (key.escape && input === '') return {value, cancelled: true};
	if (key.return) return {value, submitted: value};
	if (key.backspace || key.delete) return {value: withoutLastCharacter(value)};
	// Alone, Ctrl-U and Ctrl-W come named; within a burst, as the characters below.
	if (key.ctrl && input === 'u') return {value: ''};
	if (key.ctrl && input === 'w') return {value: withoutLastWord(value)};
	if (key.ctrl) return {value};
	let next = value;
	for (const character of input) {
		if (character === '\r' || character === '\n') return {value: next, submitted: next};
		if (character === '\u007F' || character === '\b') next = withoutLastCharacter(next);
		else if (character === '\u0015') next = '';
		else if (character === '\u0017') next = withoutLastWord(next);
		else if (character >= ' ') next += character;
	}

	return {value: next};
}
