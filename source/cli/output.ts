import {createRedactor} from '../core/secrets.js';
import type {StyleOptions} from '../presentation/style.js';

type Writable = {write(text: string): unknown; isTTY?: boolean};

/**
 * Where commands write. Every line passes through the secret redactor, so a value of a
 * secret-looking environment variable never reaches the terminal or a CI log.
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
		this.stdout.write(`${this.#redact(text)}\n`);
	}

	error(text: string): void {
		this.stderr.write(`${this.#redact(text)}\n`);
	}

	json(value: unknown): void {
		this.line(JSON.stringify(value, null, 2));
	}
}
