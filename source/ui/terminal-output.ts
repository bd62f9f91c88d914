import {toAscii} from '../presentation/style.js';

const incrementalFrameStart = /^((?:\u001B\[\?2026h)?)\u001B\[(\d+)A/;

/**
 * Corrects one escape of Ink 6.8's incremental renderer: when the previous frame ended in a
 * newline (every frame shorter than the terminal does), it moves the cursor up one row too few
 * before an update, so each update lands a row lower than the last. An update is the only write
 * that begins with a cursor-up, so that escape is the one adjusted.
 */
export function fixIncrementalUpdate(chunk: string): string {
	return chunk.replace(incrementalFrameStart, (_match, synchronized: string, rows: string) => `${synchronized}\u001B[${Number(rows) + 1}A`);
}

/** The terminal stream, with every write passed through fixIncrementalUpdate (and toAscii when asked). */
export function correctedTerminal(stdout: NodeJS.WriteStream, options: {ascii?: boolean} = {}): NodeJS.WriteStream {
	const transform = options.ascii ? (chunk: string) => toAscii(fixIncrementalUpdate(chunk)) : fixIncrementalUpdate;
	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') {
				return (chunk: unknown, ...rest: unknown[]) => target.write(
					typeof chunk === 'string' ? transform(chunk) : chunk as Uint8Array,
					...rest as [BufferEncoding],
				);
			}

			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...parameters: unknown[]) => unknown).bind(target) : value;
		},
	});
}
