import {z} from 'zod';
import {parseDuration} from './duration.js';

const duration = z.string().transform((value, context) => {
	const milliseconds = parseDuration(value);
	if (milliseconds === undefined) {
		context.addIssue({code: 'custom', message: 'must be a duration like 30s, 30m, 2h or 1h30m'});
		return z.NEVER;
	}

	return milliseconds;
});

/** The release gates' part of `protection` (DESIGN.md §3 Gates). */
export const gateProtectionSchema = {
	/** Approvals by someone other than the promoter, per commit, before a promotion into this environment. */
	approvals: z.strictObject({
		required: z.number().int().min(1).max(10).default(1),
		/** Who may approve; empty: anyone but the promoter. */
		approvers: z.array(z.string().min(1).max(200)).default([]),
		/** How long an approval counts (default 24h). */
		expiresAfter: duration.default(24 * 3_600_000),
	}).optional(),
	/** How long a release must run here, healthy, before it may be promoted out (milliseconds once parsed). */
	soak: duration.optional(),
	/** A failed verification may be ignored in the wizard (typed confirmation, audited); absent: it may not. */
	allowIgnore: z.boolean().optional(),
};

/** `retention: {keep: N}`: earlier releases' containers and images kept for instant rollback. */
export const retentionSchema = z.strictObject({
	keep: z.number().int().min(1).max(100).default(5),
}).prefault({});
