// provenance.json: what a run's numbers came from — the source revision, the
// specs, timing files and kernel image by hash, Node, and every point's
// resolved configuration — so a result in a paper can be traced and re-run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesUnder } from '../gen/stamp.js';
import { SPEC_DIR } from '../spec/validate.js';
import { applyOverrides, loadTiming } from '../spec/timing.js';
import type { Experiment } from './experiment.js';
import type { Point } from './points.js';
import type { PointHost, SlurmRecord } from './slurm.js';
import { KERNEL_PATH, VMM_PATH } from '../machine/vm.js';

const REPO_DIR = new URL('../../', import.meta.url).pathname;

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function git(...args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd: REPO_DIR, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** One hash of every file under spec/ (names and contents), and one per file. */
function specHashes(): { tree: string; files: Record<string, string> } {
  const files = Object.fromEntries(filesUnder(SPEC_DIR).map((p) => [relative(REPO_DIR, p), sha256(readFileSync(p))]));
  return { tree: sha256(Object.entries(files).map(([p, h]) => `${h}  ${p}\n`).join('')), files };
}

export interface RunInfo {
  startedAt: string; finishedAt: string; jobs: number; pointsRun: number; pointsResumed: number;
  /** Where the points ran: worker threads (local) or a SLURM job array, and that job's id. */
  backend?: 'local' | 'slurm'; slurmJob?: string;
}

/** What a SLURM run adds: the run's jobs (RUN_DIR/slurm/job.json), and where each point ran (its record's `host`). */
export interface ProvenanceExtra { done?: Map<string, object>; slurm?: SlurmRecord }

/** The invocations an earlier provenance.json of the run directory recorded (a resumed run has several). */
function earlierRuns(file: string): RunInfo[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs?: RunInfo[] }).runs ?? [] : [];
}

/** Writes the file; returns the source revision, which the report names. */
export function writeProvenance(file: string, exp: Experiment, points: Point[], run: RunInfo, extra: ProvenanceExtra = {}): { revision: string | null; dirty: boolean | null } {
  const timingFile = existsSync(exp.timing) ? exp.timing : join(SPEC_DIR, 'timing', `${exp.timing}.yaml`);
  // the results being written are not a change to the source
  const status = git('status', '--porcelain', '--', '.', ':(exclude)results');
  const provenance = {
    experiment: { name: exp.name, file: exp.file, sha256: sha256(exp.text), quick: exp.quick },
    git: { revision: git('rev-parse', 'HEAD') ?? null, dirty: status === undefined ? null : status !== '' },
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: { file: relative(REPO_DIR, KERNEL_PATH), sha256: sha256(readFileSync(KERNEL_PATH)) },
    ...(points.some((p) => p.vmm) ? { vmm: { file: relative(REPO_DIR, VMM_PATH), sha256: sha256(readFileSync(VMM_PATH)) } } : {}),
    timing: { preset: exp.timing, file: relative(REPO_DIR, timingFile), sha256: sha256(readFileSync(timingFile)) },
    spec: specHashes(),
    seeds: Array.from({ length: exp.repeat }, (_, i) => i + 1),
    runs: [...earlierRuns(file), run],
    ...(extra.slurm ? { slurm: { options: extra.slurm.options, jobs: extra.slurm.jobs } } : {}),
    points: points.map((p) => {
      const host = (extra.done?.get(p.id) as { host?: PointHost } | undefined)?.host;
      return { ...p, ...(host ? { host } : {}), resolvedTiming: applyOverrides(loadTiming(p.timing), p.set) };
    }),
  };
  writeFileSync(file, JSON.stringify(provenance, null, 2) + '\n');
  return provenance.git;
}
