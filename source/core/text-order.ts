/**
 * Orders for machine-made text. Not String#localeCompare or Intl.Collator: the first of either
 * loads ICU's collation data, 9 to 13 ms of every start-up, and ISO times, ids and Docker's ASCII
 * names need no locale.
 */

/** Code-unit order: ISO times, ids and names as they compare byte by byte. */
export function compareOrdinal(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

const digitRuns = /(\d+)/;

/** Natural order, case ignored: svc2 before svc10, Svc3 between them. */
export function compareNaturally(a: string, b: string): number {
	const left = a.toLowerCase().split(digitRuns);
	const right = b.toLowerCase().split(digitRuns);
	for (let index = 0; index < Math.min(left.length, right.length); index++) {
		const [x, y] = [left[index]!, right[index]!];
		// split() with a capture group puts the digit runs at odd indexes.
		const order = index % 2 === 1 ? Number(x) - Number(y) || x.length - y.length : compareOrdinal(x, y);
		if (order !== 0) return order;
	}

	return left.length - right.length;
}
