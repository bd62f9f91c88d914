/** One line of the audit log: who did what, where, when, and how it ended. */
export type AuditEntry = {
	readonly at: string;
	readonly operator: string;
	readonly host: string;
	readonly sshClient: string | null;
	readonly action: string;
	readonly env: string | null;
	readonly outcome: string;
	readonly release?: string;
	readonly commit?: string;
	readonly detail?: string;
};

/** Who is acting and from where, for locks, history and the audit log. */
export type OperatorIdentity = {
	readonly operator: string;
	readonly host: string;
	/** The SSH client's address when the operator came in over SSH. */
	readonly sshClient: string | null;
};

/** An audit entry for `identity`, now. */
export function auditEntry(identity: OperatorIdentity, entry: Pick<AuditEntry, 'action' | 'env' | 'outcome' | 'release' | 'commit' | 'detail'>, at: Date): AuditEntry {
	return {at: at.toISOString(), operator: identity.operator, host: identity.host, sshClient: identity.sshClient, ...entry};
}
