// Points in parallel on worker threads (piscina), each worker running
// run-point.ts through tsx, with a progress bar on stderr (a line every few
// seconds when stderr is not a terminal). A point that throws, or whose worker
// dies (out of memory, say), is a failed point with its reason; piscina
// replaces the worker and the sweep goes on.
import { createRequire } from 'node:module';
import { totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { Piscina } from 'piscina';
import type { Point } from './points.js';
import { failedPoint, type PointResult } from './run-point.js';

/** tsx's loader by absolute URL, so workers compile TypeScript whatever the current directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The precompiled build's run-point (set by bin/el2sim.js when it runs the build): workers need no tsx then. */
const WORKER_BUNDLE = process.env.EL2SIM_WORKER_BUNDLE;

export interface PoolOptions { jobs: number; progress: boolean; alreadyDone: number; total: number }

/** Runs the points; `onDone` sees each result as soon as it is finished, in completion order. */
export async function runPoints(points: Point[], opts: PoolOptions, onDone: (r: PointResult) => void): Promise<void> {
  if (!points.length) return;
  const pool = new Piscina({
    filename: WORKER_BUNDLE ?? new URL('./run-point.ts', import.meta.url).href,
    name: 'runPoint',
    minThreads: Math.min(opts.jobs, points.length),
    maxThreads: Math.min(opts.jobs, points.length),
    execArgv: WORKER_BUNDLE ? [] : ['--import', TSX_LOADER],
    // a point that outgrows its share of the machine ends its worker, not the whole run
    resourceLimits: { maxOldGenerationSizeMb: Math.floor(totalmem() / (1 << 20) / (opts.jobs + 1)) },
  });
  const bar = opts.progress ? new SingleBar({
    stream: process.stderr, format: 'el2sim: {bar} {value}/{total} points | {eta_formatted} left | {last}', etaBuffer: 8,
    noTTYOutput: true, notTTYSchedule: 10_000,
  }, Presets.shades_classic) : undefined;
  bar?.start(opts.total, opts.alreadyDone, { last: '' });
  try {
    await Promise.all(points.map(async (p) => {
      let r: PointResult;
      try {
        r = (await pool.run(p)) as PointResult;
      } catch (e) {
        r = failedPoint(p, `the point could not be simulated: ${(e as Error).message ?? String(e)}`);
      }
      onDone(r);
      bar?.increment({ last: r.error ? `${r.id} FAILED` : r.id });
    }));
  } finally {
    bar?.stop();
    await pool.destroy();
  }
}
