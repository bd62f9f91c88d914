/** Who holds an environment's lock, since when, doing what. */
export type LockHolder = {
	readonly env: string;
	readonly operator: string;
	readonly host: string;
	/** The holding process, or null for a lock taken by hand (`opsconsole lock`) that outlives it. */
	readonly pid: number | null;
	readonly since: string;
	readonly action: string;
	readonly message: string | null;
};

export type LockState = LockHolder & {
	/** The holding process is known to be gone (same host, pid not alive). */
	readonly stale: boolean;
};

export function describeHolder(holder: LockState): string {
	const doing = holder.message ? `${holder.action}: ${holder.message}` : holder.action;
	const staleNote = holder.stale ? ` — stale: process ${holder.pid} on ${holder.host} is gone` : '';
	return `${holder.operator} on ${holder.host} since ${holder.since} (${doing})${staleNote}`;
}
