// The precompiled build: src/cli.ts (and the experiment workers' run-point.ts) bundled by esbuild
// into dist/, which bin/el2sim.js runs when it is newer than every file under src/ and spec/
// (tsx compiles the sources on the fly otherwise). `npm run build`; `npm ci` runs it (prepare).
// Modules find the repository through import.meta.url (new URL('../../spec/', import.meta.url)):
// in the bundle each one's import.meta.url is rewritten to its source file's URL, relative to the
// bundle, so they resolve as they do from source and the tree can move.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const OUT = `${ROOT}/dist`;

/** import.meta.url of each source file, as the URL of that file relative to dist/. */
const sourceUrls = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      if (src.includes('import.meta.url')) {
        const rel = relative(OUT, args.path).split('\\').join('/');
        src = src.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents: src, loader: 'ts' };
    });
  },
};

// `node build.mjs bench/x.ts…`: bundles those instead, each to dist/x.mjs (for profiling without tsx's wrappers)
const extra = process.argv.slice(2);
if (extra.length) {
  await build({
    absWorkingDir: ROOT, entryPoints: extra, outdir: OUT, bundle: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', outExtension: { '.js': '.mjs' }, plugins: [sourceUrls], logLevel: 'warning',
  });
  process.exit(0);
}

/**
 * Packages left to node_modules: native code (canvas, esbuild), the worker pool (piscina starts its
 * own worker files), the TypeScript tools. The rest (yaml, ajv, commander…) is bundled: one file to
 * compile instead of hundreds to resolve and load at start-up.
 */
const EXTERNAL = ['@napi-rs/canvas', 'esbuild', 'piscina', 'tsx', 'typescript'];
/** CommonJS packages inside an ES module bundle call require(): give them one. */
const REQUIRE_SHIM = "import { createRequire as __el2simRequire } from 'node:module';\nconst require = __el2simRequire(import.meta.url);";

await rm(OUT, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts', 'run-point': 'src/experiments/run-point.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true, // the lazily imported commands stay out of start-up
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  banner: { js: REQUIRE_SHIM },
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]', // flat: every file sits in dist/, as sourceUrls assumes
  plugins: [sourceUrls],
  logLevel: 'warning',
});
