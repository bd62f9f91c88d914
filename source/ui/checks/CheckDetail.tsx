import {Box, Text} from 'ink';
import type {CheckResult} from '../../core/checks.js';
import {printableLine} from '../../core/terminal-text.js';
import {checkMark, checkTone, checkWord, formatCheckTime} from '../../presentation/check-marks.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly result: CheckResult;
	readonly description: string | null;
	readonly scroll: number;
	readonly width: number;
	readonly height: number;
};

/** One check's whole output or response, scrolled with ↑/↓. */
export default function CheckDetail({result, description, scroll, width, height}: Props) {
	const style = useStyle();
	const lines = result.output.length > 0 ? result.output : ['(no output)'];
	const room = Math.max(1, height - 5);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate">
				<Text {...toneProps(checkTone(result.status), style)}>{checkMark(result.status, style)} {checkWord(result.status)}</Text> {result.name} · {result.type} · {formatCheckTime(result.ms)}
			</Text>
			<Text wrap="truncate">{description ? `${description} — ` : ''}{printableLine(result.detail)}</Text>
			<Text dimColor wrap="truncate">{'─'.repeat(Math.max(1, width - 1))}</Text>
			{lines.slice(scroll, scroll + room).map((line, index) => <Text key={scroll + index} wrap="truncate">{printableLine(line) || ' '}</Text>)}
			<Text dimColor wrap="truncate">lines {Math.min(scroll + 1, lines.length)}-{Math.min(scroll + room, lines.length)} of {lines.length} · ↑/↓ scroll · Esc back</Text>
		</Box>
	);
}
