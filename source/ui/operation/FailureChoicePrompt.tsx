import {Box, Text, useInput} from 'ink';
import {useEffect, useState} from 'react';
import {formatDuration} from '../../core/duration.js';
import {failureChoiceKeys, type FailureChoice, type FailureDecision, type FlowState} from '../../core/operation-flow.js';
import {toneProps, useStyle} from '../style-context.js';
import ConfirmPrompt from './ConfirmPrompt.js';

type Props = {
	readonly state: FlowState;
	readonly decision: FailureDecision;
	readonly onChoose: (choice: FailureChoice) => void;
};

function describeChoice(choice: FailureChoice, decision: FailureDecision): string {
	switch (choice) {
		case 'retry':
			return 'retry the step';
		case 'rollback':
			return `roll back (${decision.rollbackTo})`;
		case 'abort':
			return 'leave it as it is';
		case 'ignore':
			return 'ignore it (typed)';
	}
}

/** Re-renders once a second while shown, for the countdown. */
function useSecondClock(): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, []);
	return now;
}

/**
 * Guided failure: a step failed and the flow waits for the operator. r retries, b rolls back, a
 * leaves it as it is, i ignores a failed verification (typed confirmation). Nobody choosing takes
 * the fallback when the countdown ends.
 */
export default function FailureChoicePrompt({state, decision, onChoose}: Props) {
	const style = useStyle();
	const now = useSecondClock();
	const [confirmIgnore, setConfirmIgnore] = useState(false);
	const failed = state.steps.find(step => step.id === decision.step);

	useInput(input => {
		const choice = decision.options.find(option => failureChoiceKeys[option] === input.toLowerCase());
		if (choice === 'ignore') setConfirmIgnore(true);
		else if (choice) onChoose(choice);
	}, {isActive: !confirmIgnore});

	return (
		<Box flexDirection="column" marginTop={1}>
			<Text {...toneProps('bad', style)} wrap="wrap">{failed?.label ?? decision.step} failed: {failed?.detail ?? 'no reason given'}</Text>
			{confirmIgnore ? (
				<ConfirmPrompt
					need={{level: 'typed', env: state.env}}
					summary={`Ignore the failed verification: ${state.env} keeps running this release, recorded as succeeded with the failure noted, and the audit log says you chose it.`}
					onAnswer={confirmed => {
						setConfirmIgnore(false);
						if (confirmed) onChoose('ignore');
					}}
				/>
			) : (
				<>
					<Text bold wrap="wrap">What now? {decision.options.map(option => `${failureChoiceKeys[option]} ${describeChoice(option, decision)}`).join(' · ')}</Text>
					<Text dimColor wrap="wrap">Nobody choosing: {decision.fallback === 'rollback' ? 'rolls back' : 'leaves it as it is'} in {formatDuration(decision.until - now)} · Ctrl-C does that now and quits</Text>
				</>
			)}
		</Box>
	);
}
