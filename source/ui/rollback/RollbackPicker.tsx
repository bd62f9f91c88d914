import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {useEffect, useState} from 'react';
import type {RollbackSource} from '../../app/operation-face.js';
import type {CommitSummary} from '../../core/commit.js';
import {stepsUnderWay, type FlowState} from '../../core/operation-flow.js';
import {defaultRollbackTarget, type RollbackCandidate} from '../../core/rollback-candidates.js';
import {plural, shortSha} from '../../core/words.js';
import {fit, formatAge} from '../../presentation/format.js';
import {rebuildColumn, rebuildNote} from '../../presentation/rebuild-cost.js';
import TextField from '../components/TextField.js';
import ConfirmPrompt from '../operation/ConfirmPrompt.js';
import FailureChoicePrompt from '../operation/FailureChoicePrompt.js';
import StepList from '../operation/StepList.js';
import useOperation from '../operation/use-operation.js';
import useLatest from '../use-latest.js';
import {toneProps, useStyle} from '../style-context.js';


type Props = {
	readonly env: string;
	readonly source: RollbackSource;
	readonly width: number;
	readonly height: number;
	/** Start filtered to this text (e.g. a commit chosen in history). */
	readonly initialFilter?: string;
	/** Called with the final state (undefined when abandoned before anything ran). */
	readonly onDone: (state: FlowState | undefined) => void;
};

function candidateLabel(candidate: RollbackCandidate, now: number): string {
	const when = candidate.at ? formatAge(candidate.at, now) : '—';
	const mark = candidate.running ? '(running) ' : candidate.held ? 'HELD ' : candidate.unverified ? 'UNVERIFIED ' : '';
	return `${fit(shortSha(candidate.commit), 8)}${fit(when, 5)}${fit(candidate.outcome ?? '—', 12)}${fit(rebuildColumn(candidate), 11)}${fit(candidate.operator ?? '—', 17)} ${mark}${candidate.subject ?? ''}`;
}

