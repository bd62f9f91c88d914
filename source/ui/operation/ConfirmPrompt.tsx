import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import {typedConfirmationMatches, type ConfirmationNeed} from '../../core/confirmation.js';
import TextField from '../components/TextField.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly need: ConfirmationNeed;
	/** What will happen, shown above the question. */
	readonly summary: string;
	readonly onAnswer: (confirmed: boolean) => void;
};

/** y/N for `yes`; for `typed`, the environment's name typed in full (no default; anything else is refused). */
export default function ConfirmPrompt({need, summary, onAnswer}: Props) {
	const style = useStyle();
	const [typed, setTyped] = useState('');
	const [mismatch, setMismatch] = useState<string>();

	useInput((input, key) => {
		onAnswer(!key.ctrl && (input === 'y' || input === 'Y'));
	}, {isActive: need.level !== 'typed'});

	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{summary}</Text>
			{need.level === 'typed' ? (
				<Box flexDirection="column">
					<Text {...toneProps('warn', style)}>Type the environment's name ({need.env}) to confirm, Esc to abandon:</Text>
					<Text>
						{'> '}
						<TextField
							value={typed}
							onChange={setTyped}
							onCancel={() => onAnswer(false)}
							onSubmit={value => {
								if (typedConfirmationMatches(need, value)) {
									onAnswer(true);
									return;
								}

								setMismatch(value);
								setTyped('');
							}}
						/>
					</Text>
					{mismatch === undefined ? null : <Text {...toneProps('bad', style)}>{mismatch === '' ? 'nothing typed' : `"${mismatch}" is not "${need.env}"`}; type it exactly, or Esc</Text>}
				</Box>
			) : (
				<Text {...toneProps('warn', style)}>Go ahead? [y/N]</Text>
			)}
		</Box>
	);
}
