import {Box, Text, useInput} from 'ink';
import {useEffect, useReducer, useRef, useState} from 'react';
import type {ChecklistSource} from '../../app/checklist-source.js';
import type {ChecklistSubject} from '../../app/run-checks.js';
import {runVerdict, summaryLine, type CheckRun} from '../../core/checks.js';
import {printableLine} from '../../core/terminal-text.js';
import {shortSha} from '../../core/words.js';
import {toneProps, useStyle} from '../style-context.js';
import useLatest from '../use-latest.js';
import CheckDetail from './CheckDetail.js';
import ChecklistRows from './ChecklistRows.js';
import {failedIndexes, initialChecklistState, reduceChecklist} from './checklist-state.js';
import PresentView from './PresentView.js';
import useSpinner from './use-spinner.js';

type Props = {
	readonly source: ChecklistSource;
	readonly width: number;
	readonly height: number;
	/** Open in present mode (`--present`). */
	readonly present?: boolean;
	/** Leaving the screen, with the last finished run (undefined when none finished). */
	readonly onDone: (run: CheckRun | undefined) => void;
};

/**
 * The checklist: every check with a spinner while it runs, its mark, time and reason as it
 * finishes; Enter shows a check's whole output, `e` writes the report, `r` re-runs the failed
 * ones, `P` presents it one check at a time.
 */
export default function ChecklistScreen({source, width, height, present = false, onDone}: Props) {
	const style = useStyle();
	const [state, dispatch] = useReducer(reduceChecklist, initialChecklistState(source.items, present));
	const [subject, setSubject] = useState<ChecklistSubject>();
	const [startedAt] = useState(() => new Date());
	const stopping = useRef(new AbortController());
	const spinner = useSpinner(state.running, style.ascii);

	const start = (rerun?: {only: readonly number[]; previous: CheckRun}) => {
		dispatch({type: 'run-started', only: rerun?.only});
		source.run({
			onStart: index => dispatch({type: 'check-started', index}),
			onFinish: (index, result) => dispatch({type: 'check-finished', index, result}),
			onStoreProblem: message => dispatch({type: 'show-message', message: {text: message, tone: 'bad'}}),
			signal: stopping.current.signal,
		}, rerun).then(run => {
			dispatch({type: 'run-finished', run});
			setSubject({env: run.env, release: run.release, commit: run.commit, subject: run.subject});
		}, (error: Error) => dispatch({type: 'run-failed', problem: `the checklist could not run: ${error.message}`}));
	};

	// Once per screen: a parent redrawn by live events must not start the checklist again.
	useEffect(() => {
		source.loadSubject().then(setSubject, () => undefined);
		start();
		const controller = stopping.current;
		return () => controller.abort();
	}, []);

	const writeReport = (run: CheckRun | undefined) => {
		if (!run) {
			dispatch({type: 'show-message', message: {text: 'the report is written once the checks have finished', tone: 'plain'}});
			return;
		}

		source.writeReport(run).then(
			file => dispatch({type: 'show-message', message: {text: `report written: ${file}`, tone: 'good'}}),
			(error: Error) => dispatch({type: 'show-message', message: {text: error.message, tone: 'bad'}}),
		);
	};

	const latest = useLatest(state);
	useInput((input, key) => {
		const state = latest.current;
		const selectedResult = state.rows[state.selected]?.result;
		if (state.present) {
			if (input === ' ' || key.return || key.rightArrow || key.pageDown || input === 'n') dispatch({type: 'reveal', delta: 1});
			else if (key.leftArrow || key.pageUp || input === 'b') dispatch({type: 'reveal', delta: -1});
			else if (key.escape || input === 'P') dispatch({type: 'leave-present'});
			else if (input === 'e') writeReport(state.running ? undefined : state.run);
			else if (input === 'q') onDone(state.run);
			return;
		}

		if (state.detail) {
			const lines = selectedResult?.output.length ?? 1;
			if (key.escape || key.return || input === 'q') dispatch({type: 'close-detail'});
			else if (key.downArrow || input === 'j') dispatch({type: 'scroll-detail', delta: 1, lines});
			else if (key.upArrow || input === 'k') dispatch({type: 'scroll-detail', delta: -1, lines});
			else if (key.pageDown) dispatch({type: 'scroll-detail', delta: Math.max(1, height - 6), lines});
			else if (key.pageUp) dispatch({type: 'scroll-detail', delta: -Math.max(1, height - 6), lines});
			return;
		}

		if (key.escape || input === 'q') onDone(state.run);
		else if (key.downArrow || input === 'j') dispatch({type: 'move', delta: 1});
		else if (key.upArrow || input === 'k') dispatch({type: 'move', delta: -1});
		else if (key.return) dispatch({type: 'open-detail'});
		else if (input === 'P') dispatch({type: 'enter-present'});
		else if (input === 'e') writeReport(state.running ? undefined : state.run);
		else if (input === 'r') {
			const failed = failedIndexes(state);
			if (state.running || !state.run) dispatch({type: 'show-message', message: {text: 'the checks are still running', tone: 'plain'}});
			else if (failed.length === 0) dispatch({type: 'show-message', message: {text: 'nothing failed: nothing to re-run', tone: 'plain'}});
			else start({only: failed, previous: state.run});
		}
	});

	const selectedResult = state.rows[state.selected]?.result;
	if (state.detail && selectedResult) {
		return <CheckDetail result={selectedResult} description={state.items[state.selected]?.description ?? null} scroll={state.detail.scroll} width={width} height={height}/>;
	}

	if (state.present) {
		return <PresentView env={source.env} subject={subject} items={state.items} rows={state.rows} revealed={state.present.revealed} at={startedAt} spinner={spinner} width={width} height={height}/>;
	}

	const finished = state.rows.filter(row => row.result).map(row => row.result!);
	const about = subject ? `${subject.release ?? 'no release'}${subject.commit ? ` · ${shortSha(subject.commit)}${subject.subject ? ` ${printableLine(subject.subject)}` : ''}` : ''}` : 'reading the release…';
	const summary = state.running
		? `${finished.length} of ${state.items.length} done${finished.some(result => result.status === 'fail') ? `, ${finished.filter(result => result.status === 'fail').length} failed so far` : ''}…`
		: state.run ? summaryLine(state.run.checks) : '';
	const verdict = state.run ? runVerdict(state.run.checks) : undefined;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate">checks · {source.env} · {about}</Text>
			<Text> </Text>
			<Box flexGrow={1} flexDirection="column">
				<ChecklistRows items={state.items} rows={state.rows} selected={state.selected} spinner={spinner} width={width} height={height - 7}/>
			</Box>
			<Text wrap="truncate" dimColor>{state.items[state.selected]?.description ?? ' '}</Text>
			<Text wrap="truncate" bold {...toneProps(state.running || !verdict ? 'plain' : verdict === 'PASSED' ? 'good' : 'bad', style)}>{state.running || !verdict ? summary : `${verdict}: ${summary}`}</Text>
			{state.message ? <Text wrap="truncate" {...toneProps(state.message.tone, style)}>{state.message.text}</Text> : <Text> </Text>}
			<Text wrap="truncate" dimColor>↑/↓ select · Enter output · e report · r re-run failed · P present · q back</Text>
		</Box>
	);
}