/** Pick an earlier release (newest first, filterable), see what it undoes, confirm, watch it run. */
export default function RollbackPicker({env, source, width, height, initialFilter, onDone}: Props) {
	const style = useStyle();
	const [candidates, setCandidates] = useState<RollbackCandidate[]>();
	const [loadProblem, setLoadProblem] = useState<string>();
	const [highlighted, setHighlighted] = useState<RollbackCandidate>();
	const [undone, setUndone] = useState<CommitSummary[]>();
	const [filter, setFilter] = useState(initialFilter ?? '');
	const [filtering, setFiltering] = useState(false);
	const [chosen, setChosen] = useState<RollbackCandidate>();
	const [askCancel, setAskCancel] = useState(false);
	const operation = useOperation();
	const now = Date.now();
	const needle = filter.toLowerCase();
	const shown = (candidates ?? []).filter(candidate => !needle || [candidate.commit, candidate.release ?? '', candidate.subject ?? '', candidate.operator ?? '', candidate.outcome ?? ''].some(text => text.toLowerCase().includes(needle)));
	const selectable = shown.filter(candidate => !candidate.running);
	const preferred = defaultRollbackTarget(shown);
	const detail = selectable.find(candidate => candidate === highlighted) ?? preferred ?? selectable[0];
	useEffect(() => {
		source.loadCandidates().then(setCandidates, (error: Error) => setLoadProblem(error.message));
	}, [source]);

	useEffect(() => {
		setUndone(undefined);
		if (!detail) return;
		let current = true;
		source.commitsUndone(detail).then(commits => current && setUndone(commits), () => current && setUndone([]));
		return () => {
			current = false;
		};
	}, [detail?.commit, source]);

	const latest = useLatest({operation, chosen, askCancel, filtering});
	useInput((input, key) => {
		const {operation, chosen, askCancel, filtering} = latest.current;
		if (operation.finished || operation.problem) {
			onDone(operation.finished);
			return;
		}

		if (chosen && !operation.confirmation) {
			if (operation.failure) return;
			if (askCancel) {
				setAskCancel(false);
				if (input === 'y' || input === 'Y') operation.cancel();
			} else if (input === 'q') {
				setAskCancel(true);
			}

			return;
		}

		if (chosen || filtering) return;
		if (key.escape || input === 'q') onDone(undefined);
		else if (input === '/') setFiltering(true);
	});

	if (loadProblem) return <Text {...toneProps('bad', style)}>cannot list {env}'s releases: {loadProblem} (any key returns)</Text>;
	if (!candidates) return <Text dimColor>reading {env}'s releases, release tags and images…</Text>;

	if (chosen) {
		const state = operation.state;
		return (
			<Box flexDirection="column" width={width} height={height}>
				<Text bold wrap="truncate">rollback · {env} → {shortSha(chosen.commit)} {chosen.subject ?? ''}</Text>
				{state?.releaseId ? <StepList state={state} outputLines={Math.max(3, height - state.steps.length - 12)} width={width}/> : null}
				{operation.failure && state?.phase === 'deciding' ? <FailureChoicePrompt state={state} decision={operation.failure.decision} onChoose={operation.failure.answer}/> : null}
				{operation.confirmation ? (
					<ConfirmPrompt
						need={operation.confirmation.need}
						summary={`Roll ${env} back to ${shortSha(chosen.commit)}${chosen.release ? ` (${chosen.release})` : ''}: its containers, ${chosen.imagePresent ? 'reusing the image' : `rebuilding the image${rebuildNote(chosen)}`}, undoing ${state?.plan ? plural(state.plan.commits.length, 'commit') : 'its later commits'}. ${state?.plan ? `Branch: ${state.plan.branch.note}.` : ''}`}
						onAnswer={operation.confirmation.answer}
					/>
				) : null}
				{state?.outcome === 'refused' ? <Text {...toneProps('bad', style)} wrap="wrap">refused, nothing changed: {state.error}</Text> : null}
				{state?.release && state.outcome !== 'refused' ? (
					<Text {...toneProps(state.outcome === 'succeeded' ? 'good' : 'bad', style)} wrap="wrap">{state.outcome}: release {state.release.id}{state.error ? ` — ${state.error}` : ''}</Text>
				) : null}
				{operation.problem ? <Text {...toneProps('bad', style)}>{operation.problem}</Text> : null}
				{askCancel ? <Text {...toneProps('warn', style)}>Cancel the rollback? [y/N]</Text> : null}
				{operation.finished || operation.problem ? <Text dimColor>any key to continue</Text> : state && stepsUnderWay(state) && !operation.failure ? <Text dimColor>q cancels · Ctrl-C cancels and quits</Text> : null}
			</Box>
		);
	}

	const running = shown.find(candidate => candidate.running);
	const listHeight = Math.max(3, height - 13);

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>rollback · {env} · choose the release to return to (newest first)</Text>
			<Text dimColor wrap="truncate">{`  ${fit('COMMIT', 8)}${fit('WHEN', 5)}${fit('OUTCOME', 12)}${fit('IMAGE', 11)}${fit('WHO', 18)}SUBJECT`}</Text>
			{running ? <Text dimColor wrap="truncate">  {candidateLabel(running, now)}</Text> : null}
			{selectable.length === 0 ? <Text {...toneProps('warn', style)}>no earlier release{filter ? ` matches "${filter}"` : ''}</Text> : (
				<SelectInput
					items={selectable.map(candidate => ({key: candidate.commit, label: fit(candidateLabel(candidate, now), width - 2), value: candidate}))}
					limit={listHeight}
					initialIndex={preferred ? selectable.indexOf(preferred) : 0}
					isFocused={!filtering}
					onHighlight={item => setHighlighted(item.value)}
					onSelect={item => {
						setChosen(item.value);
						operation.start(source.startRollback(item.value));
					}}
				/>
			)}
			{detail ? (
				<Box flexDirection="column" marginTop={1}>
					<Text wrap="truncate">{detail.release ?? 'no release id'} · {detail.sources.join(', ')}</Text>
					<Text wrap="truncate">{detail.imagePresent ? 'image still on the engine: no rebuild' : `image gone: will rebuild${rebuildNote(detail)}`}</Text>
					{detail.held || (detail.outcome !== null && detail.outcome !== 'succeeded') ? <Text {...toneProps('warn', style)} wrap="truncate">{detail.held ? 'held here: it failed or was rolled back; ' : ''}its last release here {detail.outcome === 'succeeded' ? 'succeeded' : `ended ${detail.outcome ?? 'unknown'}`}</Text> : null}
					<Text dimColor>undoes {undone ? plural(undone.length, 'commit') : '… commits'}:</Text>
					{(undone ?? []).slice(0, 5).map(commit => <Text key={commit.sha} dimColor wrap="truncate">  {shortSha(commit.sha)} {commit.subject}</Text>)}
				</Box>
			) : null}
			<Box flexGrow={1}/>
			{filtering ? (
				<Text wrap="truncate">
					/ filter: <TextField value={filter} onChange={setFilter} onSubmit={() => setFiltering(false)} onCancel={() => {
						setFilter('');
						setFiltering(false);
					}}/> <Text dimColor>(Enter keeps, Esc clears)</Text>
				</Text>
			) : <Text dimColor wrap="truncate">{`↑/↓ choose · Enter roll back · / filter${filter ? ` (${filter})` : ''} · Esc back`}</Text>}
		</Box>
	);
}
