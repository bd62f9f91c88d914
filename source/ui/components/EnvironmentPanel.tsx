import {Box, Text} from 'ink';
import type {EnvironmentStatus} from '../../app/collect-status.js';
import {plural, shortSha} from '../../core/words.js';
import {environmentHealthSymbol, environmentHealthTone} from '../../presentation/style.js';
import {retainedCount, visibleContainers} from '../dashboard-model.js';
import {toneProps, useStyle} from '../style-context.js';
import ContainerRow from './ContainerRow.js';

type Props = {
	readonly status: EnvironmentStatus;
	readonly focused: boolean;
	/** Index of the selected container within the visible ones, when focused. */
	readonly selectedContainer: number;
	readonly width: number;
	/** Lines the panel may use, borders included. */
	readonly height: number;
	readonly filter: string;
	readonly readOnly: boolean;
	readonly now: number;
};

/** One environment: health, branch and pending commits, running release, reasons, containers, probes. */
export default function EnvironmentPanel({status, focused, selectedContainer, width, height, filter, readOnly, now}: Props) {
	const style = useStyle();
	const inner = width - 4;
	const containers = visibleContainers(status, filter);
	const retained = retainedCount(status);
	const healthTone = environmentHealthTone(status.health);
	const pending = status.pending === null ? '' : status.pending === 0 ? ' · up to date' : ` · ${status.pending} pending from ${status.upstream}`;
	const failingProbes = status.probes.filter(probe => !probe.ok);
	const reasons = [
		...status.attention.map(text => ({text, tone: 'warn' as const})),
		...(status.health === 'healthy' ? [] : status.reasons).map(text => ({text, tone: healthTone})),
	].slice(0, 2);
	const fixedLines = 2 + 3 + reasons.length + (retained > 0 ? 1 : 0) + (status.probes.length > 0 ? 1 : 0);
	const room = Math.max(1, height - fixedLines);
	const first = Math.min(Math.max(0, selectedContainer - room + 1), Math.max(0, containers.length - room));
	const shown = containers.slice(first, first + (containers.length > room ? room - 1 : room));
	const hidden = containers.length - shown.length;

	return (
		<Box flexDirection="column" width={width} height={height} borderStyle={style.ascii ? 'classic' : focused ? 'double' : 'round'} paddingX={1} {...(focused && style.color ? {borderColor: 'cyan'} : {})}>
			<Text wrap="truncate">
				<Text {...toneProps(healthTone, style)} bold>{environmentHealthSymbol(status.health, style)} {status.health}</Text>
				<Text bold>  {status.title}</Text>
				{readOnly ? <Text dimColor> [read-only]</Text> : null}
			</Text>
			<Text wrap="truncate">{status.branch}@{shortSha(status.commit)}{pending}{status.vcsError ? ` · git: ${status.vcsError}` : ''}</Text>
			<Text wrap="truncate" dimColor>{status.release ? `release ${status.release}` : 'no release recorded by opsconsole'}</Text>
			{reasons.map(reason => (
				<Text key={reason.text} wrap="truncate" {...toneProps(reason.tone, style)}>{style.ascii ? '! ' : '⚠ '}{reason.text}</Text>
			))}
			{containers.length === 0 ? <Text dimColor>{filter ? `no container matches "${filter}"` : status.engine.reachable ? 'no containers' : ''}</Text> : null}
			{shown.map((container, index) => (
				<ContainerRow key={container.id} container={container} selected={focused && first + index === selectedContainer} width={inner} now={now}/>
			))}
			{hidden > 0 ? <Text dimColor>  … {hidden} more (↑/↓)</Text> : null}
			{retained > 0 ? <Text dimColor wrap="truncate">  +{plural(retained, 'earlier container')} kept for rollback</Text> : null}
			{status.probes.length > 0 ? (
				<Text wrap="truncate" {...toneProps(failingProbes.length > 0 ? 'bad' : 'good', style)}>
					probes {status.probes.length - failingProbes.length}/{status.probes.length} ok{failingProbes.length > 0 ? `: ${failingProbes.map(probe => probe.name).join(', ')}` : ''}
				</Text>
			) : null}
		</Box>
	);
}
