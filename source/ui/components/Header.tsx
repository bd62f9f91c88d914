import {Box, Text} from 'ink';
import type {EngineConnection} from '../../app/live-monitor.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly project: string;
	readonly operator: string;
	readonly engines: readonly EngineConnection[];
	readonly readOnly: boolean;
	readonly width: number;
	/** When the state shown was read, for a copy that outlives the moment (`--once`). */
	readonly readAt?: Date;
};

/** Project, operator, and each engine's connection: live, connecting or reconnecting with why. */
export default function Header({project, operator, engines, readOnly, width, readAt}: Props) {
	const style = useStyle();
	const dot = style.ascii ? '*' : '●';
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate">
				<Text bold>opsconsole</Text> · {project}{readAt ? ` · ${readAt.toISOString().slice(0, 19).replace('T', ' ')} UTC` : ''} · {operator}{readOnly ? <Text {...toneProps('warn', style)}> · READ-ONLY</Text> : null}
			</Text>
			{engines.map(engine => (
				<Text key={engine.host} wrap="truncate">
					<Text {...toneProps(engine.state === 'live' ? 'good' : engine.state === 'connecting' ? 'muted' : 'bad', style)}>{dot} {engine.state}</Text>
					<Text dimColor> {engine.host}{engine.error ? ` — ${engine.error}` : ''}</Text>
					{engine.caution ? <Text {...toneProps('warn', style)}> ⚠ {engine.caution}</Text> : null}
				</Text>
			))}
		</Box>
	);
}
