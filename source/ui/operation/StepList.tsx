import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {stepsUnderWay, type FlowState, type FlowStep} from '../../core/operation-flow.js';
import {formatSeconds} from '../../core/words.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly state: FlowState;
	/** How many lines of the running recipe's output to show under the steps. */
	readonly outputLines: number;
	readonly width: number;
};

function StepLine({step}: {readonly step: FlowStep}) {
	const style = useStyle();
	const symbols = style.ascii ? {succeeded: '[ok]', failed: '[!!]', skipped: '[--]', pending: '[  ]'} : {succeeded: '✔', failed: '✖', skipped: '–', pending: '·'};
	const tone = step.ignored ? 'warn' : step.status === 'succeeded' ? 'good' : step.status === 'failed' ? 'bad' : 'muted';
	const detail = step.ignored ?? step.detail;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				{step.status === 'running' ? <Spinner type={style.ascii ? 'line' : 'dots'}/> : <Text {...toneProps(tone, style)}>{step.ignored ? (style.ascii ? '[ig]' : '!') : symbols[step.status]}</Text>}
				{' '}{step.label}{step.retries ? ` (retry ${step.retries})` : ''}<Text dimColor>{step.ms === undefined ? '' : ` ${formatSeconds(step.ms)}`}</Text>
				{detail && step.status !== 'running' ? <Text {...toneProps(tone, style)}> — {detail}</Text> : null}
			</Text>
			{step.status === 'running' ? step.substeps.map(substep => <Text key={`${substep.name}${substep.at}`} dimColor wrap="truncate">   • {substep.name}</Text>) : null}
		</Box>
	);
}

/** Any flow's steps (promotion, deploy, rollback) with spinners and times, and the recipe's last lines. */
export default function StepList({state, outputLines, width}: Props) {
	const output = state.output.slice(-outputLines);
	return (
		<Box flexDirection="column" width={width}>
			{state.steps.map(step => <StepLine key={step.id} step={step}/>)}
			{stepsUnderWay(state) && output.length > 0 ? (
				<Box flexDirection="column" borderStyle="single" borderDimColor paddingX={1}>
					{output.map((line, index) => <Text key={`${state.output.length - output.length + index}`} dimColor wrap="truncate">{line}</Text>)}
				</Box>
			) : null}
			{state.logFile ? <Text dimColor wrap="truncate">full log: {state.logFile}</Text> : null}
		</Box>
	);
}
