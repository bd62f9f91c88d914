import {Text} from 'ink';
import {dashboardKeys} from '../keys.js';

type Props = {
	readonly readOnly: boolean;
};

/** The keys that work right now, on one line. */
export default function Footer({readOnly}: Props) {
	const keys = dashboardKeys.filter(key => key.footer && !(readOnly && key.mutating));
	return (
		<Text wrap="truncate" dimColor>
			{keys.map(key => `${key.keys.split(' ')[0]} ${key.label}`).join('  ')}
		</Text>
	);
}
