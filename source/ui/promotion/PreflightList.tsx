import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {PreflightCheck} from '../../core/preflight.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	/** Empty while the checks run. */
	readonly checks: readonly PreflightCheck[];
};

const pendingLabels = ['engine reachable', 'source healthy', 'fast-forward possible', 'clean work tree', 'no freeze', 'operator allowed', 'lock free'];

/** The preflight checklist: spinners while it runs, then ✔ or ✖ with the reason and the remedy. */
export default function PreflightList({checks}: Props) {
	const style = useStyle();
	if (checks.length === 0) {
		return (
			<Box flexDirection="column">
				<Text bold>preflight</Text>
				{pendingLabels.map(label => <Text key={label}><Spinner type={style.ascii ? 'line' : 'dots'}/> {label}</Text>)}
			</Box>
		);
	}

	return (
		<Box flexDirection="column">
			<Text bold>preflight</Text>
			{checks.map(check => (
				<Box key={check.id} flexDirection="column">
					<Text wrap="truncate">
						<Text {...toneProps(check.ok ? 'good' : 'bad', style)}>{check.ok ? (style.ascii ? '[ok]' : '✔') : (style.ascii ? '[!!]' : '✖')}</Text> {check.label}
						{check.ok ? null : <Text {...toneProps('bad', style)}>: {check.reason}</Text>}
					</Text>
					{check.ok || !check.remedy ? null : <Text wrap="wrap" dimColor>    → {check.remedy}</Text>}
				</Box>
			))}
		</Box>
	);
}
