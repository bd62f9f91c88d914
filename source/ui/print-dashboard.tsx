import path from 'node:path';
import {Box, renderToString} from 'ink';
import type {EnvironmentStatus} from '../app/collect-status.js';
import type {EngineConnection} from '../app/live-monitor.js';
import type {Services} from '../app/services.js';
import {describeOperator} from '../core/audit.js';
import type {StyleOptions} from '../presentation/style.js';
import EnvironmentDetail from './components/EnvironmentDetail.js';
import EnvironmentStrip from './components/EnvironmentStrip.js';
import Header from './components/Header.js';
import {planDetail} from './dashboard-model.js';
import {StyleContext} from './style-context.js';

/** Rows each environment's detail may use before healthy containers fold: enough for a chat message, not a wall. */
const rowsPerEnvironment = 20;

/** Each engine once, as one read found it. */
function enginesOf(statuses: readonly EnvironmentStatus[]): EngineConnection[] {
	const engines = new Map<string, EngineConnection>();
	for (const {engine} of statuses) {
		if (!engines.has(engine.host)) engines.set(engine.host, {host: engine.host, state: engine.reachable ? 'live' : 'unreachable', error: engine.error, caution: engine.caution});
	}

	return [...engines.values()];
}

/** `opsconsole --once`: the dashboard as text, every environment's detail in turn, no selection, no colour. */
export async function printDashboard(services: Services, statuses: readonly EnvironmentStatus[], width: number, ascii: boolean): Promise<string> {
	const style: StyleOptions = {color: false, ascii};
	const now = Date.now();
	return renderToString(
		<StyleContext.Provider value={style}>
			<Box flexDirection="column" width={width}>
				<Header project={path.basename(services.project.root)} operator={describeOperator(services.identity)} engines={enginesOf(statuses)} readOnly={services.readOnly.everywhere !== undefined} width={width} readAt={new Date(now)}/>
				<EnvironmentStrip environments={statuses} engines={[]} selected={-1} width={width} now={now}/>
				{statuses.map(status => (
					<EnvironmentDetail
						key={status.name}
						status={status}
						plan={planDetail(status, {width, rows: rowsPerEnvironment, filter: '', expanded: false, ascii})}
						selectedContainer={-1}
						width={width}
						filter=""
						readOnly={services.readOnly.reasonFor(status.name) !== undefined}
						now={now}
					/>
				))}
			</Box>
		</StyleContext.Provider>,
		{columns: width},
	);
}
