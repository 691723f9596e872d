// Points in parallel on worker threads (piscina), each worker running
// run-point.ts through tsx, with a progress bar on stderr.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { Piscina } from 'piscina';
import type { Point } from './points.js';
import type { PointResult } from './run-point.js';

/** tsx's loader by absolute URL, so workers compile TypeScript whatever the current directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface PoolOptions { jobs: number; progress: boolean; alreadyDone: number; total: number }

/** Runs the points; `onDone` sees each result as soon as it is finished, in completion order. */
export async function runPoints(points: Point[], opts: PoolOptions, onDone: (r: PointResult) => void): Promise<void> {
  if (!points.length) return;
  const pool = new Piscina({
    filename: new URL('./run-point.ts', import.meta.url).href,
    name: 'runPoint',
    minThreads: Math.min(opts.jobs, points.length),
    maxThreads: Math.min(opts.jobs, points.length),
    execArgv: ['--import', TSX_LOADER],
  });
  const bar = opts.progress ? new SingleBar({ stream: process.stderr, format: 'el2sim: {bar} {value}/{total} points | {eta_formatted} left | {last}', etaBuffer: 8 }, Presets.shades_classic) : undefined;
  bar?.start(opts.total, opts.alreadyDone, { last: '' });
  try {
    await Promise.all(points.map(async (p) => {
      const r = (await pool.run(p)) as PointResult;
      onDone(r);
      bar?.increment({ last: r.error ? `${r.id} FAILED` : r.id });
    }));
  } finally {
    bar?.stop();
    await pool.destroy();
  }
}
