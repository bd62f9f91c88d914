import {Box, Text, useInput} from 'ink';
import Spinner from 'ink-spinner';
import {useEffect, useState} from 'react';
import type {StartOperation} from '../../app/operation-face.js';
import {stepsUnderWay, type FlowState} from '../../core/operation-flow.js';
import {formatDuration} from '../../core/duration.js';
import {formatSeconds, plural, shortSha} from '../../core/words.js';
import ConfirmPrompt from '../operation/ConfirmPrompt.js';
import FailureChoicePrompt from '../operation/FailureChoicePrompt.js';
import StepList from '../operation/StepList.js';
import useOperation from '../operation/use-operation.js';
import useLatest from '../use-latest.js';
import {toneProps, useStyle} from '../style-context.js';
import PlanScreen from './PlanScreen.js';
import PreflightList from './PreflightList.js';

type Props = {
	readonly from: string;
	readonly to: string;
	readonly start: StartOperation;
	readonly width: number;
	readonly height: number;
	/** Esc at the plan: back to choosing (nothing changed). */
	readonly onBack: () => void;
	/** The final state, or undefined when abandoned. */
	readonly onDone: (state: FlowState | undefined) => void;
};

/** One promotion attempt: plan → preflight → confirm → run → outcome, every screen drawn from the flow's state. */
export default function PromotionRun({from, to, start, width, height, onBack, onDone}: Props) {
	const style = useStyle();
	const operation = useOperation();
	const [showDiffStat, setShowDiffStat] = useState(false);
	const [scroll, setScroll] = useState(0);
	const [askCancel, setAskCancel] = useState(false);
	const [leaving, setLeaving] = useState<'back' | 'abandon'>();
	const state = operation.state;

	useEffect(() => {
		operation.start(start, {reviewPlan: true});
	}, []);

	useEffect(() => {
		if (!operation.finished || !leaving) return;
		if (leaving === 'back') onBack();
		else onDone(undefined);
	}, [operation.finished, leaving]);

	const latest = useLatest({operation, state, askCancel, leaving});
	useInput((input, key) => {
		const {operation, state, askCancel, leaving} = latest.current;
		if (leaving) return;
		if (operation.review && state?.plan) {
			if (key.return) operation.review.answer(true);
			else if (input === 'd') setShowDiffStat(current => !current);
			else if (key.downArrow) setScroll(current => Math.min(current + 1, Math.max(0, state.plan!.commits.length - 1)));
			else if (key.upArrow) setScroll(current => Math.max(0, current - 1));
			else if (key.escape || input === 'q') {
				setLeaving(key.escape ? 'back' : 'abandon');
				operation.review.answer(false);
			}

			return;
		}

		if (operation.finished || operation.problem) {
			onDone(operation.finished);
			return;
		}

		if (state && stepsUnderWay(state) && !operation.failure) {
			if (askCancel) {
				setAskCancel(false);
				if (input === 'y' || input === 'Y') operation.cancel();
			} else if (input === 'q') {
				setAskCancel(true);
			}
		}
	});

	const title = <Text bold wrap="truncate">promote {from} → {to}{state?.plan?.commit ? ` · ${shortSha(state.plan.commit)}` : ''}</Text>;
	if (operation.problem) return <Box flexDirection="column">{title}<Text {...toneProps('bad', style)}>{operation.problem}</Text><Text dimColor>any key to continue</Text></Box>;
	if (!state?.plan) return <Box flexDirection="column">{title}<Text><Spinner type={style.ascii ? 'line' : 'dots'}/> reading {from}, {to} and git…</Text></Box>;
	if (operation.review) return <PlanScreen plan={state.plan} showDiffStat={showDiffStat} scroll={scroll} height={height} now={Date.now()}/>;

	const outcome = operation.finished;
	return (
		<Box flexDirection="column" width={width}>
			{title}
			{stepsUnderWay(state) || state.release ? null : <PreflightList checks={state.preflight}/>}
			{operation.confirmation ? (
				<ConfirmPrompt
					need={operation.confirmation.need}
					summary={`Promote ${shortSha(state.plan.commit)} from ${from} to ${to}: move ${to}'s branch, deploy, verify${state.plan.commits.length > 0 ? ` (${plural(state.plan.commits.length, 'commit')})` : ''}. If a step fails you choose what happens (${state.failurePolicy?.autoRollback === false ? 'it is left as it is' : 'it rolls back'} if nobody does).`}
					onAnswer={operation.confirmation.answer}
				/>
			) : null}
			{state.phase === 'locking' && state.lockWait ? <Text {...toneProps('warn', style)} wrap="wrap">waiting for the lock, {formatDuration(state.lockWait.until - Date.now())} left: {state.lockWait.holder} (Ctrl-C gives up)</Text> : null}
			{state.releaseId ? <StepList state={state} outputLines={Math.max(3, height - state.steps.length - 10)} width={width}/> : null}
			{operation.failure && state.phase === 'deciding' ? <FailureChoicePrompt state={state} decision={operation.failure.decision} onChoose={operation.failure.answer}/> : null}
			{outcome?.outcome === 'refused' ? <Text {...toneProps('bad', style)} wrap="wrap">refused, nothing changed: {outcome.error}</Text> : null}
			{outcome?.release ? (
				<Box flexDirection="column" marginTop={1}>
					<Text bold {...toneProps(outcome.outcome === 'succeeded' ? 'good' : 'bad', style)}>{outcome.outcome === 'rolled-back' ? 'rolled back' : outcome.outcome}: release {outcome.release.id}</Text>
					{outcome.error ? <Text wrap="wrap">{outcome.error}</Text> : null}
					{outcome.release.finishedAt ? <Text dimColor>took {formatSeconds(Date.parse(outcome.release.finishedAt) - Date.parse(outcome.release.startedAt))} · log {outcome.release.logFile}</Text> : null}
				</Box>
			) : null}
			{askCancel && !operation.failure ? <Text {...toneProps('warn', style)}>Cancel the promotion? It stops the recipe and rolls back if the deploy began. [y/N]</Text> : null}
			{outcome ? <Text dimColor>any key to continue</Text> : stepsUnderWay(state) && !operation.failure ? <Text dimColor>q cancels · Ctrl-C cancels and quits</Text> : null}
		</Box>
	);
}
