import {execFileSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';

/** A tmux server of the test's own (its own socket), so a developer's sessions are never touched. */
export class TmuxSession {
	readonly socket: string;

	constructor(readonly name: string) {
		this.socket = `opsconsole-test-${name}`;
	}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	start(command: string, columns = 120, rows = 40): void {
		this.tmux('new-session', '-d', '-x', String(columns), '-y', String(rows), '-s', this.name, command);
	}

	sendKeys(...keys: string[]): void {
		this.tmux('send-keys', '-t', this.name, ...keys);
	}

	capture(): string {
		try {
			return this.tmux('capture-pane', '-p', '-t', this.name);
		} catch {
			return '';
		}
	}

	async waitFor(expectation: RegExp, timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const screen = this.capture();
			if (expectation.test(screen)) {
				// As in the UI tests (test/ui/frames.ts): a third-party input (a select list) subscribes to keys in an
				// effect after its frame is out, and on a loaded machine a key sent in that gap is lost.
				await new Promise(resolve => setTimeout(resolve, 100));
				return screen;
			}
			if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(expectation)}; it shows:\n${screen}`);
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	}

	/** Ends the server and removes its socket, which tmux leaves behind. */
	kill(): void {
		let socketFile: string | undefined;
		try {
			socketFile = this.tmux('display-message', '-p', '#{socket_path}').trim();
			this.tmux('kill-server');
		} catch {
			// Already gone.
		}

		socketFile ??= path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket);
		rmSync(socketFile, {force: true});
	}
}
