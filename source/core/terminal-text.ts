/**
 * C0 and C1 control characters (a newline and a tab excepted), DEL, and the Unicode controls that
 * reorder text on screen: what text from outside could use to move the cursor, clear a screen,
 * retitle a window or disguise itself.
 */
const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const unsafeInLine = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function visible(character: string): string {
	const code = character.codePointAt(0)!;
	return code <= 0xFF ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text from outside (engine, files, git, recipes, the network), safe to show: every control character written out visibly. */
export function printable(text: string): string {
	return text.replace(unsafe, visible);
}

/** The same for a value shown on one line (a name, a label): newlines and tabs are written out too. */
export function printableLine(text: string): string {
	return text.replace(unsafeInLine, visible);
}

const sgr = /\u001B\[[0-9;]*m/y;

/**
 * The last line of defence at the terminal: our own colour codes pass, any other escape or
 * control character is written out visibly.
 */
export function terminalSafe(text: string): string {
	let result = '';
	for (let index = 0; index < text.length;) {
		sgr.lastIndex = index;
		const colour = sgr.exec(text);
		if (colour) {
			result += colour[0];
			index += colour[0].length;
			continue;
		}

		const character = String.fromCodePoint(text.codePointAt(index)!);
		result += character === '\n' || character === '\t' ? character : printable(character);
		index += character.length;
	}

	return result;
}

/** Every string inside a record read from disk made printable (ids and shas pass unchanged). */
export function printableRecord<T>(value: T): T {
	if (typeof value === 'string') return printableLine(value) as T;
	if (Array.isArray(value)) return value.map(item => printableRecord(item as unknown)) as T;
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, printableRecord(item as unknown)])) as T;
	}

	return value;
}
