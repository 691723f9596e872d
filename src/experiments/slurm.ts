// `el2sim run --backend slurm`: the missing points of a run as one SLURM job
// array. Each array task runs a chunk of points through `el2sim run-point
// RUN_DIR INDEX…` (run-point-cli.ts), which appends them to the run's
// points.jsonl as local workers do. The submitting process waits, showing
// progress from squeue and points.jsonl, and the run then ends as a local one
// does; with --no-wait it returns after submitting, and the job is recorded in
// RUN_DIR/slurm/job.json so that a --resume while it still runs says so
// instead of submitting the same points again.
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { loadExperiment, type Experiment } from './experiment.js';
import { POINTS_FILE, readPoints } from './points-file.js';
import { expand, type Point } from './points.js';
import type { PointResult } from './run-point.js';

export const SLURM_DIR = 'slurm';
export const JOB_FILE = 'job.json';
/** A job array of more tasks than this (SLURM's default MaxArraySize is 1001) gets chunks of several points. */
const MAX_TASKS = 1000;
const BIN = new URL('../../bin/el2sim.js', import.meta.url).pathname;

export class SlurmError extends Error {}

export interface SlurmOptions {
  partition?: string;
  /** --time, as sbatch takes it (e.g. 30, 2:00:00, 1-0). */
  time?: string;
  /** --mem, as sbatch takes it (e.g. 4G). */
  mem?: string;
  /** Points per array task (default: 1, or as many as keep the array within 1000 tasks). */
  chunk?: number;
  /** At most this many tasks at once (sbatch --array=0-N%max). */
  maxParallel?: number;
  /** Return after submitting (default: wait for the job and gather). */
  noWait?: boolean;
  /** How often to ask squeue while waiting (ms; default 5000). */
  pollMs?: number;
}

/** One submission: a job array over some of the run's points. */
export interface SlurmJob {
  id: string;
  submittedAt: string;
  points: number;
  tasks: number;
  /** The sbatch script and its task list, relative to the run directory. */
  script: string;
  taskList: string;
  /** Set once the submitting process saw the job end. */
  ended?: boolean;
}

/** RUN_DIR/slurm/job.json: how the run's jobs were submitted, and each of them (the last one current). */
export interface SlurmRecord {
  experiment: string;
  quick: boolean;
  options: Omit<SlurmOptions, 'noWait' | 'pollMs'>;
  jobs: SlurmJob[];
}

/** Where the task that ran a point ran (in its points.jsonl record). */
export interface PointHost { node: string; job?: string; task?: string }
/** A point's record as `el2sim run-point` writes it. */
export type HostedResult = PointResult & { host?: PointHost };

