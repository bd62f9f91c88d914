/** One line of the audit log: who did what, where, when, and how it ended. */
export type AuditEntry = {
	readonly at: string;
	readonly operator: string;
	readonly host: string;
	readonly sshClient: string | null;
	/** The real user when the operator ran opsconsole through sudo. */
	readonly sudoUser?: string | null;
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
	/** The SSH client's address when the operator came in over SSH (also through sudo). */
	readonly sshClient: string | null;
	/** The real user behind sudo (SUDO_USER), when opsconsole runs as someone else. */
	readonly sudoUser: string | null;
};

/** Who is acting, as the dashboard's header says it: `ana@example.com (ssh from 10.0.0.5, sudo by ana)`. */
export function describeOperator(identity: OperatorIdentity): string {
	const origins = [identity.sshClient ? `ssh from ${identity.sshClient}` : undefined, identity.sudoUser ? `sudo by ${identity.sudoUser}` : undefined].filter(Boolean);
	return origins.length > 0 ? `${identity.operator} (${origins.join(', ')})` : identity.operator;
}

/** An audit entry for `identity`, now. */
export function auditEntry(identity: OperatorIdentity, entry: Pick<AuditEntry, 'action' | 'env' | 'outcome' | 'release' | 'commit' | 'detail'>, at: Date): AuditEntry {
	return {at: at.toISOString(), operator: identity.operator, host: identity.host, sshClient: identity.sshClient, sudoUser: identity.sudoUser, ...entry};
}
