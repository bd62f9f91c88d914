import {Box, Text, useInput} from 'ink';
import {useEffect, useState} from 'react';
import type {DashboardActions} from '../../app/dashboard-actions.js';
import type {ContainerDetails} from '../../core/container.js';

type Props = {
	readonly actions: DashboardActions;
	readonly env: string;
	readonly containerId: string;
	readonly width: number;
	readonly height: number;
	readonly onClose: () => void;
};

function detailLines(details: ContainerDetails): string[] {
	return [
		`name      ${details.name}`,
		`id        ${details.id.slice(0, 12)}`,
		`image     ${details.image}`,
		`state     ${details.state} · health ${details.health} · ${details.restarts} restarts`,
		`created   ${details.createdAt}`,
		`started   ${details.startedAt ?? '—'}`,
		`command   ${details.command}`,
		`ports     ${details.ports.join(', ') || '—'}`,
		`networks  ${details.networks.join(', ') || '—'}`,
		'environment (secret-looking values masked)',
		...details.environment.map(assignment => `  ${assignment}`),
		'labels',
		...details.labels.map(([name, value]) => `  ${name}=${value}`),
		...(details.healthLog.length > 0 ? ['last health checks', ...details.healthLog.map(entry => `  ${entry}`)] : []),
	];
}

/** A container's configuration and state, scrollable. */
export default function InspectScreen({actions, env, containerId, width, height, onClose}: Props) {
	const [lines, setLines] = useState<readonly string[]>(['loading…']);
	const [top, setTop] = useState(0);
	const visible = Math.max(1, height - 2);

	useEffect(() => {
		let current = true;
		actions.inspectContainer(env, containerId)
			.then(details => current && setLines(detailLines(details)))
			.catch((error: Error) => current && setLines([`cannot inspect: ${error.message}`]));
		return () => {
			current = false;
		};
	}, [actions, env, containerId]);

	useInput((input, key) => {
		if (key.escape || input === 'q') onClose();
		else if (key.downArrow) setTop(current => Math.min(current + 1, Math.max(0, lines.length - visible)));
		else if (key.upArrow) setTop(current => Math.max(0, current - 1));
		else if (key.pageDown) setTop(current => Math.min(current + visible, Math.max(0, lines.length - visible)));
		else if (key.pageUp) setTop(current => Math.max(0, current - visible));
	});

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>inspect · {env}</Text>
			{lines.slice(top, top + visible - 1).map((line, index) => <Text key={`${top + index}`} wrap="truncate">{line}</Text>)}
			<Box flexGrow={1}/>
			<Text dimColor>↑/↓ PgUp/PgDn scroll · Esc back</Text>
		</Box>
	);
}
