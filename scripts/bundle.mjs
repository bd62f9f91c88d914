// Bundles the CLI into dist/bundle/ (ESM, split so each command still loads only its own code):
// one file read instead of hundreds halves start-up. The tsc output in dist/source stays for the
// tests and for recipes/' kit, which recipes import by path.
import {randomUUID} from 'node:crypto';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {build} from 'esbuild';

const commonJsGlobals = [
	"import {createRequire as __opsconsoleCreateRequire} from 'node:module';",
	"import {fileURLToPath as __opsconsoleFileURLToPath} from 'node:url';",
	"import {dirname as __opsconsoleDirname} from 'node:path';",
	'const require = __opsconsoleCreateRequire(import.meta.url);',
	'const __filename = __opsconsoleFileURLToPath(import.meta.url);',
	'const __dirname = __opsconsoleDirname(__filename);',
].join('\n');

/**
 * docker-modem formats every request's options, agent and abort signal included, with
 * `util.inspect(…, {showHidden: true, depth: null})` to hand the text to a `debug` logger that is
 * off unless DEBUG names it: 6–10 ms of each `status`, more per request through an ssh or TLS agent.
 * The call is made only when that logger is on. Any other text in that file fails the build, so
 * an upgrade of docker-modem is looked at again, not silently left slow.
 */
const formatOnlyWhenDebugging = {
	name: 'docker-modem-format-only-when-debugging',
	setup(build) {
		build.onLoad({filter: /docker-modem[\\/]lib[\\/]modem\.js$/}, args => {
			const eager = "debug('Sending: %s', util.inspect(options, {";
			const code = readFileSync(args.path, 'utf8');
			if (code.split(eager).length !== 2) throw new Error(`${args.path}: expected one "${eager}" to make lazy`);
			return {contents: code.replace(eager, `debug.enabled && ${eager}`), loader: 'js'};
		});
	},
};

rmSync('dist/bundle', {recursive: true, force: true});
const result = await build({
	entryPoints: {launcher: 'source/launcher.ts'},
	outdir: 'dist/bundle',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	minify: true,
	// React's production build: a fraction of the development build's size and start-up time.
	// OPSCONSOLE_BUILD_ID: a cached validation of environment files holds only for the build that made it.
	define: {'process.env.NODE_ENV': '"production"', OPSCONSOLE_BUILD_ID: JSON.stringify(randomUUID())},
	logLevel: 'warning',
	metafile: true,
	// Ink only loads react-devtools-core when DEV=true; it is not a dependency of ours. The others:
	// see each stand-in's opening comment.
	alias: {
		'react-devtools-core': './scripts/empty-module.mjs',
		ssh2: './scripts/no-ssh2.cjs',
		'tar-fs': './scripts/lazy-tar-fs.cjs',
		uuid: './scripts/lazy-uuid.cjs',
		'readable-stream': './scripts/core-readable-stream.cjs',
		'string-width': './scripts/narrow-first-string-width.cjs',
		'@grpc/grpc-js': './scripts/no-buildkit.cjs',
		'@grpc/proto-loader': './scripts/no-buildkit.cjs',
		protobufjs: './scripts/no-buildkit.cjs',
	},
	banner: {js: commonJsGlobals},
	plugins: [formatOnlyWhenDebugging],
});

// The CommonJS globals bundled packages expect, in the few chunks that use them: in each of the
// ~30 chunks a command loads, the banner's three imports cost the ESM loader about half a millisecond.
for (const file of Object.keys(result.metafile.outputs).filter(output => output.endsWith('.js'))) {
	const code = readFileSync(file, 'utf8');
	if (!code.startsWith(`${commonJsGlobals}\n`)) throw new Error(`${file} does not open with the CommonJS globals banner`);
	const body = code.slice(commonJsGlobals.length + 1);
	if (!/\brequire\b|__filename|__dirname/.test(body)) writeFileSync(file, body);
}

// Which chunk holds which packages: the start-up test proves `status --json` loads no chunk with Ink.
writeFileSync('dist/bundle/meta.json', JSON.stringify(result.metafile));
