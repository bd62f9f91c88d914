import type {NodeSnapshot, ServiceSnapshot, TaskSnapshot} from '../core/swarm.js';
import {fit, shortImageTag} from './format.js';
import type {Tone} from './style.js';

/** The part of a status a swarm listing needs (collect-status's SwarmStatus). */
export type SwarmView = {
	readonly stack: string;
	readonly services: readonly ServiceSnapshot[];
	readonly nodes: readonly NodeSnapshot[];
	readonly error: string | null;
};

export type SwarmRow = {readonly text: string; readonly tone: Tone};

function serviceTone(service: ServiceSnapshot): Tone {
	if (service.desired > 0 && service.running === 0) return 'bad';
	if (service.running < service.desired || service.updateState === 'paused' || service.updateState === 'rollback_paused') return 'warn';
	if (service.updateState === 'updating' || service.updateState === 'rollback_started') return 'warn';
	return 'good';
}

function taskTone(task: TaskSnapshot): Tone {
	if (task.state === 'failed' || task.state === 'rejected' || task.health === 'unhealthy') return 'bad';
	if (task.desiredState !== 'running') return 'muted';
	return task.state === 'running' ? 'good' : 'warn';
}

function updateWords(service: ServiceSnapshot): string {
	if (!service.updateState) return '';
	return `update ${service.updateState.replace('_', ' ')}`;
}

export function describeNode(node: NodeSnapshot): string {
	return `${node.hostname} (${node.role}, ${node.availability}, ${node.state})`;
}

/**
 * A swarm environment's services, each followed by its tasks (node, state, health, error), then
 * its nodes' availability: the rows both `status` and the dashboard show, at most `maxRows` of
 * them (tasks of healthy services are the first to be left out).
 */
export function swarmRows(view: SwarmView, options: {readonly width: number; readonly ascii: boolean; readonly maxRows?: number}): SwarmRow[] {
	if (view.error) return [{text: `stack ${view.stack}: ${view.error}`, tone: 'bad'}];
	const nodes: SwarmRow = {text: `nodes: ${view.nodes.map(node => describeNode(node)).join(', ') || 'none'}`, tone: view.nodes.some(node => node.availability !== 'active' || node.state !== 'ready') ? 'warn' : 'muted'};
	if (view.services.length === 0) return [{text: `stack ${view.stack}: no services`, tone: 'bad'}, nodes];
	const nameWidth = Math.min(16, Math.max(4, ...view.services.map(service => service.service.length)));
	const branch = options.ascii ? '`-' : '└';
	const rows: Array<SwarmRow & {task: boolean; healthy: boolean}> = [];
	for (const service of view.services) {
		const tone = serviceTone(service);
		const counts = `${service.running}/${service.desired} running`;
		const message = service.updateMessage && tone !== 'good' ? ` (${service.updateMessage})` : '';
		rows.push({text: `  ${fit(service.service, nameWidth, options.ascii)} ${fit(counts, 13)} ${fit(updateWords(service), 24)} ${shortImageTag(service.image)}${message}`, tone, task: false, healthy: tone === 'good'});
		for (const task of service.tasks) {
			const name = task.slot === undefined ? service.service : `${service.service}.${task.slot}`;
			const health = task.health === 'none' ? '' : task.health;
			const error = task.error ? ` ${task.error}` : '';
			rows.push({text: `    ${branch} ${fit(name, nameWidth + 3, options.ascii)} ${fit(task.node, 12, options.ascii)} ${fit(task.state, 9)} ${fit(health, 9)}${error}`, tone: taskTone(task), task: true, healthy: tone === 'good'});
		}
	}

	let shown = rows;
	const room = (options.maxRows ?? Number.POSITIVE_INFINITY) - 1;
	if (shown.length > room) shown = shown.filter(row => !(row.task && row.healthy));
	if (shown.length > room) shown = shown.filter(row => !row.task);
	const kept = shown.length === rows.length ? shown : shown.slice(0, Math.max(0, room - 1));
	const hidden = rows.length - kept.length;
	return [
		...kept.map(row => ({text: fit(row.text, options.width, options.ascii), tone: row.tone})),
		...(hidden > 0 ? [{text: `  … ${hidden} more rows (opsconsole status shows them all)`, tone: 'muted' as const}] : []),
		{text: fit(nodes.text, options.width, options.ascii), tone: nodes.tone},
	];
}
