// `el2sim run`: an experiment from file to results/<name>/<run-id>/ —
// expand, skip what a resumed run already has, run the rest in parallel while
// streaming each point to points.jsonl, then write results.csv, stats/,
// provenance.json, the charts and report.md from everything points.jsonl holds.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { writeReport } from '../report/report.js';
import { loadExperiment, type Experiment } from './experiment.js';
import { RunError } from './run-error.js';
import { lockRun } from './run-lock.js';
import { VMM_PATH } from '../machine/vm.js';
import { PointsFileError, PointsWriter, POINTS_FILE, readPoints } from './points-file.js';
import { expand, pointCount, type Point } from './points.js';
import { runPoints } from './pool.js';
import { writeProvenance } from './provenance.js';
import { compareTwins, problems, writeResults } from './results.js';
import type { PointResult } from './run-point.js';

export { RunError };

export interface RunOptions {
  /** The run directory (default results/<name>/<run-id>). */
  out?: string;
  /** A run directory to complete: points already in its points.jsonl are not run again. */
  resume?: string;
  jobs?: number;
  quick?: boolean;
  /** Run a sweep of more than POINTS_WITHOUT_YES points. */
  yes?: boolean;
  /** Show the progress bar (on stderr). */
  progress?: boolean;
  /** Told where the run goes and how much of it is left, before any point runs. */
  onStart?: (info: { dir: string; total: number; todo: number; jobs: number }) => void;
}

export interface RunOutcome { dir: string; results: PointResult[]; problems: string[]; ran: number; resumed: number; charts: string[] }

/** UTC, sortable, a safe directory name: 20250102-030405. */
const runId = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** Above this many points a run needs `yes` (--yes): a sweep that large is more likely a slip than a plan. */
export const POINTS_WITHOUT_YES = 10_000;

export async function runExperiment(file: string, opts: RunOptions = {}): Promise<RunOutcome> {
  const started = new Date();
  const exp = loadExperiment(file, { quick: opts.quick });
  const count = pointCount(exp);
  if (count > POINTS_WITHOUT_YES && !opts.yes) throw new RunError(`${file} expands into ${count.toLocaleString('en-US')} points (more than ${POINTS_WITHOUT_YES.toLocaleString('en-US')}); --yes runs it anyway`);
  const points = expand(exp);
  if (points.some((p) => p.vmm) && !existsSync(VMM_PATH)) throw new RunError(`the experiment has hypervisor modes, but there is no vmm image at ${VMM_PATH} (make -C vmm builds it)`);
  if (opts.out && opts.resume) throw new RunError('--out and --resume name the run directory both; give one');
  const dir = opts.resume ?? opts.out ?? newRunDir(join('results', exp.name), runId(started));
  const pointsFile = join(dir, POINTS_FILE);
  if (opts.resume && !existsSync(pointsFile)) throw new RunError(`--resume ${dir}: no ${POINTS_FILE} there`);
  if (!opts.resume && existsSync(pointsFile)) throw new RunError(`${dir} already holds a run (${POINTS_FILE}); --resume ${dir} completes it`);
  mkdirSync(dir, { recursive: true });
  const lock = lockRun(dir);
  if ('heldBy' in lock) throw new RunError(`${dir} is being run by another el2sim (process ${lock.heldBy}); wait for it, or stop it first`);
  try {
    // everything is checked before anything in the directory is written
    let done: Map<string, PointResult>;
    try {
      done = readPoints(pointsFile);
    } catch (e) {
      if (e instanceof PointsFileError) throw new RunError(e.message);
      throw e;
    }
    const byId = new Map(points.map((p) => [p.id, p]));
    for (const [id, r] of done) {
      const p = byId.get(id);
      if (!p) throw new RunError(`${pointsFile}: point ${id} is not a point of ${file}${exp.quick ? ' with --quick' : ''}; resume with the experiment and options the run started with`);
      if (JSON.stringify(r.point) !== JSON.stringify(p)) throw new RunError(`${pointsFile}: point ${id} was run with a different configuration than ${file} gives now`);
    }
    writeFileSync(join(dir, 'experiment.yaml'), exp.text);
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
    return finish(dir, exp, points, done, { started, jobs, ran: todo.length });
  } finally {
    lock.release();
  }
}

/** A new directory under `parent` named `id`, or `id-2`, `id-3`… when a run started in the same second has it. */
export function newRunDir(parent: string, id: string): string {
  mkdirSync(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = join(parent, n === 1 ? id : `${id}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** The CSV, stats, provenance, charts and report of a run from the points it holds. */
function finish(dir: string, exp: Experiment, points: Point[], done: Map<string, PointResult>, run: { started: Date; jobs: number; ran: number }): RunOutcome {
  const { started, jobs, ran } = run;
  const git = writeProvenance(join(dir, 'provenance.json'), exp, points, {
    startedAt: started.toISOString(), finishedAt: new Date().toISOString(), jobs, pointsRun: ran, pointsResumed: points.length - ran,
  });
  return { ...writeOutputs(dir, exp, points, done, git), ran, resumed: points.length - ran };
}

function writeOutputs(dir: string, exp: Experiment, points: Point[], done: Map<string, PointResult>, git: { revision: string | null; dirty: boolean | null }) {
  const results = points.map((p) => done.get(p.id)!);
  compareTwins(results);
  const found = problems(results, exp.checks);
  writeResults(dir, results);
  const charts = writeReport(dir, { exp, results, problems: found, provenance: git });
  return { dir, results, problems: found, charts };
}

/**
 * `el2sim report RUN_DIR`: results.csv, stats/, the charts and report.md drawn again from the
 * run's points.jsonl and its copy of the experiment, without running anything. Points the run
 * has not finished are listed as missing.
 */
export function reportRun(dir: string): RunOutcome & { missing: string[] } {
  const expFile = join(dir, 'experiment.yaml'), provFile = join(dir, 'provenance.json'), pointsFile = join(dir, POINTS_FILE);
  for (const f of [expFile, pointsFile]) if (!existsSync(f)) throw new RunError(`${dir} is not a run directory: no ${basename(f)}`);
  const prov = existsSync(provFile) ? (JSON.parse(readFileSync(provFile, 'utf8')) as { experiment?: { quick?: boolean }; git?: { revision: string | null; dirty: boolean | null } }) : {};
  const exp = loadExperiment(expFile, { quick: prov.experiment?.quick ?? false });
  let done: Map<string, PointResult>;
  try {
    done = readPoints(pointsFile);
  } catch (e) {
    if (e instanceof PointsFileError) throw new RunError(e.message);
    throw e;
  }
  const points = expand(exp);
  const missing = points.filter((p) => !done.has(p.id)).map((p) => p.id);
  const have = points.filter((p) => done.has(p.id));
  const out = writeOutputs(dir, exp, have, done, prov.git ?? { revision: null, dirty: null });
  return { ...out, ran: 0, resumed: have.length, missing };
}
