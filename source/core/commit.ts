export type CommitSummary = {
	readonly sha: string;
	readonly subject: string;
	readonly author: string;
	readonly email: string;
	/** ISO author date. */
	readonly date: string;
};

export type ChangedFile = {
	readonly path: string;
	readonly added: number | null;
	readonly removed: number | null;
};
