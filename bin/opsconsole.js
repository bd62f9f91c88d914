#!/usr/bin/env -S node --max-semi-space-size=1
// A young generation of 1 MB instead of V8's 16 keeps the dashboard's resident memory under 80 MB
// with 30 containers (about 87 MB without). Its price: with any heap flag, V8 turns down Node's
// compiled code for its built-in modules, which then compile at start, about 20 ms of a `status`
// and 45 ms or more of a dashboard's first frame.
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
