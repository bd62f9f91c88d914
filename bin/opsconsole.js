#!/usr/bin/env node
// Tiny launcher: the built CLI decides what to load, so `status --json` never pays for Ink.
let main;
try {
	({main} = await import('../dist/bundle/main.js'));
} catch (error) {
	if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bundle/main.js')) throw error;
	process.stderr.write('opsconsole: not built yet — run `npm run build` (or `npm start`) in the opsconsole folder\n');
	process.exit(2);
}

process.exitCode = await main(process.argv.slice(2));
