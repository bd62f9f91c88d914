import {render} from 'ink-testing-library';
import type {ReactNode} from 'react';
import {LiveMonitor} from '../../source/app/live-monitor.js';
import {Screen, SignalRelay} from '../../source/ui/run-ink.js';
import type {FakeWorld} from '../helpers/fakes.js';

/**
 * Renders a screen as runInk does (style, and the guard that ends it on Ctrl-C or a signal), and
 * records how it ended. Unmount it in afterEach.
 */
export function renderScreen(screen: ReactNode) {
	const ends: number[] = [];
	const signals = new SignalRelay(false);
	const instance = render(<Screen style={{color: false, ascii: false}} signals={signals} onEnd={code => ends.push(code)}>{screen}</Screen>);
	return {...instance, ends, sendSignal: (signal: Parameters<SignalRelay['send']>[0]) => signals.send(signal)};
}

/** The real live monitor over a fake world, with every timer an hour away: only events and the first read change it. */
export function liveMonitor(world: FakeWorld): LiveMonitor {
	const hour = 3_600_000;
	const monitor = new LiveMonitor(world.services, world.services.project.environments, {resyncMs: hour, probeMs: hour, gitMs: hour});
	monitor.start();
	return monitor;
}
