#!/usr/bin/env node
// Tiny launcher: the bundle's launcher loads the CLI, and a screen only when a terminal gets one.
let launch;
try {
	({launch} = await import('../dist/bundle/launcher.js'));
} catch (error) {
	if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bundle/launcher.js')) throw error;
	process.stderr.write('opsconsole: not built yet — run `npm run build` (or `npm start`) in the opsconsole folder\n');
	process.exit(2);
}

process.exitCode = await launch(process.argv.slice(2));
