import {Box, Text} from 'ink';
import type {OperationPlan} from '../../core/operation-plan.js';
import {environmentHealthSymbol, environmentHealthTone} from '../../presentation/style.js';
import {plural, shortSha} from '../../core/words.js';
import {formatAge} from '../../presentation/format.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly plan: OperationPlan;
	readonly showDiffStat: boolean;
	/** First commit shown (the list scrolls). */
	readonly scroll: number;
	readonly height: number;
	readonly now: number;
};

/** What a promotion will do: the commit FROM runs, what TO gains, TO's current release, FROM's health. */
export default function PlanScreen({plan, showDiffStat, scroll, height, now}: Props) {
	const style = useStyle();
	const summary = plan.commitSummary;
	const rows = Math.max(3, height - 12);
	const commits = plan.commits.slice(scroll, scroll + rows);
	const added = plan.files.reduce((sum, file) => sum + (file.added ?? 0), 0);
	const removed = plan.files.reduce((sum, file) => sum + (file.removed ?? 0), 0);
	return (
		<Box flexDirection="column">
			<Text bold>promote {plan.from} → {plan.env}</Text>
			<Text wrap="truncate">
				{plan.from} runs <Text bold>{shortSha(plan.commit)}</Text> {summary ? `${summary.subject} — ${summary.author}, ${formatAge(summary.date, now)} ago` : ''}
			</Text>
			<Text wrap="truncate" {...toneProps(plan.verifiedInFrom ? 'good' : 'warn', style)}>
				{plan.verifiedInFrom ? `verified in ${plan.from}` : `no verified release of it on record in ${plan.from}`}
				{plan.fromHealth ? <Text {...toneProps(environmentHealthTone(plan.fromHealth), style)}> · {plan.from} is {environmentHealthSymbol(plan.fromHealth, style)} {plan.fromHealth}</Text> : null}
			</Text>
			<Text wrap="truncate" dimColor>
				{plan.env} runs {shortSha(plan.current.commit)}{plan.current.release ? ` (release ${plan.current.release}${plan.current.deployedAt ? `, deployed ${formatAge(plan.current.deployedAt, now)} ago` : ''})` : ''}
			</Text>
			<Text wrap="truncate" dimColor>branch: {plan.branch.note}</Text>
			{(plan.warnings ?? []).map(warning => <Text key={warning} wrap="wrap" {...toneProps('warn', style)}>{style.ascii ? '!' : '⚠'} {warning}</Text>)}
			<Text> </Text>
			<Text>{plan.env} gains {plural(plan.commits.length, 'commit')}, {plural(plan.files.length, 'file')} changed (+{added} −{removed}):</Text>
			{commits.map(commit => <Text key={commit.sha} wrap="truncate">  {shortSha(commit.sha)} {commit.subject} <Text dimColor>({commit.author})</Text></Text>)}
			{plan.commits.length > rows ? <Text dimColor>  {scroll + 1}–{scroll + commits.length} of {plan.commits.length} (↑/↓)</Text> : null}
			{showDiffStat ? plan.files.slice(0, rows).map(file => (
				<Text key={file.path} wrap="truncate" dimColor>  {file.path} <Text {...toneProps('good', style)}>+{file.added ?? '?'}</Text> <Text {...toneProps('bad', style)}>−{file.removed ?? '?'}</Text></Text>
			)) : null}
			<Text> </Text>
			<Text dimColor>Enter continue to preflight · d {showDiffStat ? 'hide' : 'show'} diff stat · Esc back · q abandon</Text>
		</Box>
	);
}
