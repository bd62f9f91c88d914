import {Text} from 'ink';
import type {ContainerSnapshot} from '../../core/container.js';
import {columns, fit, formatUptime, shortImageTag} from '../../presentation/format.js';
import {containerTone} from '../../presentation/style.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly container: ContainerSnapshot;
	readonly selected: boolean;
	/** Columns of the name column, the same for every row of a list. */
	readonly nameWidth: number;
	/** Columns available for the whole row. */
	readonly width: number;
	readonly now: number;
};

const markerWidth = 2;
const stateWidth = 11;
const uptimeWidth = 5;
const restartsWidth = 5;

function displayName(container: ContainerSnapshot): string {
	return container.service ?? container.name;
}

/** The name column: as wide as the longest name, leaving the image tag at least a commit's seven characters. */
export function nameColumnWidth(containers: readonly ContainerSnapshot[], width: number): number {
	const longest = Math.max(4, ...containers.map(container => columns(displayName(container))));
	const room = width - markerWidth - stateWidth - uptimeWidth - restartsWidth - 2 - 8;
	return Math.max(6, Math.min(longest, room));
}

/** One container: name, state or health, uptime, restarts, image tag — the tag takes what the row has left. */
export default function ContainerRow({container, selected, nameWidth, width, now}: Props) {
	const style = useStyle();
	const marker = selected ? (style.ascii ? '> ' : '▸ ') : '  ';
	const state = container.state === 'running' ? (container.health === 'none' ? 'running' : container.health) : container.state;
	const uptime = container.partial ? (style.ascii ? '...' : '…') : container.state === 'running' ? formatUptime(container.startedAt, now) : '';
	const restarts = container.restarts > 0 ? `${container.restarts}${style.ascii ? 'r' : '↻'}` : '';
	const tagWidth = Math.max(1, width - markerWidth - nameWidth - 1 - stateWidth - uptimeWidth - restartsWidth);
	const text = `${marker}${fit(displayName(container), nameWidth, style.ascii)} ${fit(state, stateWidth)}${fit(uptime, uptimeWidth)}${fit(restarts, restartsWidth)}${fit(shortImageTag(container.image), tagWidth, style.ascii)}`;
	return (
		<Text {...toneProps(containerTone(container.state, container.health), style)} inverse={selected} wrap="truncate">
			{text.trimEnd()}
		</Text>
	);
}
