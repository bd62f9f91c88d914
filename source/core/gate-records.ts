/**
 * What opsconsole records about gates besides releases: a hold released by hand, an approval
 * given. Holds themselves are never stored; they follow from history (core/holds.ts), so a record
 * can only ever lift one, with a name and a reason on it.
 */
export type HoldReleaseRecord = {
	readonly type: 'hold-release';
	readonly env: string;
	readonly commit: string;
	readonly operator: string;
	readonly at: string;
	readonly reason: string;
};

export type ApprovalRecord = {
	readonly type: 'approval';
	readonly env: string;
	readonly commit: string;
	readonly operator: string;
	readonly at: string;
	readonly note: string | null;
	/** ISO time after which it no longer counts. */
	readonly expiresAt: string;
};

export type GateRecord = HoldReleaseRecord | ApprovalRecord;

/** Only a record of the right shape counts: a torn or hand-edited line must not lift a gate. */
export function isGateRecord(value: unknown): value is GateRecord {
	const record = value as Partial<Record<string, unknown>> | null;
	if (typeof record !== 'object' || record === null) return false;
	const common = typeof record.env === 'string' && typeof record.commit === 'string' && /^[0-9a-f]{40}$/.test(record.commit) && typeof record.operator === 'string' && typeof record.at === 'string' && !Number.isNaN(Date.parse(record.at));
	if (!common) return false;
	if (record.type === 'hold-release') return typeof record.reason === 'string';
	if (record.type === 'approval') return (record.note === null || typeof record.note === 'string') && typeof record.expiresAt === 'string' && !Number.isNaN(Date.parse(record.expiresAt));
	return false;
}
