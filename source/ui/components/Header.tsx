import {Box, Text} from 'ink';
import type {EngineConnection} from '../../app/live-monitor.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly project: string;
	readonly operator: string;
	readonly engines: readonly EngineConnection[];
	readonly readOnly: boolean;
	readonly width: number;
};

/** Project, operator, and each engine's connection: live, connecting or reconnecting with why. */
export default function Header({project, operator, engines, readOnly, width}: Props) {
	const style = useStyle();
	const dot = style.ascii ? '*' : '●';
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate">
				<Text bold>opsconsole</Text> · {project} · {operator}{readOnly ? <Text {...toneProps('warn', style)}> · READ-ONLY</Text> : null}
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
