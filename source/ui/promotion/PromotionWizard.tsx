import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {useEffect, useState} from 'react';
import type {PromotionChoice, PromotionSource} from '../../app/operation-face.js';
import type {FlowState} from '../../core/operation-flow.js';
import {toneProps, useStyle} from '../style-context.js';
import useLatest from '../use-latest.js';
import PromotionRun from './PromotionRun.js';

type Props = {
	readonly source: PromotionSource;
	readonly initialFrom?: string;
	readonly initialTo?: string;
	readonly width: number;
	readonly height: number;
	readonly onDone: (state: FlowState | undefined) => void;
};

function Unavailable({choices, reason}: {readonly choices: readonly PromotionChoice[]; readonly reason: (choice: PromotionChoice) => string | undefined}) {
	return (
		<Box flexDirection="column">
			{choices.filter(choice => reason(choice)).map(choice => <Text key={choice.name} dimColor wrap="truncate">  {choice.name}: {reason(choice)}</Text>)}
		</Box>
	);
}

/** Choose FROM and TO (defaults from the pipeline), then run the promotion, one screen per flow state. */
export default function PromotionWizard({source, initialFrom, initialTo, width, height, onDone}: Props) {
	const style = useStyle();
	const [choices, setChoices] = useState<PromotionChoice[]>();
	const [problem, setProblem] = useState<string>();
	const [from, setFrom] = useState(initialFrom);
	const [to, setTo] = useState(initialTo);
	const [attempt, setAttempt] = useState(0);

	useEffect(() => {
		source.loadChoices().then(setChoices, (error: Error) => setProblem(error.message));
	}, [source]);

	const latest = useLatest({choosing: !(from && to), from, problem});
	useInput((input, key) => {
		const {choosing, from, problem} = latest.current;
		if (!choosing && !problem) return;
		if (problem || key.escape || input === 'q') {
			if (from && !problem && !initialFrom) setFrom(undefined);
			else onDone(undefined);
		}
	});

	if (problem) return <Text {...toneProps('bad', style)}>cannot read the pipeline: {problem} (any key)</Text>;
	if (!choices) return <Text dimColor>reading the pipeline…</Text>;

	if (from && to) {
		return (
			<PromotionRun
				key={attempt}
				from={from}
				to={to}
				start={source.startPromotion(from, to)}
				width={width}
				height={height}
				onBack={() => {
					setAttempt(current => current + 1);
					setTo(initialTo);
					if (!initialFrom) setFrom(undefined);
					else onDone(undefined);
				}}
				onDone={onDone}
			/>
		);
	}

	if (!from) {
		const promotable = choices.filter(choice => !choice.cannotPromoteFrom);
		return (
			<Box flexDirection="column">
				<Text bold>promote · from which environment?</Text>
				{promotable.length === 0 ? <Text {...toneProps('warn', style)}>no environment can be promoted from right now</Text> : (
					<SelectInput
						items={promotable.map(choice => ({key: choice.name, label: `${choice.name} → ${choice.promotesTo}`, value: choice.name}))}
						onSelect={item => setFrom(item.value)}
					/>
				)}
				<Unavailable choices={choices} reason={choice => choice.cannotPromoteFrom}/>
				<Text dimColor>Enter choose · Esc abandon</Text>
			</Box>
		);
	}

	const next = choices.find(choice => choice.name === choices.find(candidate => candidate.name === from)?.promotesTo);
	const receivable = next && !next.cannotReceive ? [next] : [];
	return (
		<Box flexDirection="column">
			<Text bold>promote {from} · to which environment?</Text>
			{receivable.length === 0 ? <Text {...toneProps('warn', style)}>{from}'s next stage cannot receive a promotion now</Text> : (
				<SelectInput items={receivable.map(choice => ({key: choice.name, label: choice.name, value: choice.name}))} onSelect={item => setTo(item.value)}/>
			)}
			<Unavailable choices={choices.filter(choice => choice.name !== from)} reason={choice => (choice.name === next?.name ? choice.cannotReceive : `not ${from}'s next stage`)}/>
			<Text dimColor>Enter choose · Esc back</Text>
		</Box>
	);
}