const onPath = (name: string) => (process.env.PATH ?? '').split(delimiter).some((d) => {
  try {
    accessSync(join(d, name), constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

/** The SLURM commands el2sim needs that this machine lacks. */
export function missingCommands(names = ['sbatch', 'squeue', 'scancel']): string[] {
  return names.filter((n) => !onPath(n));
}

/** Throws SlurmError naming the SLURM commands this machine lacks. */
export function requireSlurm(): void {
  const missing = missingCommands();
  if (missing.length) {
    throw new SlurmError(`--backend slurm: ${missing.join(', ')} not found on PATH; run on a SLURM submit host (one with the SLURM client commands and a reachable slurmctld), or without --backend slurm (test/slurm/start.sh starts a one-node cluster on this machine)`);
  }
}

export function readSlurmRecord(dir: string): SlurmRecord | undefined {
  const file = join(dir, SLURM_DIR, JOB_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SlurmRecord) : undefined;
}

/** The run's quick flag for `el2sim run-point`: from the SLURM record, or provenance.json. */
export function runQuick(dir: string): boolean {
  const rec = readSlurmRecord(dir);
  if (rec) return rec.quick;
  const prov = join(dir, 'provenance.json');
  return existsSync(prov) ? (JSON.parse(readFileSync(prov, 'utf8')) as { experiment?: { quick?: boolean } }).experiment?.quick ?? false : false;
}

/** A task of a job array and its state, as squeue names them (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, PREEMPTED…). */
export interface TaskState { task: string; state: string }

const ACTIVE = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESIZING', 'SIGNALING', 'STAGE_OUT', 'STOPPED', 'RESV_DEL_HOLD']);
export const isActive = (s: TaskState) => ACTIVE.has(s.state);

/**
 * The tasks of a job: from squeue (which keeps ended jobs for MinJobAge), else sacct; 'gone' when
 * SLURM no longer knows the job; undefined when it cannot be asked (no answer from slurmctld).
 */
export function jobTasks(jobId: string): TaskState[] | 'gone' | undefined {
  const q = spawnSync('squeue', ['-h', '-r', '-j', jobId, '--states=all', '-o', '%i|%T'], { encoding: 'utf8', timeout: 30_000 });
  if (q.status === 0 && q.stdout.trim()) return parseTasks(q.stdout, jobId);
  if (onPath('sacct')) {
    const a = spawnSync('sacct', ['-n', '-X', '-P', '-j', jobId, '-o', 'JobID,State'], { encoding: 'utf8', timeout: 30_000 });
    if (a.status === 0 && a.stdout.trim()) return parseTasks(a.stdout, jobId);
  }
  if ((q.status === 0 && !q.stdout.trim()) || /invalid job id/i.test(q.stderr ?? '')) return 'gone';
  return undefined;
}

/** Lines `JOB_TASK|STATE` (sacct adds ` by UID` to CANCELLED) into tasks; a pending range `JOB_[2-5%1]` counts as its tasks. */
export function parseTasks(text: string, jobId: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [id, stateText = ''] = line.split('|');
    const state = stateText.split(' ')[0]!;
    const m = /^(\d+)_(.*)$/.exec(id!);
    if (!m || m[1] !== jobId) continue;
    const range = /^\[(.*?)(%\d+)?\]$/.exec(m[2]!);
    if (!range) { out.push({ task: m[2]!, state }); continue; }
    for (const part of range[1]!.split(',')) {
      const [a, b] = part.split('-').map(Number);
      for (let t = a!; t <= (b ?? a!); t++) out.push({ task: String(t), state });
    }
  }
  return out;
}

/**
 * The run's current SLURM job if it may still have tasks pending or running: `active` is how many,
 * or undefined when SLURM cannot be asked. A job the submitting process saw end is not asked about.
 */
export function runningJob(dir: string): { id: string; active?: number; why?: string } | undefined {
  const job = readSlurmRecord(dir)?.jobs.at(-1);
  if (!job || job.ended) return undefined;
  if (!onPath('squeue')) return { id: job.id, why: 'squeue is not on PATH' };
  const tasks = jobTasks(job.id);
  if (tasks === undefined) return { id: job.id, why: 'squeue does not answer' };
  const active = tasks === 'gone' ? 0 : tasks.filter(isActive).length;
  return active ? { id: job.id, active } : undefined;
}

/** Records in job.json that the run's current job has ended (so later runs need not ask SLURM). */
function markEnded(dir: string, id: string): void {
  const rec = readSlurmRecord(dir);
  if (!rec) return;
  for (const j of rec.jobs) if (j.id === id) j.ended = true;
  writeFileSync(join(dir, SLURM_DIR, JOB_FILE), JSON.stringify(rec, null, 2) + '\n');
}

/** The ids of the complete records in points.jsonl, read without cutting anything (tasks may be appending). */
const pointsNow = (dir: string) => new Set(readPoints(join(dir, POINTS_FILE), { cut: false }).keys());

export interface SlurmRunInput {
  dir: string;
  file: string;
  exp: Experiment;
  points: Point[];
  todo: Point[];
  options: SlurmOptions;
  progress: boolean;
  /** Told of the submission, before waiting. */
  onSubmit?: (job: SlurmJob) => void;
}

export interface SlurmRunResult {
  job?: SlurmJob;
  /** Whether the job has ended (false with --no-wait). */
  ended: boolean;
  /** The tasks that did not complete, with their states. */
  failedTasks: TaskState[];
}

/** Submits the points `todo` as a job array and, unless --no-wait, waits for it to end. */
export async function runOnSlurm(input: SlurmRunInput): Promise<SlurmRunResult> {
  const { dir, exp, points, todo, options } = input;
  if (!todo.length) return { ended: true, failedTasks: [] };
  requireSlurm();
  // the tasks expand the run's copy of the experiment: it must give the same points
  let copy: Point[] | undefined;
  try {
    copy = expand(loadExperiment(join(dir, 'experiment.yaml'), { quick: exp.quick }));
  } catch {
    copy = undefined;
  }
  if (JSON.stringify(copy) !== JSON.stringify(points)) {
    throw new SlurmError(`--backend slurm: ${dir}/experiment.yaml does not give the same points as ${input.file} (a timing file named relative to the experiment?); give the timing as a preset or an absolute path`);
  }
  // the run directory is a run from now on (--resume finds it), even before a task appends
  closeSync(openSync(join(dir, POINTS_FILE), 'a'));
  const index = new Map(points.map((p, i) => [p.id, i]));
  const chunk = options.chunk ?? Math.max(1, Math.ceil(todo.length / MAX_TASKS));
  const tasks: number[][] = [];
  for (let i = 0; i < todo.length; i += chunk) tasks.push(todo.slice(i, i + chunk).map((p) => index.get(p.id)!));

  const sdir = join(dir, SLURM_DIR);
  mkdirSync(join(sdir, 'logs'), { recursive: true });
  const record: SlurmRecord = readSlurmRecord(dir) ?? { experiment: resolve(input.file), quick: exp.quick, options: {}, jobs: [] };
  const n = record.jobs.length + 1;
  const script = join(SLURM_DIR, `array-${n}.sh`), taskList = join(SLURM_DIR, `array-${n}.tasks`);
  writeFileSync(join(dir, taskList), tasks.map((t) => t.join(' ')).join('\n') + '\n');
  writeFileSync(join(dir, script), sbatchScript(resolve(dir), exp.name, tasks.length, resolve(dir, taskList), options), { mode: 0o755 });

  const sb = spawnSync('sbatch', ['--parsable', resolve(dir, script)], { encoding: 'utf8', timeout: 120_000 });
  if (sb.status !== 0) throw new SlurmError(`sbatch refused the job array (${script}): ${(sb.stderr || sb.error?.message || `status ${sb.status}`).trim()}`);
  const id = sb.stdout.trim().split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch answered '${sb.stdout.trim()}', not a job id`);
  const job: SlurmJob = { id, submittedAt: new Date().toISOString(), points: todo.length, tasks: tasks.length, script, taskList };
  const { noWait: _w, pollMs: _p, ...kept } = options;
  writeFileSync(join(sdir, JOB_FILE), JSON.stringify({ ...record, quick: exp.quick, options: kept, jobs: [...record.jobs, job] }, null, 2) + '\n');
  input.onSubmit?.(job);
  if (options.noWait) return { job, ended: false, failedTasks: [] };

  const tasksNow = await waitForJob(job, dir, points.length, todo, options.pollMs ?? 5000, input.progress);
  markEnded(dir, job.id);
  return { job, ended: true, failedTasks: tasksNow.filter((t) => t.state !== 'COMPLETED') };
}

function sbatchScript(dir: string, name: string, tasks: number, taskList: string, o: SlurmOptions): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const directives = [
    `--job-name=el2sim-${name}`,
    `--array=0-${tasks - 1}${o.maxParallel ? `%${o.maxParallel}` : ''}`,
    `--output=${dir}/${SLURM_DIR}/logs/%A_%a.out`,
    '--ntasks=1',
    '--cpus-per-task=1',
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
    ...(o.mem ? [`--mem=${o.mem}`] : []),
  ];
  return [
    '#!/bin/bash',
    `# el2sim run --backend slurm: task i of this array runs the points on line i+1 of`,
    `# ${taskList} (indices into the run's points, as expanded from experiment.yaml)`,
    ...directives.map((d) => `#SBATCH ${d}`),
    'set -euo pipefail',
    `indices=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" ${q(taskList)})`,
    `exec ${q(process.execPath)} ${q(BIN)} run-point ${q(dir)} $indices`,
    '',
  ].join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls squeue until no task of the job is pending or running; a progress bar of the points on stderr. */
async function waitForJob(job: SlurmJob, dir: string, total: number, todo: Point[], pollMs: number, progress: boolean): Promise<TaskState[]> {
  const wanted = new Set(todo.map((p) => p.id));
  const before = total - todo.length;
  const bar = progress ? new SingleBar({
    stream: process.stderr, format: 'el2sim: {bar} {value}/{total} points | SLURM job {job}: {tasks}', noTTYOutput: true, notTTYSchedule: 10_000,
  }, Presets.shades_classic) : undefined;
  bar?.start(total, before, { job: job.id, tasks: 'submitted' });
  // each task's last state seen: squeue drops a pending task that is cancelled from its listing
  const seen = new Map<string, string>();
  try {
    for (;;) {
      const tasks = jobTasks(job.id);
      const have = [...pointsNow(dir)].filter((id) => wanted.has(id)).length;
      if (Array.isArray(tasks)) {
        const listed = new Set(tasks.map((t) => t.task));
        for (const [t, state] of seen) if (!listed.has(t) && ACTIVE.has(state)) seen.set(t, 'CANCELLED');
        for (const t of tasks) seen.set(t.task, t.state);
      }
      const counts = new Map<string, number>();
      for (const state of seen.values()) counts.set(state.toLowerCase(), (counts.get(state.toLowerCase()) ?? 0) + 1);
      const states = [...counts].map(([st, c]) => `${c} ${st}`).join(', ');
      bar?.update(before + have, { tasks: tasks === undefined ? `squeue does not answer${states ? ` (last: ${states})` : ''}` : states || 'ended' });
      if (Array.isArray(tasks) && !tasks.some(isActive)) break;
      // purged after MinJobAge, with no accounting to ask: what was still active has ended unseen
      if (tasks === 'gone') { for (const [t, state] of seen) if (ACTIVE.has(state)) seen.set(t, 'ENDED'); break; }
      await sleep(pollMs);
    }
  } finally {
    bar?.stop();
  }
  return Array.from({ length: job.tasks }, (_, i) => ({ task: String(i), state: seen.get(String(i)) ?? 'UNKNOWN' }));
}
