import {Text} from 'ink';
import {footerLine} from '../keys.js';

type Props = {
	readonly readOnly: boolean;
	readonly width: number;
};

/** The keys that work right now, on one line; help and quit always among them. */
export default function Footer({readOnly, width}: Props) {
	return (
		<Text wrap="truncate" dimColor>
			{footerLine(readOnly, width)}
		</Text>
	);
}
