import type {EnvironmentStatus} from '../app/collect-status.js';
import {isRetained, type ContainerSnapshot} from '../core/container.js';
import {describeHold} from '../core/holds.js';
import {describeHolder} from '../core/lock.js';
import {wrapText} from '../presentation/format.js';
import {environmentHealthTone, type Tone} from '../presentation/style.js';
import {swarmRows, type SwarmRow} from '../presentation/swarm-rows.js';

/** The containers a panel lists (retained ones summarised instead), after the operator's filter. */
export function visibleContainers(status: EnvironmentStatus, filter: string): ContainerSnapshot[] {
	const needle = filter.trim().toLowerCase();
	return status.containers.filter(container => !isRetained(container, status.release ?? undefined)
		&& (!needle || [container.name, container.service ?? '', container.image, container.state, container.health].some(text => text.toLowerCase().includes(needle))));
}

export function retainedCount(status: EnvironmentStatus): number {
	return status.containers.filter(container => isRetained(container, status.release ?? undefined)).length;
}

/** A container needs a look when it is not running, not healthy, or has restarted. */
export function needsLook(container: ContainerSnapshot): boolean {
	return container.state !== 'running' || container.health === 'unhealthy' || container.health === 'starting' || container.restarts > 0;
}

export type Note = {readonly text: string; readonly tone: Tone};

/** What the detail says above the containers: who holds the lock, what needs attention, why it is not healthy. */
export function environmentNotes(status: EnvironmentStatus): Note[] {
	return [
		...(status.lock && !status.lock.stale ? [{text: `locked by ${describeHolder(status.lock)}`, tone: 'warn' as const}] : []),
		...status.attention.map(text => ({text, tone: 'warn' as const})),
		...status.drift.map(text => ({text: `drift: ${text}`, tone: 'warn' as const})),
		...(status.holds ?? []).map(hold => ({text: `held: ${describeHold(hold)}`, tone: 'warn' as const})),
		...(status.health === 'healthy' ? [] : status.reasons).map(text => ({text, tone: environmentHealthTone(status.health)})),
	];
}

/** Notes shown in full up to this many; the rest are counted (`opsconsole status` has them all). */
export const shownNotes = 3;
/** Lines one note may wrap to. */
export const noteLines = 2;

export type ContainerListing = {
	/** The containers that can be selected, in order. */
	readonly listed: readonly ContainerSnapshot[];
	/** Healthy containers folded into one summary line (0 when none are). */
	readonly folded: number;
	/** Rows the listed containers may use, "more" lines included. */
	readonly rows: number;
};

/**
 * What a panel lists in `rows` rows: every container when they fit or the operator expanded them;
 * otherwise the ones that need a look, with the healthy rest folded into one line (300 healthy
 * containers are one fact, not 300 lines).
 */
export function containerListing(containers: readonly ContainerSnapshot[], rows: number, expanded: boolean): ContainerListing {
	if (expanded || containers.length <= rows) return {listed: containers, folded: 0, rows};
	const listed = containers.filter(container => needsLook(container));
	const folded = containers.length - listed.length;
	return {listed, folded, rows: folded > 0 ? Math.max(1, rows - 1) : rows};
}

export type ContainerWindow = {
	readonly first: number;
	readonly shown: readonly ContainerSnapshot[];
	readonly above: number;
	readonly below: number;
};

/** The part of `listed` shown in `rows` rows, the selected one always in view; the "more" lines above and below take a row each. */
export function containerWindow(listed: readonly ContainerSnapshot[], selected: number, rows: number): ContainerWindow {
	if (listed.length <= rows) return {first: 0, shown: listed, above: 0, below: 0};
	const visible = Math.max(1, rows - 2);
	const first = Math.min(Math.max(0, selected - Math.floor(visible / 2)), listed.length - visible);
	return {first, shown: listed.slice(first, first + visible), above: first, below: listed.length - first - visible};
}

/** The dashboard's rows, top to bottom: header, one line per engine, the strip, the detail, message and footer. */
export function detailRows(body: number, environments: number, engines: number): number {
	const header = 1 + engines;
	const bottom = 2;
	return Math.max(4, body - header - environments - bottom);
}

export type DetailPlan = {
	/** The notes shown, each already wrapped to the width. */
	readonly notes: ReadonlyArray<{readonly lines: readonly string[]; readonly tone: Tone}>;
	/** Notes left out for room (counted on one line). */
	readonly moreNotes: number;
	/** The containers after the filter, before folding. */
	readonly visible: readonly ContainerSnapshot[];
	readonly listing: ContainerListing;
	readonly retained: number;
	/** A swarm environment's services, tasks and nodes; empty for containers. */
	readonly swarm: readonly SwarmRow[];
};

/**
 * How one environment's detail spends `rows` rows at `width` columns: its title and release line,
 * its notes, then the containers with what room is left. App moves the selection over
 * `listing.listed` and the detail draws the same plan, so the two never disagree.
 */
export function planDetail(status: EnvironmentStatus, options: {readonly width: number; readonly rows: number; readonly filter: string; readonly expanded: boolean; readonly ascii: boolean}): DetailPlan {
	const allNotes = environmentNotes(status);
	const notes = allNotes.slice(0, shownNotes).map(note => ({lines: wrapText(note.text, options.width - 2, noteLines, options.ascii), tone: note.tone}));
	const moreNotes = allNotes.length - notes.length;
	const retained = retainedCount(status);
	const visible = visibleContainers(status, options.filter);
	const overhead = 2 + notes.reduce((sum, note) => sum + note.lines.length, 0) + (moreNotes > 0 ? 1 : 0) + (retained > 0 ? 1 : 0) + (status.probes.length > 0 ? 1 : 0);
	const swarm = status.swarm ? swarmRows(status.swarm, {width: options.width, ascii: options.ascii, maxRows: Math.max(3, options.rows - overhead - (visible.length > 0 ? 3 : 0))}) : [];
	const listing = containerListing(visible, Math.max(3, options.rows - overhead - swarm.length), options.expanded);
	return {notes, moreNotes, visible, listing, retained, swarm};
}
