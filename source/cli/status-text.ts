import type {EnvironmentStatus} from '../app/collect-status.js';
import {isRetained} from '../core/container.js';
import {describeHold} from '../core/holds.js';
import {describeHolder} from '../core/lock.js';
import {plural, shortSha} from '../core/words.js';
import {fit, formatAge, shortImageTag} from '../presentation/format.js';
import {containerTone, environmentHealthSymbol, environmentHealthTone, paint, type StyleOptions} from '../presentation/style.js';
import {swarmRows} from '../presentation/swarm-rows.js';

function headline(status: EnvironmentStatus, style: StyleOptions): string {
	const tone = environmentHealthTone(status.health);
	const mark = paint(`${environmentHealthSymbol(status.health, style)} ${status.health}`, tone, style);
	const title = status.title === status.name ? status.name : `${status.name} (${status.title})`;
	const pending = status.pending === null ? '' : ` · ${status.pending === 0 ? 'up to date with' : `${plural(status.pending, 'commit')} pending from`} ${status.upstream}`;
	return `${mark}  ${title}  ${status.branch}@${shortSha(status.commit)}${pending}`;
}

/** A compact, colour-optional block per environment: headline, problems, containers, probes. */
export function renderStatusText(statuses: readonly EnvironmentStatus[], style: StyleOptions, now: number): string {
	const blocks = statuses.map(status => {
		const lines = [headline(status, style)];
		const muted = (text: string) => paint(text, 'muted', style);
		lines.push(muted(`   engine ${status.engine.host}${status.release ? ` · release ${status.release}` : ''}`));
		if (status.engine.caution) lines.push(paint(`   ${style.ascii ? '!' : '⚠'} ${status.engine.caution}`, 'warn', style));
		if (status.vcsError) lines.push(paint(`   git: ${status.vcsError}`, 'warn', style));
		if (status.health !== 'healthy') {
			for (const reason of status.reasons) lines.push(paint(`   why: ${reason}`, environmentHealthTone(status.health), style));
		}

		if (status.lock && !status.lock.stale) lines.push(paint(`   locked by ${describeHolder(status.lock)}`, 'warn', style));
		for (const note of status.attention) lines.push(paint(`   attention: ${note}`, 'warn', style));
		for (const difference of status.drift) lines.push(paint(`   drift: ${difference}`, 'warn', style));
		for (const hold of status.holds ?? []) lines.push(paint(`   held: ${describeHold(hold)}`, 'warn', style));

		for (const container of status.containers) {
			const retained = isRetained(container, status.release ?? undefined);
			const health = container.health === 'none' || retained ? '' : container.health;
			const row = [
				'  ',
				fit(container.service ?? container.name, 14, style.ascii),
				fit(retained ? 'retained' : container.state, 10),
				fit(health, 10),
				fit(container.state === 'running' ? `up ${formatAge(container.startedAt, now)}` : '', 9),
				fit(container.restarts > 0 ? plural(container.restarts, 'restart') : '', 11),
				shortImageTag(container.image),
			].join(' ');
			lines.push(retained ? muted(row) : paint(row, containerTone(container.state, container.health), style));
		}

		if (status.swarm) {
			lines.push(muted(`   stack ${status.swarm.stack}`));
			for (const row of swarmRows(status.swarm, {width: 160, ascii: style.ascii})) lines.push(paint(` ${row.text}`, row.tone, style));
		}

		for (const probe of status.probes) {
			const result = probe.ok ? `ok HTTP ${probe.status}` : `FAILED ${probe.error ?? ''}`;
			lines.push(paint(`   probe ${probe.name} ${probe.url}: ${result} (${probe.ms} ms)`, probe.ok ? 'good' : 'bad', style));
		}

		return lines.join('\n');
	});
	return blocks.join('\n\n');
}

