import {Agent, type AgentOptions, type ClientRequestArgs} from 'node:http';
import type {Duplex} from 'node:stream';
import type {SshConnection} from './ssh-connection.js';

/**
 * An HTTP agent whose sockets are channels through an engine's ssh master (docker-modem hands
 * dockerode's requests to any agent it is given). With keep-alive, a handful of channels carry
 * every request; the first waits for the master to connect.
 */
export class SshAgent extends Agent {
	readonly #connection: SshConnection;

	constructor(connection: SshConnection, options: AgentOptions) {
		super(options);
		this.#connection = connection;
	}

	override createConnection(_options: ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): undefined {
		this.#connection.connect().then(
			() => callback?.(null, this.#connection.openChannel()),
			(error: unknown) => callback?.(error as Error, undefined as unknown as Duplex),
		);
		return undefined;
	}
}
