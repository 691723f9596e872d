// `el2sim run-point RUN_DIR INDEX…`: what a SLURM array task runs. It expands
// the run's copy of the experiment (with the run's --quick), runs the points at
// those indices one after another in this process, and appends each to the
// run's points.jsonl as a local worker's would be (one O_APPEND write a line,
// so tasks appending at once never tear each other's lines), with where it ran
// (the node, the job and the array task). Points already in points.jsonl (a
// requeued task) are not run again. SIGTERM (scancel, a time limit, preemption)
// stops it after the point it is running has been written.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadExperiment } from './experiment.js';
import { RunError } from './run-error.js';
import { POINTS_FILE, PointsWriter, readPoints } from './points-file.js';
import { expand } from './points.js';
import { runPoint } from './run-point.js';
import { runQuick, type HostedResult, type PointHost } from './slurm.js';


/** Where this process runs: the SLURM node and array task when it is one. */
export function pointHost(env: NodeJS.ProcessEnv = process.env): PointHost {
  return {
    node: env.SLURMD_NODENAME ?? hostname(),
    ...(env.SLURM_ARRAY_JOB_ID ?? env.SLURM_JOB_ID ? { job: env.SLURM_ARRAY_JOB_ID ?? env.SLURM_JOB_ID } : {}),
    ...(env.SLURM_ARRAY_TASK_ID !== undefined ? { task: env.SLURM_ARRAY_TASK_ID } : {}),
  };
}

export interface RunPointsOutcome { ran: string[]; skipped: string[]; failed: string[]; stopped: boolean }

export async function runPointsAt(dir: string, indices: string[], log: (msg: string) => void = () => {}): Promise<RunPointsOutcome> {
  const expFile = join(dir, 'experiment.yaml');
  if (!existsSync(expFile)) throw new RunError(`${dir} is not a run directory: no experiment.yaml`);
  const points = expand(loadExperiment(expFile, { quick: runQuick(dir) }));
  const chosen = indices.map((s) => {
    const i = Number(s);
    if (!/^\d+$/.test(s) || i >= points.length) throw new RunError(`point index '${s}' is not one of 0..${points.length - 1}`);
    return points[i]!;
  });
  const file = join(dir, POINTS_FILE);
  const done = readPoints(file, { cut: false }); // other tasks may be appending
  const host = pointHost();
  let stop = false;
  const onTerm = () => {
    stop = true;
    log('SIGTERM: stopping after the point being run');
  };
  process.on('SIGTERM', onTerm);
  const out: RunPointsOutcome = { ran: [], skipped: [], failed: [], stopped: false };
  const writer = new PointsWriter(file);
  try {
    for (const p of chosen) {
      // let a pending SIGTERM be seen between points
      await new Promise((r) => setImmediate(r));
      if (stop) { out.stopped = true; break; }
      if (done.has(p.id)) { out.skipped.push(p.id); continue; }
      const t0 = Date.now();
      const r: HostedResult = { ...runPoint(p), host };
      writer.append(r);
      out.ran.push(p.id);
      if (r.error) out.failed.push(p.id);
      log(`${p.id}: ${r.error ? `FAILED: ${r.error}` : r.stop} (${((Date.now() - t0) / 1000).toFixed(1)} s on ${host.node})`);
    }
  } finally {
    writer.close();
    process.off('SIGTERM', onTerm);
  }
  return out;
}
