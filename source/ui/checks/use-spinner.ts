import {useEffect, useState} from 'react';

const frames = {unicode: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'], ascii: ['|', '/', '-', '\\']};

/** A spinner frame that turns only while `active`: an idle screen never redraws (slow links). */
export default function useSpinner(active: boolean, ascii: boolean): string {
	const [tick, setTick] = useState(0);
	useEffect(() => {
		if (!active) return;
		const timer = setInterval(() => setTick(value => value + 1), 120);
		return () => clearInterval(timer);
	}, [active]);
	const set = ascii ? frames.ascii : frames.unicode;
	return set[tick % set.length]!;
}
