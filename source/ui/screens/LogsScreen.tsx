import {Box, Text, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {DashboardActions} from '../../app/dashboard-actions.js';

type Props = {
	readonly actions: DashboardActions;
	readonly env: string;
	readonly containerId: string;
	readonly name: string;
	readonly width: number;
	readonly height: number;
	readonly onClose: () => void;
};

const keptLines = 5000;
const flushMs = 100;

/**
 * A container's log, following by default; scrolling stops following, `f` or End resumes. The
 * engine ends a followed log when its container stops (a restart too), and a connection can
 * break: the screen says which rather than keep claiming to follow, and `f` follows afresh.
 */
export default function LogsScreen({actions, env, containerId, name, width, height, onClose}: Props) {
	const [lines, setLines] = useState<readonly string[]>([]);
	const [offset, setOffset] = useState(0);
	const [problem, setProblem] = useState<string>();
	const [stopped, setStopped] = useState<'ended' | 'broke'>();
	const [stream, setStream] = useState(0);
	const pending = useRef<string[]>([]);
	const follow = offset === 0;
	const visible = Math.max(1, height - 2);

	useEffect(() => {
		const controller = new AbortController();
		// Following again opens the log afresh, from the same recent lines as opening it did.
		pending.current = [];
		setLines([]);
		setStopped(undefined);
		setProblem(undefined);
		// Batch lines so a chatty container repaints at most ten times a second.
		const flush = () => {
			if (pending.current.length === 0) return;
			const batch = pending.current;
			pending.current = [];
			setLines(current => [...current, ...batch].slice(-keptLines));
		};

		const timer = setInterval(flush, flushMs);
		actions.streamLogs(env, containerId, line => pending.current.push(line), controller.signal)
			.then(() => {
				if (controller.signal.aborted) return;
				flush();
				setStopped('ended');
			}, (error: Error) => {
				flush();
				setStopped('broke');
				setProblem(error.message);
			});
		return () => {
			controller.abort();
			clearInterval(timer);
		};
	}, [actions, env, containerId, stream]);

	useInput((input, key) => {
		if (key.escape || input === 'q') onClose();
		else if (key.upArrow) setOffset(current => Math.min(current + 1, Math.max(0, lines.length - visible)));
		else if (key.downArrow) setOffset(current => Math.max(0, current - 1));
		else if (key.pageUp) setOffset(current => Math.min(current + visible, Math.max(0, lines.length - visible)));
		else if (key.pageDown) setOffset(current => Math.max(0, current - visible));
		else if (input === 'f' || key.end) {
			setOffset(0);
			if (stopped) setStream(current => current + 1);
		}
	});

	const end = lines.length - offset;
	const shown = lines.slice(Math.max(0, end - visible), end);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate">logs · {env} · {name} {stopped === 'ended' ? '(ended: the container stopped — f follows it again)' : stopped === 'broke' ? '(not following — f tries again)' : follow ? '(following)' : `(paused, ${offset} lines up — f follows)`}</Text>
			{problem ? <Text color="red">{problem}</Text> : null}
			{shown.map((line, index) => (
				// Lines have no identity of their own; their position in the window is what they are.
				<Text key={index} wrap="truncate">{line}</Text>
			))}
			<Box flexGrow={1}/>
			<Text dimColor wrap="truncate">↑/↓ PgUp/PgDn scroll · f follow · Esc back</Text>
		</Box>
	);
}
