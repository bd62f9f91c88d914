import {Box, Text} from 'ink';
import {fit} from '../../presentation/format.js';
import {dashboardKeys} from '../keys.js';

type Props = {
	readonly readOnly: boolean;
	readonly width: number;
};

/** Every key with what it does; mutating ones marked when read-only. */
export default function HelpOverlay({readOnly, width}: Props) {
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1} width={Math.min(width, 78)}>
			<Text bold>Keys</Text>
			{dashboardKeys.map(key => (
				<Text key={key.keys} wrap="truncate" dimColor={readOnly && key.mutating === true}>
					{fit(key.keys, 10)} {key.does}{readOnly && key.mutating ? ' (read-only)' : ''}
				</Text>
			))}
			<Text dimColor>Esc or ? closes this help</Text>
		</Box>
	);
}
