import type {EnvironmentStatus} from '../app/collect-status.js';
import {isRetained} from '../core/container.js';

/** The `status --json` shape (issue-pinned field names). */
export function statusJson(statuses: readonly EnvironmentStatus[]) {
	return {
		environments: statuses.map(status => ({
			name: status.name,
			title: status.title,
			health: status.health,
			reasons: status.reasons,
			branch: status.branch,
			commit: status.commit,
			upstream: status.upstream,
			pending: status.pending,
			pendingCommits: status.pendingCommits.map(commit => ({sha: commit.sha, subject: commit.subject, author: commit.author, date: commit.date})),
			vcsError: status.vcsError,
			release: status.release,
			engine: status.engine,
			containers: status.containers.map(container => ({
				id: container.id,
				name: container.name,
				service: container.service ?? null,
				image: container.image,
				state: container.state,
				health: container.health,
				cause: container.cause ?? null,
				restarts: container.restarts,
				startedAt: container.startedAt ?? null,
				commit: container.commit ?? null,
				release: container.release ?? null,
				retained: isRetained(container, status.release ?? undefined),
			})),
			runningCommit: status.runningCommit,
			swarm: status.swarm,
			probes: status.probes.map(probe => ({name: probe.name, url: probe.url, ok: probe.ok, status: probe.status, ms: probe.ms, error: probe.error ?? null})),
			attention: status.attention,
			lock: status.lock,
			drift: status.drift,
			holds: status.holds ?? [],
		})),
	};
}
