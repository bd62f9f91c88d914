import {Text} from 'ink';
import type {EnvironmentStatus} from '../../app/collect-status.js';
import {environmentHealthSymbol, environmentHealthTone} from '../../presentation/style.js';
import {toneProps, useStyle} from '../style-context.js';

type Props = {
	readonly environments: readonly EnvironmentStatus[];
	readonly selected: number;
};

/** On narrow terminals, one tab per environment with its health, the selected one highlighted. */
export default function TabBar({environments, selected}: Props) {
	const style = useStyle();
	return (
		<Text wrap="truncate">
			{environments.map((environment, index) => (
				<Text key={environment.name}>
					<Text inverse={index === selected} bold={index === selected}>
						{' '}<Text {...toneProps(environmentHealthTone(environment.health), style)}>{environmentHealthSymbol(environment.health, style)}</Text> {environment.name}{' '}
					</Text>
					{' '}
				</Text>
			))}
			<Text dimColor>(Tab/←/→)</Text>
		</Text>
	);
}
