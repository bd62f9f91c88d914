import {Box, Text} from 'ink';
import type {ChecklistItem} from '../../app/checklist-source.js';
import type {ChecklistSubject} from '../../app/run-checks.js';
import {countByStatus, runVerdict, summaryLine, type CheckResult} from '../../core/checks.js';
import {printableLine} from '../../core/terminal-text.js';
import {shortSha} from '../../core/words.js';
import {checkMark, checkTone, checkWord, formatCheckTime} from '../../presentation/check-marks.js';
import {fit} from '../../presentation/format.js';
import {toneProps, useStyle} from '../style-context.js';
import type {ChecklistRow} from './checklist-state.js';

type Props = {
	readonly env: string;
	readonly subject: ChecklistSubject | undefined;
	readonly items: readonly ChecklistItem[];
	readonly rows: readonly ChecklistRow[];
	readonly revealed: number;
	readonly at: Date;
	readonly spinner: string;
	readonly width: number;
	readonly height: number;
};

/** Lines one revealed check takes: its result, its description, its reason when it failed, a blank. */
function slideOf(item: ChecklistItem, row: ChecklistRow): number {
	return 2 + (item.description ? 1 : 0) + (row.result?.status === 'fail' ? 1 : 0);
}

function Banner({env, subject, at, width}: Pick<Props, 'env' | 'subject' | 'at' | 'width'>) {
	const style = useStyle();
	const rule = '═'.repeat(Math.max(1, width - 1));
	const release = subject ? `${subject.release ?? 'no release'}${subject.commit ? ` · ${shortSha(subject.commit)}${subject.subject ? ` ${subject.subject}` : ''}` : ''}` : 'reading the release…';
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">{rule}</Text>
			<Text bold wrap="truncate" {...toneProps('plain', style)}>  {env.toUpperCase()} · RELEASE CHECKS</Text>
			<Text wrap="truncate">  {printableLine(release)}</Text>
			<Text wrap="truncate" dimColor>  {at.toISOString().slice(0, 16).replace('T', ' ')} UTC</Text>
			<Text wrap="truncate">{rule}</Text>
		</Box>
	);
}

function RevealedCheck({item, row, spinner, width}: {readonly item: ChecklistItem; readonly row: ChecklistRow; readonly spinner: string; readonly width: number}) {
	const style = useStyle();
	const result: CheckResult | undefined = row.result;
	const mark = result ? `${checkMark(result.status, style)} ${checkWord(result.status)}` : `${spinner} …`;
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text wrap="truncate" bold>
				  <Text {...toneProps(result ? checkTone(result.status) : 'muted', style)}>{fit(mark, 7, style.ascii)}</Text> {fit(item.name, Math.max(10, width - 22), style.ascii)} {result ? formatCheckTime(result.ms) : 'running'}
			</Text>
			{item.description ? <Text wrap="truncate" dimColor>           {item.description}</Text> : null}
			{result?.status === 'fail' ? <Text wrap="truncate" {...toneProps('bad', style)}>           {printableLine(result.detail)}</Text> : null}
		</Box>
	);
}

function SummarySlide({rows, items, width}: {readonly rows: readonly ChecklistRow[]; readonly items: readonly ChecklistItem[]; readonly width: number}) {
	const style = useStyle();
	const results = rows.flatMap(row => (row.result ? [row.result] : []));
	if (results.length < items.length) return <Text dimColor>  waiting for {items.length - results.length} check{items.length - results.length === 1 ? '' : 's'} to finish…</Text>;
	const counts = countByStatus(results);
	const failures = results.filter(result => result.status === 'fail');
	const verdict = runVerdict(results);
	const headline = verdict === 'PASSED' ? `ALL ${results.length} CHECKS PASSED` : verdict === 'FAILED' ? `${failures.length} OF ${results.length} CHECKS FAILED` : `${counts.skip} OF ${results.length} CHECKS DID NOT RUN`;
	return (
		<Box flexDirection="column">
			<Text bold {...toneProps(verdict === 'PASSED' ? 'good' : 'bad', style)}>  {checkMark(verdict === 'PASSED' ? 'pass' : 'fail', style)} {headline}</Text>
			<Text> </Text>
			<Text wrap="truncate">  {counts.pass} passed · {counts.fail} failed · {counts.skip} skipped</Text>
			<Text> </Text>
			{failures.map(failure => <Text key={failure.name} wrap="truncate" {...toneProps('bad', style)}>  {checkMark('fail', style)} {fit(failure.name, Math.min(30, width - 6), style.ascii)} {printableLine(failure.detail)}</Text>)}
			{failures.length > 0 ? <Text> </Text> : null}
			<Text wrap="truncate" dimColor>  {summaryLine(results)}</Text>
		</Box>
	);
}

/** Present mode: a banner, then one check per key press with its description, then a summary slide. */
export default function PresentView({env, subject, items, rows, revealed, at, spinner, width, height}: Props) {
	const summary = revealed > items.length;
	const bannerLines = 5;
	const room = Math.max(2, height - bannerLines - 3);
	// The newest revealed checks that fit, the latest at the bottom where the eye is.
	let first = Math.min(revealed, items.length);
	for (let used = 0; first > 0 && used + slideOf(items[first - 1]!, rows[first - 1]!) <= room;) {
		used += slideOf(items[first - 1]!, rows[first - 1]!);
		first--;
	}

	const shown = items.slice(first, Math.min(revealed, items.length));
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Banner env={env} subject={subject} at={at} width={width}/>
			<Text> </Text>
			<Box flexDirection="column" flexGrow={1}>
				{summary ? <SummarySlide rows={rows} items={items} width={width}/> : revealed === 0 ? (
					<Text>  {items.length} check{items.length === 1 ? '' : 's'} on {env}. Press Space to reveal the first.</Text>
				) : shown.map((item, offset) => <RevealedCheck key={first + offset} item={item} row={rows[first + offset]!} spinner={spinner} width={width}/>)}
			</Box>
			<Text wrap="truncate" dimColor>
				{summary ? 'summary' : revealed === 0 ? `${items.length} checks` : `check ${revealed} of ${items.length}`} · Space/→ next · ← back · e report · Esc list · q quit
			</Text>
		</Box>
	);
}
