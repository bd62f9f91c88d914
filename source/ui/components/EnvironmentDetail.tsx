import {Box, Text} from 'ink';
import type {EnvironmentStatus} from '../../app/collect-status.js';
import {plural, shortSha} from '../../core/words.js';
import {columns, fit} from '../../presentation/format.js';
import {toneProps, useStyle} from '../style-context.js';
import {containerWindow, type DetailPlan} from '../dashboard-model.js';
import ContainerRow, {nameColumnWidth} from './ContainerRow.js';

type Props = {
	readonly status: EnvironmentStatus;
	readonly plan: DetailPlan;
	/** Index of the selected container within `plan.listing.listed`, or -1 for none. */
	readonly selectedContainer: number;
	readonly width: number;
	readonly filter: string;
	readonly readOnly: boolean;
	readonly now: number;
};

function titleRule(text: string, width: number): string {
	const title = `── ${text} `;
	const used = columns(title);
	return used >= width ? fit(title, width) : title + '─'.repeat(width - used);
}

/** One environment under a titled rule: branch and pending commits, release, notes, containers (healthy ones folded when they do not fit), probes. */
export default function EnvironmentDetail({status, plan, selectedContainer, width, filter, readOnly, now}: Props) {
	const style = useStyle();
	const {listing} = plan;
	const window = containerWindow(listing.listed, Math.max(0, selectedContainer), listing.rows);
	const nameWidth = nameColumnWidth(listing.listed, width);
	const pending = status.pending === null ? '' : status.pending === 0 ? ' · up to date' : ` · ${status.pending} pending from ${status.upstream}`;
	const failingProbes = status.probes.filter(probe => !probe.ok);
	const title = `${status.title} · ${status.branch}@${shortSha(status.commit)}${pending}${status.vcsError ? ` · git: ${status.vcsError}` : ''}${readOnly ? ' · read-only' : ''}`;
	const warning = style.ascii ? '!' : '⚠';
	return (
		<Box flexDirection="column" width={width}>
			<Text bold wrap="truncate">{titleRule(title, width)}</Text>
			<Text dimColor wrap="truncate">{status.release ? `release ${status.release}` : 'no release recorded by opsconsole'}</Text>
			{plan.notes.map(note => note.lines.map((line, index) => (
				<Text key={`${note.lines[0]!}:${index}`} wrap="truncate" {...toneProps(note.tone, style)}>{index === 0 ? `${warning} ` : '  '}{line}</Text>
			)))}
			{plan.moreNotes > 0 ? <Text dimColor wrap="truncate">  +{plural(plan.moreNotes, 'more note')} (opsconsole status {status.name})</Text> : null}
			{plan.visible.length === 0 && filter && !status.swarm ? <Text dimColor wrap="truncate">no container matches "{filter}"</Text> : null}
			{window.above > 0 ? <Text dimColor>  … {window.above} more above</Text> : null}
			{window.shown.map((container, index) => (
				<ContainerRow key={container.id} container={container} selected={window.first + index === selectedContainer} nameWidth={nameWidth} width={width} now={now}/>
			))}
			{window.below > 0 ? <Text dimColor>  … {window.below} more below (↑/↓)</Text> : null}
			{listing.folded > 0 ? <Text {...toneProps('good', style)} wrap="truncate">  {style.ascii ? '+' : '✔'} {listing.listed.length === 0 ? 'all ' : ''}{plural(listing.folded, 'healthy container')} folded (e shows them)</Text> : null}
			{plan.retained > 0 ? <Text dimColor wrap="truncate">  +{plural(plan.retained, 'earlier container')} kept for rollback</Text> : null}
			{plan.swarm.map((row, index) => <Text key={`swarm:${index}`} wrap="truncate" {...toneProps(row.tone, style)}>{row.text}</Text>)}
			{status.probes.length > 0 ? (
				<Text wrap="truncate" {...toneProps(failingProbes.length > 0 ? 'bad' : 'good', style)}>
					probes {status.probes.length - failingProbes.length}/{status.probes.length} ok{failingProbes.length > 0 ? `: ${failingProbes.map(probe => probe.name).join(', ')}` : ''}
				</Text>
			) : null}
		</Box>
	);
}
