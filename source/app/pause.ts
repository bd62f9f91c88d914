/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	await new Promise<void>(resolve => {
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}

		signal?.addEventListener('abort', done, {once: true});
	});
}
