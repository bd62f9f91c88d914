import {useEffect, useState} from 'react';

/**
 * "Now", advancing once a minute: uptimes are shown in minutes or coarser, so a finer clock
 * would only repaint the screen for nothing (bastion users pay for every byte).
 */
export default function useMinuteClock(): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 60_000);
		return () => clearInterval(timer);
	}, []);
	return now;
}
