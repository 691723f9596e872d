#!/usr/bin/env node
// Entry point. Runs the precompiled build (dist/cli.mjs, `npm run build`) when it is newer than
// every file under src/ and spec/; otherwise makes sure src/generated matches spec/ and runs the
// CLI from TypeScript source through tsx (compiled on the fly, about 0.5 s more per process).
// EL2SIM_NO_BUNDLE=1 always runs from source.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUNDLE = join(ROOT, 'dist/cli.mjs');

/** Whether every file under src/ and spec/ is older than the bundle (false when there is none). */
function bundleCurrent() {
  let built;
  try { built = statSync(BUNDLE).mtimeMs; } catch { return false; }
  const newer = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() ? newer(p) : statSync(p).mtimeMs > built) return true;
    }
    return false;
  };
  return !newer(join(ROOT, 'src')) && !newer(join(ROOT, 'spec'));
}

let main;
if (!process.env.EL2SIM_NO_BUNDLE && bundleCurrent()) {
  // the experiment runner's workers load the bundle's run-point too (src/experiments/pool.ts)
  process.env.EL2SIM_WORKER_BUNDLE = new URL('../dist/run-point.mjs', import.meta.url).href;
  ({ main } = await import(BUNDLE));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { ensureGenerated } = await import('../src/gen/ensure.ts');
  if (!ensureGenerated()) process.exit(1);
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
