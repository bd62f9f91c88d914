import type {InteractiveFaces} from './app/faces.js';

/**
 * Ink's layout engine (yoga, compiled to WebAssembly) asks `typeof fetch` while it loads, and in
 * Node 20 the first touch of that global loads undici: 40 to 70 ms of a screen's start-up, for a
 * download yoga never makes (its code is inline). The global is hidden while a screen's modules
 * load and then put back as it was, so checks that do fetch still can.
 */
async function loadScreen<T>(load: () => Promise<T>): Promise<T> {
	const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	if (!fetchProperty?.configurable) return load();
	Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true, enumerable: fetchProperty.enumerable ?? false});
	try {
		return await load();
	} finally {
		Object.defineProperty(globalThis, 'fetch', fetchProperty);
	}
}

const loadDashboard = async () => loadScreen(async () => import('./ui/run-dashboard.js'));

/**
 * Picks the face: the scriptable CLI parses the command line and, when a terminal should get a
 * screen, asks for one here. Ink, React and the screens load only then, so `status --json` never
 * pays for them, and cli/ never imports ui/.
 */
const faces: InteractiveFaces = {
	async dashboard(services, globals) {
		// The engines' lists are read while the UI's modules load; the first read's inspects wait for them.
		const {LiveMonitor} = await import('./app/live-monitor.js');
		let screen: ReturnType<typeof loadDashboard> | undefined;
		const monitor = new LiveMonitor(services, services.project.environments, {detailsAfter: async () => screen});
		monitor.start();
		screen = loadDashboard();
		try {
			const {runDashboard} = await screen;
			return await runDashboard(services, globals, monitor);
		} finally {
			monitor.stop();
		}
	},
	async promotionWizard(services, globals, from, to) {
		const {runPromotionWizard} = await loadScreen(async () => import('./ui/run-promotion-wizard.js'));
		return runPromotionWizard(services, globals, from, to);
	},
	async rollbackPicker(services, globals, env) {
		const {runRollbackPicker} = await loadScreen(async () => import('./ui/run-rollback-picker.js'));
		return runRollbackPicker(services, globals, env);
	},
	async checklist(services, globals, env, options) {
		const {runChecklistScreen} = await loadScreen(async () => import('./ui/run-checklist.js'));
		return runChecklistScreen(services, globals, env, options);
	},
	async dashboardText(services, statuses, width, ascii) {
		const {printDashboard} = await loadScreen(async () => import('./ui/print-dashboard.js'));
		return printDashboard(services, statuses, width, ascii);
	},
};

/** Runs opsconsole with these arguments and resolves to the process's exit code. */
export async function launch(argv: readonly string[]): Promise<number> {
	// A closed pipe (`| head`) or a dropped SSH session must not end an operation before it records its outcome.
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
	const {main} = await import('./cli/main.js');
	return main(argv, faces);
}
