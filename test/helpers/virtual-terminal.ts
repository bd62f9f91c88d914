/**
 * Just enough of a terminal to replay what Ink writes: text, newlines, cursor up / next line /
 * column, and line erasure. Screen content is what a person would see.
 */
export class VirtualTerminal {
	readonly lines: string[] = [''];
	#row = 0;
	#column = 0;

	constructor(readonly columns = 80) {}

	write(data: string): void {
		const pattern = /\u001B\[(\??)(\d*)(?:;(\d*))?([A-Za-z])|\n|\r|[^\u001B\n\r]+/g;
		for (const match of data.matchAll(pattern)) {
			const [token, privateMode, first, , command] = match;
			if (token === '\n') this.#moveTo(this.#row + 1, 0);
			else if (token === '\r') this.#column = 0;
			else if (command && privateMode) continue;
			else if (command) this.#escape(command, first === '' || first === undefined ? undefined : Number(first));
			else this.#text(token);
		}
	}

	get screen(): string {
		return this.lines.map(line => line.trimEnd()).join('\n').trimEnd();
	}

	#moveTo(row: number, column: number): void {
		this.#row = Math.max(0, row);
		this.#column = column;
		while (this.lines.length <= this.#row) this.lines.push('');
	}

	#escape(command: string, count: number | undefined): void {
		const line = this.lines[this.#row] ?? '';
		switch (command) {
			case 'A':
				this.#moveTo(this.#row - (count ?? 1), this.#column);
				break;
			case 'B':
				this.#moveTo(this.#row + (count ?? 1), this.#column);
				break;
			case 'E':
				this.#moveTo(this.#row + (count ?? 1), 0);
				break;
			case 'G':
				this.#column = (count ?? 1) - 1;
				break;
			case 'K':
				this.lines[this.#row] = count === 2 ? '' : line.slice(0, this.#column);
				break;
			default:
				break;
		}
	}

	#text(text: string): void {
		const line = (this.lines[this.#row] ?? '').padEnd(this.#column);
		this.lines[this.#row] = line.slice(0, this.#column) + text + line.slice(this.#column + text.length);
		this.#column += text.length;
	}
}
