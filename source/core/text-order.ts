/**
 * Orders for machine-made text. Not String#localeCompare or Intl.Collator: the first of either
 * loads ICU's collation data, 9 to 13 ms of every start-up, and ISO times, ids and Docker's ASCII
 * names need no locale.
 */

/** Code-unit order: ISO times, ids and names as they compare byte by byte. */
export function compareOrdinal(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

const tokens = /\d+|\D/gu;
const letter = /\p{L}/u;
// The root collation's order of the punctuation Docker names may hold.
const punctuation = '_-.';

/** Punctuation and symbols, then digits, then letters, as Intl.Collator ranks them; by a token's first character. */
function classOf(token: string): number {
	const first = token[0]!;
	if (first >= '0' && first <= '9') return 1;
	return letter.test(first) ? 2 : 0;
}

function punctuationRank(character: string): number {
	const rank = punctuation.indexOf(character);
	return rank === -1 ? punctuation.length + character.codePointAt(0)! : rank;
}

function compareTokens(x: string, y: string): number {
	const kind = classOf(x);
	if (kind !== classOf(y)) return kind - classOf(y);
	if (kind === 1) {
		// Digit runs by value, exactly: past 15 digits a Number would call different values equal.
		const [left, right] = [x.replace(/^0+(?=.)/, ''), y.replace(/^0+(?=.)/, '')];
		return left.length - right.length || compareOrdinal(left, right);
	}

	return kind === 0 ? punctuationRank(x) - punctuationRank(y) : compareOrdinal(x.toLowerCase(), y.toLowerCase());
}

/**
 * Natural order as Intl.Collator('en', {numeric: true, sensitivity: 'base'}) gives it for the
 * ASCII names Docker allows: svc2 before svc10, case ignored, punctuation before digits before
 * letters (web-admin before web2).
 */
export function compareNaturally(a: string, b: string): number {
	const left = a.match(tokens) ?? [];
	const right = b.match(tokens) ?? [];
	for (let index = 0; index < Math.min(left.length, right.length); index++) {
		const order = compareTokens(left[index]!, right[index]!);
		if (order !== 0) return order;
	}

	return left.length - right.length;
}
