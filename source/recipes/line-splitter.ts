/** Longest line kept whole; the rest of a longer one is dropped, so one endless line costs bounded memory. */
export const maximumLineLength = 64 * 1024;

/**
 * Splits a stream's text into lines without ever holding more than one bounded line: a line
 * longer than `maximumLength` is cut there, marked, and the remainder skipped up to its newline.
 */
export class LineSplitter {
	#pending = '';
	#skipping = false;

	constructor(private readonly onLine: (line: string) => void, private readonly maximumLength = maximumLineLength) {}

	push(text: string): void {
		let rest = text;
		for (;;) {
			const newline = rest.indexOf('\n');
			if (newline === -1) break;
			this.#take(rest.slice(0, newline));
			this.#finishLine();
			rest = rest.slice(newline + 1);
		}

		this.#take(rest);
	}

	/** Emits what is left when the stream ends without a final newline. */
	end(): void {
		if (this.#pending || this.#skipping) this.#finishLine();
	}

	#take(text: string): void {
		if (this.#skipping) return;
		this.#pending += text;
		if (this.#pending.length <= this.maximumLength) return;
		this.onLine(`${this.#pending.slice(0, this.maximumLength).replace(/\r$/, '')} … [line cut at ${Math.round(this.maximumLength / 1024)} KiB]`);
		this.#pending = '';
		this.#skipping = true;
	}

	#finishLine(): void {
		if (!this.#skipping) this.onLine(this.#pending.replace(/\r$/, ''));
		this.#pending = '';
		this.#skipping = false;
	}
}
