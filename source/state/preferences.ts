import Conf from 'conf';

/** Small per-user preferences (conf): remembered between sessions, never required. */
export type Preferences = {
	lastEnvironment?: string;
	ascii?: boolean;
	/** Read-only everywhere (e.g. on a bastion). */
	readOnly?: boolean;
	/** Environments this user only watches, e.g. ["production"]. */
	readOnlyEnvironments?: string[];
};

export type PreferenceStore = {
	read(): Preferences;
	update(change: Partial<Preferences>): void;
};

/** Preferences in the user's config folder, or OPSCONSOLE_CONFIG_DIR (tests, shared bastion accounts). */
export function openPreferences(environment: NodeJS.ProcessEnv = process.env): PreferenceStore {
	const directory = environment['OPSCONSOLE_CONFIG_DIR'];
	const store = new Conf<Preferences>({projectName: 'opsconsole', projectSuffix: '', ...(directory ? {cwd: directory} : {})});
	return {
		read: () => store.store,
		update(change) {
			try {
				store.set(change as Preferences);
			} catch {
				// A read-only home or a full disk must not break the console; the preference is just not kept.
			}
		},
	};
}
