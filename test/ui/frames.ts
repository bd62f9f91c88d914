/** Keys as a terminal sends them. */
export const keys = {right: '\u001B[C', left: '\u001B[D', down: '\u001B[B', up: '\u001B[A', escape: '\u001B', tab: '\t', enter: '\r'};

/**
 * Polls the last frame until it matches; fails with the frame it ended on. Once it matches it
 * lets the screen settle: Ink subscribes a newly shown input (a select list, a text field) in an
 * effect that can run after its frame is out, and a key sent before that is lost — a person
 * never types that fast, a loaded test machine does.
 */
export async function waitFor(frame: () => string | undefined, expectation: RegExp | ((text: string) => boolean), timeoutMs = 8000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = frame() ?? '';
		if (typeof expectation === 'function' ? expectation(text) : expectation.test(text)) {
			await new Promise(resolve => setTimeout(resolve, 60));
			return text;
		}

		if (Date.now() > deadline) throw new Error(`frame never matched ${String(expectation)}:\n${text}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** Types like a person, one key at a time (pasting is tested on its own). */
export async function typeSlowly(stdin: {write: (text: string) => void}, text: string): Promise<void> {
	for (const character of text) {
		stdin.write(character);
		await new Promise(resolve => setTimeout(resolve, 60));
	}
}
