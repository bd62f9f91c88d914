import type {ServiceConfig} from './environment-schema.js';

/**
 * DESIGN.md §3: how a release ended. `running` only while one is under way; `interrupted` when
 * the process running it died without recording an outcome (found by the next run).
 */
export type ReleaseOutcome = 'running' | 'succeeded' | 'failed' | 'rolled-back' | 'aborted' | 'interrupted';

export type ReleaseKind = 'promotion' | 'deploy' | 'rollback';

export type ReleaseStep = {
	/** The flow's stable step id (core/operation-flow.ts). */
	readonly id: string;
	readonly name: string;
	readonly startedAt: string;
	readonly finishedAt?: string;
	readonly ms?: number;
	readonly ok?: boolean;
	readonly error?: string;
	/** A failed verification the operator chose to ignore (guided failure). */
	readonly ignored?: boolean;
	/** How many times the operator retried it. */
	readonly retries?: number;
};

/** One deployment of one commit to one environment, as history keeps it. */
export type ReleaseRecord = {
	readonly id: string;
	readonly env: string;
	readonly kind: ReleaseKind;
	/** The environment promoted from (promotions only). */
	readonly from: string | null;
	readonly commit: string;
	/** What the environment ran before (the commit a rollback returns to). */
	readonly previous: string | null;
	readonly previousRelease: string | null;
	readonly images: readonly string[];
	readonly operator: string;
	readonly host: string;
	readonly startedAt: string;
	readonly finishedAt: string | null;
	readonly steps: readonly ReleaseStep[];
	readonly outcome: ReleaseOutcome;
	readonly error: string | null;
	/** For rolled-back or aborted releases: the release the environment went back to. */
	readonly rolledBackTo: string | null;
	readonly pid: number;
	readonly logFile: string | null;
};

function compactTime(date: Date): string {
	return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `staging-20261123-010203-1a2b3c4`: sortable, readable, names the environment and commit. */
export function newReleaseId(env: string, commit: string, at: Date): string {
	return `${env}-${compactTime(at)}-${commit.slice(0, 7)}`;
}

/**
 * A release that passed its verification: succeeded, with no failed verification the operator chose
 * to ignore. Only these count as "verified", lift a hold, or are offered as the way back.
 */
export function verifiedRelease(release: Pick<ReleaseRecord, 'outcome' | 'steps'>): boolean {
	return release.outcome === 'succeeded' && !release.steps.some(step => step.ignored);
}

/** `demo-web:1a2b3c4d5e6f`: one image per service and commit, so a rollback finds it again. */
export function imageTagFor(service: Pick<ServiceConfig, 'image'>, commit: string): string {
	return `${service.image}:${commit.slice(0, 12)}`;
}

/** `registry:5000/demo-web` of `registry:5000/demo-web:1a2b3c4d5e6f`: the name without its tag. */
export function imageRepository(tag: string): string {
	const colon = tag.lastIndexOf(':');
	return colon === -1 || tag.slice(colon).includes('/') ? tag : tag.slice(0, colon);
}
