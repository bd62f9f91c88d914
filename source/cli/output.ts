import {createRedactor} from '../core/secrets.js';
import {terminalSafe} from '../core/terminal-text.js';
import {toAscii, type StyleOptions} from '../presentation/style.js';

type Writable = {write(text: string): unknown; isTTY?: boolean};

/**
 * Where commands write. Every line passes through the secret redactor, so a value of a
 * secret-looking environment variable never reaches the terminal or a CI log, and through
 * terminalSafe, so no escape sequence but our own colours reaches the terminal.
 */
export class Output {
	readonly #redact: (text: string) => string;

	constructor(
		readonly style: StyleOptions,
		private readonly stdout: Writable = process.stdout,
		private readonly stderr: Writable = process.stderr,
		environment: NodeJS.ProcessEnv = process.env,
	) {
		this.#redact = createRedactor(environment);
	}

	line(text = ''): void {
		this.stdout.write(`${this.#forTerminal(text)}\n`);
	}

	error(text: string): void {
		this.stderr.write(`${this.#forTerminal(text)}\n`);
	}

	#forTerminal(text: string): string {
		const safe = terminalSafe(this.#redact(text));
		return this.style.ascii ? toAscii(safe) : safe;
	}

	/**
	 * JSON escapes C0 controls itself; DEL, C1 and the bidi controls it leaves raw are escaped
	 * here the same lossless way (\\uXXXX), so a value read back is the value, and a terminal showing
	 * it is not fooled.
	 */
	json(value: unknown): void {
		const text = JSON.stringify(value, null, 2).replace(/[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);
		this.stdout.write(`${this.#redact(text)}\n`);
	}
}
