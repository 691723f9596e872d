// `el2sim run`: an experiment from file to results/<name>/<run-id>/ —
// expand, skip what a resumed run already has, run the rest in parallel while
// streaming each point to points.jsonl, then write results.csv, stats/,
// provenance.json, the charts and report.md from everything points.jsonl holds.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../report/report.js';
import { loadExperiment } from './experiment.js';
import { VMM_PATH } from '../machine/vm.js';
import { PointsWriter, POINTS_FILE, readPoints } from './points-file.js';
import { expand } from './points.js';
import { runPoints } from './pool.js';
import { writeProvenance } from './provenance.js';
import { compareTwins, problems, writeResults } from './results.js';
import type { PointResult } from './run-point.js';

export class RunError extends Error {}

export interface RunOptions {
  /** The run directory (default results/<name>/<run-id>). */
  out?: string;
  /** A run directory to complete: points already in its points.jsonl are not run again. */
  resume?: string;
  jobs?: number;
  quick?: boolean;
  /** Show the progress bar (on stderr). */
  progress?: boolean;
  /** Told where the run goes and how much of it is left, before any point runs. */
  onStart?: (info: { dir: string; total: number; todo: number; jobs: number }) => void;
}

export interface RunOutcome { dir: string; results: PointResult[]; problems: string[]; ran: number; resumed: number; charts: string[] }

/** UTC, sortable, a safe directory name: 20250102-030405. */
const runId = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export async function runExperiment(file: string, opts: RunOptions = {}): Promise<RunOutcome> {
  const started = new Date();
  const exp = loadExperiment(file, { quick: opts.quick });
  const points = expand(exp);
  if (points.some((p) => p.vmm) && !existsSync(VMM_PATH)) throw new RunError(`the experiment has hypervisor modes, but there is no vmm image at ${VMM_PATH} (make -C vmm builds it)`);
  if (opts.out && opts.resume) throw new RunError('--out and --resume name the run directory both; give one');
  const dir = opts.resume ?? opts.out ?? join('results', exp.name, runId(started));
  const pointsFile = join(dir, POINTS_FILE);
  if (opts.resume && !existsSync(pointsFile)) throw new RunError(`--resume ${dir}: no ${POINTS_FILE} there`);
  if (!opts.resume && existsSync(pointsFile)) throw new RunError(`${dir} already holds a run (${POINTS_FILE}); --resume ${dir} completes it`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'experiment.yaml'), exp.text);

  const done = readPoints(pointsFile);
  const byId = new Map(points.map((p) => [p.id, p]));
  for (const [id, r] of done) {
    const p = byId.get(id);
    if (!p) throw new RunError(`${pointsFile}: point ${id} is not a point of ${file}${exp.quick ? ' with --quick' : ''}; resume with the experiment and options the run started with`);
    if (JSON.stringify(r.point) !== JSON.stringify(p)) throw new RunError(`${pointsFile}: point ${id} was run with a different configuration than ${file} gives now`);
  }
  const todo = points.filter((p) => !done.has(p.id));
  const jobs = opts.jobs ?? availableParallelism();
  opts.onStart?.({ dir, total: points.length, todo: todo.length, jobs });
  const writer = new PointsWriter(pointsFile);
  try {
    await runPoints(todo, { jobs, progress: opts.progress ?? false, alreadyDone: done.size, total: points.length }, (r) => {
      writer.append(r);
      done.set(r.id, r);
    });
  } finally {
    writer.close();
  }

  const results = points.map((p) => done.get(p.id)!);
  compareTwins(results);
  const found = problems(results);
  writeResults(dir, results);
  const git = writeProvenance(join(dir, 'provenance.json'), exp, points, {
    startedAt: started.toISOString(), finishedAt: new Date().toISOString(), jobs, pointsRun: todo.length, pointsResumed: points.length - todo.length,
  });
  const charts = writeReport(dir, { exp, results, problems: found, provenance: git });
  return { dir, results, problems: found, ran: todo.length, resumed: points.length - todo.length, charts };
}
