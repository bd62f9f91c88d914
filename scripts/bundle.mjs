// Bundles the CLI into dist/bundle/ (ESM, split so each command still loads only its own code):
// one file read instead of hundreds halves start-up. The tsc output in dist/source stays for the
// tests and for recipes/' kit, which recipes import by path.
import {randomUUID} from 'node:crypto';
import {rmSync, writeFileSync} from 'node:fs';
import {build} from 'esbuild';

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
		'@grpc/grpc-js': './scripts/no-buildkit.cjs',
		'@grpc/proto-loader': './scripts/no-buildkit.cjs',
		protobufjs: './scripts/no-buildkit.cjs',
	},
	banner: {
		js: [
			"import {createRequire as __opsconsoleCreateRequire} from 'node:module';",
			"import {fileURLToPath as __opsconsoleFileURLToPath} from 'node:url';",
			"import {dirname as __opsconsoleDirname} from 'node:path';",
			'const require = __opsconsoleCreateRequire(import.meta.url);',
			'const __filename = __opsconsoleFileURLToPath(import.meta.url);',
			'const __dirname = __opsconsoleDirname(__filename);',
		].join('\n'),
	},
});

// Which chunk holds which packages: the start-up test proves `status --json` loads no chunk with Ink.
writeFileSync('dist/bundle/meta.json', JSON.stringify(result.metafile));
