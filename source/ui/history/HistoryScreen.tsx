import {Box, Text, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {HistorySource} from '../../app/history-source.js';
import {summaryLine} from '../../core/checks.js';
import {checksColumn, latestRunOn} from '../../core/release-checks.js';
import type {ReleaseRecord} from '../../core/release.js';
import {shortSha} from '../../core/words.js';
import {fit, formatAge, formatDuration} from '../../presentation/format.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly env: string;
	readonly source: HistorySource;
	readonly width: number;
	readonly height: number;
	readonly onClose: () => void;
	/** `r`: open the rollback picker on this release's commit. */
	readonly onRollback: (record: ReleaseRecord) => void;
};

const outcomeTone = (outcome: ReleaseRecord['outcome']) => (outcome === 'succeeded' ? 'good' : outcome === 'running' || outcome === 'rolled-back' ? 'warn' : 'bad');

function took(record: ReleaseRecord): string {
	return record.finishedAt ? formatDuration(Date.parse(record.finishedAt) - Date.parse(record.startedAt)) : '…';
}

/** One release in full: steps with their times, the error, the checks on it, its log's last lines. */
function ReleaseDetail({record, source, runs, width, height}: {readonly record: ReleaseRecord; readonly source: HistorySource; readonly runs: ReturnType<HistorySource['checkRuns']>; readonly width: number; readonly height: number}) {
	const style = useStyle();
	const [log, setLog] = useState<{lines: string[]} | {problem: string}>();
	const room = Math.max(3, height - record.steps.length - 9);
	useEffect(() => {
		void source.logTail(record, room).then(setLog);
	}, [record.id]);
	const run = latestRunOn(runs, record.id);
	const now = Date.now();
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate">
				{record.id} · {record.kind}{record.from ? ` from ${record.from}` : ''} · <Text {...toneProps(outcomeTone(record.outcome), style)}>{record.outcome}</Text>
			</Text>
			<Text wrap="truncate">commit {shortSha(record.commit)} (was {shortSha(record.previous)}) · by {record.operator} on {record.host} · {formatAge(record.startedAt, now)} ago · took {took(record)}</Text>
			<Text wrap="truncate" {...toneProps(run ? (checksColumn(run).endsWith('ok') ? 'good' : 'bad') : 'muted', style)}>
				checks: {run ? `${summaryLine(run.checks)} (run ${run.id} by ${run.operator}, ${formatAge(run.finishedAt, now)} ago)` : 'never run on this release'}
			</Text>
			<Text dimColor>steps:</Text>
			{record.steps.map(step => (
				<Text key={step.id} wrap="truncate">
					{'  '}<Text {...toneProps(step.ok === undefined ? 'warn' : step.ok ? 'good' : 'bad', style)}>{step.ok === undefined ? '…' : step.ok ? '✔' : '✖'}</Text> {fit(step.name, 28, style.ascii)} {step.ms === undefined ? '' : formatDuration(step.ms)}{step.error ? `  ${step.error}` : ''}
				</Text>
			))}
			{record.error ? <Text wrap="wrap" {...toneProps('bad', style)}>error: {record.error}</Text> : null}
			<Text dimColor wrap="truncate">log{record.logFile ? ` (${record.logFile})` : ''}:</Text>
			{!log ? <Text dimColor>reading…</Text> : 'problem' in log ? <Text dimColor wrap="truncate">  {log.problem}</Text> : log.lines.map((line, index) => <Text key={index} wrap="truncate">  {line}</Text>)}
			<Box flexGrow={1}/>
			<Text dimColor wrap="truncate">r roll back to this release · Esc back</Text>
		</Box>
	);
}

/** The selected environment's releases, newest first; Enter shows one; `r` opens the rollback picker on it. */
export default function HistoryScreen({env, source, width, height, onClose, onRollback}: Props) {
	const style = useStyle();
	// Read once when the screen opens: live redraws of the dashboard behind it must not re-read the files.
	const [records] = useState(() => source.releases());
	const [runs] = useState(() => source.checkRuns());
	const [selected, setSelected] = useState(0);
	const [open, setOpen] = useState(false);
	// Where the keys already typed left things: two keys in one burst must not meet the same state.
	const now = useRef({selected, open});
	const select = (index: number) => {
		now.current = {...now.current, selected: index};
		setSelected(index);
	};

	const show = (opened: boolean) => {
		now.current = {...now.current, open: opened};
		setOpen(opened);
	};

	useInput((input, key) => {
		const {selected, open} = now.current;
		const record = records[selected];
		if (input === 'r' && record) onRollback(record);
		else if (open && (key.escape || input === 'q' || key.return)) show(false);
		else if (open) return;
		else if (key.escape || input === 'q') onClose();
		else if (key.return && record) show(true);
		else if (key.downArrow || input === 'j') select(Math.min(selected + 1, records.length - 1));
		else if (key.upArrow || input === 'k') select(Math.max(selected - 1, 0));
	});

	const record = records[selected];
	if (open && record) return <ReleaseDetail record={record} source={source} runs={runs} width={width} height={height}/>;
	const rows = Math.max(1, height - 4);
	const first = Math.min(Math.max(0, selected - Math.floor(rows / 2)), Math.max(0, records.length - rows));
	const at = Date.now();
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate">history · {env} · newest first</Text>
			<Text dimColor wrap="truncate">{`  ${fit('WHEN', 5)} ${fit('KIND', 9)} ${fit('OUTCOME', 11)} ${fit('COMMIT', 7)} ${fit('TOOK', 5)} ${fit('CHECKS', 7)} WHO`}</Text>
			{records.length === 0 ? <Text dimColor>no releases of {env} recorded yet</Text> : records.slice(first, first + rows).map((item, offset) => (
				<Text key={item.id} wrap="truncate" inverse={first + offset === selected && style.color}>
					{first + offset === selected ? '▸' : ' '} {fit(formatAge(item.startedAt, at), 5)} {fit(item.kind, 9)} <Text {...toneProps(outcomeTone(item.outcome), style)}>{fit(item.outcome, 11)}</Text> {fit(shortSha(item.commit), 7)} {fit(took(item), 5)} {fit(checksColumn(latestRunOn(runs, item.id)), 7, style.ascii)} {item.operator}
				</Text>
			))}
			<Box flexGrow={1}/>
			<Text dimColor wrap="truncate">↑/↓ select · Enter steps, error, log · r roll back to it · Esc back</Text>
		</Box>
	);
}
