import {Text} from 'ink';
import type {ContainerSnapshot} from '../../core/container.js';
import {fit, formatUptime, imageTag} from '../../presentation/format.js';
import {containerTone} from '../../presentation/style.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly container: ContainerSnapshot;
	readonly selected: boolean;
	/** Columns available for the whole row. */
	readonly width: number;
	readonly now: number;
};

/** One container: service, state, health, uptime, restarts, image tag — fitted to the panel's width. */
export default function ContainerRow({container, selected, width, now}: Props) {
	const style = useStyle();
	const marker = selected ? (style.ascii ? '> ' : '▸ ') : '  ';
	const state = container.state === 'running' ? (container.health === 'none' ? 'running' : container.health) : container.state;
	const uptime = container.state === 'running' ? formatUptime(container.startedAt, now) : '';
	const restarts = container.restarts > 0 ? `${container.restarts}${style.ascii ? 'r' : '↻'}` : '';
	// marker, state, uptime and restarts have fixed widths; the name and the image tag share the rest.
	const rest = Math.max(0, width - 2 - 11 - 4 - 4 - 1);
	const tagWidth = Math.max(0, Math.min(13, rest - 8));
	const nameWidth = Math.max(6, Math.min(16, rest - tagWidth));
	const text = `${marker}${fit(container.service ?? container.name, nameWidth, style.ascii)} ${fit(state, 11)}${fit(uptime, 4)}${fit(restarts, 4)} ${fit(imageTag(container.image), tagWidth, style.ascii)}`;
	return (
		<Text {...toneProps(containerTone(container.state, container.health), style)} inverse={selected} wrap="truncate">
			{text.trimEnd()}
		</Text>
	);
}
