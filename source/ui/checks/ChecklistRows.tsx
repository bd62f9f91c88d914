import {Box, Text} from 'ink';
import {printableLine} from '../../core/terminal-text.js';
import {checkMark, checkTone, checkWord, formatCheckTime} from '../../presentation/check-marks.js';
import {fit} from '../../presentation/format.js';
import {toneProps, useStyle} from '../style-context.js';
import type {ChecklistItem} from '../../app/checklist-source.js';
import type {ChecklistRow} from './checklist-state.js';

type Props = {
	readonly items: readonly ChecklistItem[];
	readonly rows: readonly ChecklistRow[];
	readonly selected: number;
	readonly spinner: string;
	readonly width: number;
	/** How many lines the list may take; it scrolls to keep the selection in view. */
	readonly height: number;
};

/** One line per check: spinner or mark, PASS/FAIL, name, time, reason; in the file's order. */
export default function ChecklistRows({items, rows, selected, spinner, width, height}: Props) {
	const style = useStyle();
	const shown = Math.max(1, height);
	const first = Math.min(Math.max(0, selected - Math.floor(shown / 2)), Math.max(0, items.length - shown));
	const longest = Math.max(0, ...items.map(item => item.name.length));
	const nameWidth = Math.max(8, Math.min(longest, 32, Math.floor(width * 0.4)));
	return (
		<Box flexDirection="column">
			{items.slice(first, first + shown).map((item, offset) => {
				const index = first + offset;
				const row = rows[index]!;
				const result = row.result;
				const pointer = index === selected ? '▸' : ' ';
				const mark = result ? `${checkMark(result.status, style)} ${checkWord(result.status)}` : row.phase === 'running' ? `${spinner} ….` : '  ·   ';
				const time = result ? formatCheckTime(result.ms) : '';
				const rest = result ? printableLine(result.detail) : row.phase === 'running' ? 'running' : 'waiting';
				const tone = result ? checkTone(result.status) : 'muted';
				return (
					<Text key={index} wrap="truncate" inverse={index === selected && style.color}>
						{pointer} <Text {...toneProps(tone, style)}>{fit(mark, 6, style.ascii)}</Text> {fit(item.name, nameWidth, style.ascii)} {fit(time, 7, style.ascii)} <Text dimColor={!result || result.status === 'pass'}>{rest}</Text>
					</Text>
				);
			})}
		</Box>
	);
}
