import {Box, Text} from 'ink';
import type {EnvironmentStatus} from '../../app/collect-status.js';
import type {EngineConnection} from '../../app/live-monitor.js';
import {plural} from '../../core/words.js';
import {fit, formatAge, shortRelease} from '../../presentation/format.js';
import {environmentHealthSymbol, environmentHealthTone} from '../../presentation/style.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly environments: readonly EnvironmentStatus[];
	readonly engines: readonly EngineConnection[];
	/** The selected environment's index, or -1 where nothing is selected (`--once`). */
	readonly selected: number;
	readonly width: number;
	readonly now: number;
};

/** Every environment at a glance, one line each: health in a word, what it runs, what is pending, who holds its lock. */
export default function EnvironmentStrip({environments, engines, selected, width, now}: Props) {
	const style = useStyle();
	const nameWidth = Math.max(...environments.map(environment => environment.name.length), 4);
	const releaseText = (environment: EnvironmentStatus) => environment.release ? shortRelease(environment.release) : 'no release';
	// As wide as the longest release shown, so a lock's message is not pushed off an 80-column line by padding.
	const releaseWidth = Math.min(19, Math.max(...environments.map(environment => releaseText(environment).length)));
	return (
		<Box flexDirection="column" width={width}>
			{environments.map((environment, index) => {
				const chosen = index === selected;
				const lock = environment.lock;
				// Before its engine first answers, an environment is connecting, not unknown.
				const connecting = engines.find(engine => engine.host === environment.engine.host)?.state === 'connecting' && !environment.engine.reachable;
				return (
					<Text key={environment.name} wrap="truncate">
						<Text bold={chosen}>{chosen ? (style.ascii ? '>' : '▸') : ' '} </Text>
						{connecting ? <Text dimColor>{style.ascii ? '.' : '…'} {fit('connecting', 10)}</Text> : <Text {...toneProps(environmentHealthTone(environment.health), style)}>{environmentHealthSymbol(environment.health, style)} {fit(environment.health, 10)}</Text>}
						<Text bold={chosen}> {fit(environment.name, nameWidth)} </Text>
						<Text dimColor={!environment.release}>{fit(connecting && !environment.release ? '' : releaseText(environment), releaseWidth)}</Text>
						{environment.pending ? <Text> {environment.pending} pending</Text> : null}
						{lock ? <Text {...toneProps(lock.stale ? 'bad' : 'warn', style)}> {lock.stale ? 'stale lock' : 'locked'} by {lock.operator}, {formatAge(lock.since, now)} ({lock.message ?? lock.action})</Text> : null}
						{environment.attention.length > 0 ? <Text {...toneProps('warn', style)}> {style.ascii ? '!' : '⚠'} {plural(environment.attention.length, 'note')}</Text> : null}
					</Text>
				);
			})}
		</Box>
	);
}
