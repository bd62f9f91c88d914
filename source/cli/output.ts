import {createRedactor} from '../core/secrets.js';
import {terminalSafe} from '../core/terminal-text.js';
import type {StyleOptions} from '../presentation/style.js';

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
		this.stdout.write(`${terminalSafe(this.#redact(text))}\n`);
	}

	error(text: string): void {
		this.stderr.write(`${terminalSafe(this.#redact(text))}\n`);
	}

	/** JSON escapes every control character itself; only secrets need masking. */
	json(value: unknown): void {
		this.stdout.write(`${this.#redact(JSON.stringify(value, null, 2))}\n`);
	}
}
