import {Text, useInput} from 'ink';
import {useRef} from 'react';
import {applyInput} from '../text-editing.js';
import useLatest from '../use-latest.js';

type Props = {
	readonly value: string;
	readonly onChange: (value: string) => void;
	/** Enter: the exact value the field held when it came. */
	readonly onSubmit?: (value: string) => void;
	/** Esc. */
	readonly onCancel?: () => void;
	/** Only the focused field takes keys. */
	readonly focus?: boolean;
};

/**
 * A one-line text field that keeps every key of a paste or a key-repeat burst, in order, and
 * always shows what it holds, with a cursor block at the end.
 */
export default function TextField({value, onChange, onSubmit, onCancel, focus = true}: Props) {
	// Several events can arrive before the next render: each must build on the last one's result.
	// A value the field did not report itself (a reset after a mismatch) replaces what it holds.
	const current = useRef(value);
	const reported = useRef(value);
	if (value !== reported.current) {
		reported.current = value;
		current.current = value;
	}

	const callbacks = useLatest({onChange, onSubmit, onCancel});
	useInput((input, key) => {
		const edit = applyInput(current.current, input, key);
		if (edit.value !== current.current) {
			current.current = edit.value;
			reported.current = edit.value;
			callbacks.current.onChange(edit.value);
		}

		if (edit.submitted !== undefined) callbacks.current.onSubmit?.(edit.submitted);
		else if (edit.cancelled) callbacks.current.onCancel?.();
	}, {isActive: focus});

	return <Text>{value}{focus ? <Text inverse> </Text> : null}</Text>;
}
