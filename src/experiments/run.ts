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
import { readSlurmRecord, requireSlurm, runningJob, runOnSlurm, SlurmError, type SlurmJob, type SlurmOptions } from './slurm.js';
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
  onStart?: (info: { dir: string; total: number; todo: number; jobs: number; backend: Backend }) => void;
  /** Where the points run: worker threads here (default), or a SLURM job array (slurm.ts); a --resume of a run submitted to SLURM defaults to slurm. */
  backend?: Backend;
  slurm?: SlurmOptions;
  /** Told of a SLURM submission (its job id), before waiting for it. */
  onSubmit?: (job: SlurmJob) => void;
}

export type Backend = 'local' | 'slurm';

export interface RunOutcome {
  dir: string; results: PointResult[]; problems: string[]; ran: number; resumed: number; charts: string[];
  /** --backend slurm --no-wait: the job submitted; nothing was gathered. */
  submitted?: SlurmJob;
  /** --backend slurm: points still missing after the job ended (its tasks that failed, timed out, were cancelled or preempted). */
  missing?: string[];
  /** --backend slurm: the job's tasks that did not complete, with their states. */
  failedTasks?: { task: string; state: string }[];
}

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
    const slurmRecord = readSlurmRecord(dir);
    const busy = slurmRecord ? runningJob(dir) : undefined;
    if (busy) {
      throw new RunError(busy.active ? `${dir}: its SLURM job ${busy.id} still has ${busy.active} task(s) pending or running; run this again when it has ended (squeue -j ${busy.id}), or scancel ${busy.id} first`
        : `${dir}: cannot tell whether its SLURM job ${busy.id} still runs (${busy.why}); run this where squeue answers, or remove ${join(dir, 'slurm', 'job.json')} if the job is gone`);
    }
    const backend: Backend = opts.backend ?? (opts.resume && slurmRecord ? 'slurm' : 'local');
    const slurmGiven = Object.entries(opts.slurm ?? {}).filter(([k, v]) => k !== 'pollMs' && v !== undefined && v !== false).map(([k]) => `--${k === 'noWait' ? 'no-wait' : k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (backend === 'local' && slurmGiven.length) throw new RunError(`${slurmGiven.join(', ')}: options of --backend slurm, and ${dir} runs locally`);
    if (backend === 'slurm') {
      if (opts.jobs !== undefined) throw new RunError(`--jobs is for the local backend${opts.backend ? '' : ` (${dir} was submitted to SLURM: --backend local runs the rest here)`}; with --backend slurm, --max-parallel limits the tasks at once`);
      return await onSlurm(file, dir, exp, points, done, started, { ...slurmRecord?.options, ...opts.slurm }, opts);
    }
    writeFileSync(join(dir, 'experiment.yaml'), exp.text);
    const todo = points.filter((p) => !done.has(p.id));
    const jobs = opts.jobs ?? availableParallelism();
    opts.onStart?.({ dir, total: points.length, todo: todo.length, jobs, backend });
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

/** The missing points as a SLURM job array; unless --no-wait, waits for it and ends the run as a local one (slurm.ts). */
async function onSlurm(file: string, dir: string, exp: Experiment, points: Point[], done: Map<string, PointResult>, started: Date, slurm: SlurmOptions, opts: RunOptions): Promise<RunOutcome> {
  const todo = points.filter((p) => !done.has(p.id));
  try {
    if (todo.length) requireSlurm();
  } catch (e) {
    throw new RunError((e as Error).message);
  }
  writeFileSync(join(dir, 'experiment.yaml'), exp.text);
  opts.onStart?.({ dir, total: points.length, todo: todo.length, jobs: slurm.maxParallel ?? todo.length, backend: 'slurm' });
  let r;
  try {
    r = await runOnSlurm({ dir, file, exp, points, todo, options: slurm, progress: opts.progress ?? false, onSubmit: opts.onSubmit });
  } catch (e) {
    if (e instanceof SlurmError) throw new RunError(e.message);
    throw e;
  }
  if (r.job && !r.ended) return { dir, results: [], problems: [], ran: 0, resumed: done.size, charts: [], submitted: r.job };
  const before = done.size;
  for (const [id, p] of readPoints(join(dir, POINTS_FILE))) done.set(id, p);
  const missing = points.filter((p) => !done.has(p.id)).map((p) => p.id);
  const out = finish(dir, exp, points, done, { started, jobs: slurm.maxParallel ?? r.job?.tasks ?? 0, ran: done.size - before, backend: 'slurm', slurmJob: r.job?.id });
  return { ...out, ...(missing.length ? { missing } : {}), ...(r.failedTasks.length ? { failedTasks: r.failedTasks } : {}) };
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
function finish(dir: string, exp: Experiment, points: Point[], done: Map<string, PointResult>, run: { started: Date; jobs: number; ran: number; backend?: Backend; slurmJob?: string }): RunOutcome {
  const { started, jobs, ran } = run;
  // a SLURM run can end with points missing (tasks that failed): the outputs show the others
  const have = points.filter((p) => done.has(p.id));
  const git = writeProvenance(join(dir, 'provenance.json'), exp, points, {
    startedAt: started.toISOString(), finishedAt: new Date().toISOString(), jobs, pointsRun: ran, pointsResumed: have.length - ran,
    backend: run.backend ?? 'local', ...(run.slurmJob ? { slurmJob: run.slurmJob } : {}),
  }, { done, slurm: readSlurmRecord(dir) });
  return { ...writeOutputs(dir, exp, have, done, git), ran, resumed: have.length - ran };
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
export function reportRun(dir: string): RunOutcome & { missing: string[]; running?: string } {
  const expFile = join(dir, 'experiment.yaml'), provFile = join(dir, 'provenance.json'), pointsFile = join(dir, POINTS_FILE);
  for (const f of [expFile, pointsFile]) if (!existsSync(f)) throw new RunError(`${dir} is not a run directory: no ${basename(f)}`);
  const prov = existsSync(provFile) ? (JSON.parse(readFileSync(provFile, 'utf8')) as { experiment?: { quick?: boolean }; git?: { revision: string | null; dirty: boolean | null } }) : {};
  const exp = loadExperiment(expFile, { quick: prov.experiment?.quick ?? readSlurmRecord(dir)?.quick ?? false });
  // a SLURM job of the run may still be appending: then nothing is cut off points.jsonl
  const running = readSlurmRecord(dir) ? runningJob(dir) : undefined;
  let done: Map<string, PointResult>;
  try {
    done = readPoints(pointsFile, { cut: !running });
  } catch (e) {
    if (e instanceof PointsFileError) throw new RunError(e.message);
    throw e;
  }
  const points = expand(exp);
  const missing = points.filter((p) => !done.has(p.id)).map((p) => p.id);
  const have = points.filter((p) => done.has(p.id));
  const out = writeOutputs(dir, exp, have, done, prov.git ?? { revision: null, dirty: null });
  return { ...out, ran: 0, resumed: have.length, missing, ...(running ? { running: running.id } : {}) };
}
