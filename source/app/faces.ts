import type {EnvironmentStatus} from './collect-status.js';
import type {GlobalOptions, Services} from './services.js';

/**
 * The interactive faces, as the scriptable face sees them: the launcher hands these to the CLI,
 * which decides when a terminal should get a screen instead of lines, without ever loading Ink.
 */
export type InteractiveFaces = {
	dashboard(services: Services, globals: GlobalOptions): Promise<number>;
	promotionWizard(services: Services, globals: GlobalOptions, from: string | undefined, to: string | undefined): Promise<number>;
	rollbackPicker(services: Services, globals: GlobalOptions, env: string): Promise<number>;
	/** `opsconsole check ENV` in a terminal: the checklist screen (present mode with `present`). */
	checklist(services: Services, globals: GlobalOptions, env: string, options: {readonly present: boolean}): Promise<number>;
	/** The dashboard as text, once (`--once`), `width` columns wide. */
	dashboardText(services: Services, statuses: readonly EnvironmentStatus[], width: number, ascii: boolean): Promise<string>;
};
