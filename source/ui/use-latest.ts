import {useRef} from 'react';

/**
 * The value of the latest render, for key handlers. Ink re-subscribes a `useInput` handler in an
 * effect, after the frame is written; a key arriving in between would otherwise meet the previous
 * render's values — the wrong container restarted, under load.
 */
export default function useLatest<T>(value: T): {readonly current: T} {
	const ref = useRef(value);
	ref.current = value;
	return ref;
}
