// el2sim run --backend slurm on the one-node cluster of test/slurm/start.sh: a
// 6-point experiment gives the local backend's results.csv, a task cancelled in
// the middle of the array leaves exactly its points missing and --resume runs
// only those, --no-wait then --resume gathers, and where each point ran is in
// its record and provenance.json. Without SLURM, a submission is a clear error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiments/experiment.js';
import { POINTS_FILE, readPoints } from '../../src/experiments/points-file.js';
import { expand } from '../../src/experiments/points.js';
import { runExperiment, type RunOutcome } from '../../src/experiments/run.js';
import { jobTasks, readSlurmRecord, type HostedResult } from '../../src/experiments/slurm.js';
import { slurmCluster, slurmIt } from './cluster.js';

const root = mkdtempSync(join(tmpdir(), 'el2sim-slurm-'));
const SIX = join(root, 'six.yaml');
writeFileSync(SIX, `name: six
description: six tiny points for the SLURM tests
timing: cortex-a57
workloads:
  - { name: gups, args: { mib: 1, iters: 3000 } }
  - { name: ptrchase, args: { mib: 1, iters: 3000 } }
modes: [native]
sweep:
  tlb.l2.entries: [512, 1024, 2048]
`);
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const lines = (dir: string) => read(dir, POINTS_FILE).trimEnd().split('\n').map((l) => JSON.parse(l) as HostedResult);
const el2sim = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['bin/el2sim.js', ...args], { encoding: 'utf8', timeout: 300_000, env: { ...env, EL2SIM_SLURM_POLL_MS: '500' } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL = 500;

/** results.csv without the columns that say where and when a point ran (none today: the CSV is the points' own). */
const csv = (dir: string) => read(dir, 'results.csv');

let local: RunOutcome;
beforeAll(async () => {
  if (slurmCluster().up) local = await runExperiment(SIX, { out: join(root, 'local'), jobs: 2 });
});

describe('el2sim run --backend slurm', () => {
  slurmIt('a 6-point experiment gives the local backend\'s results.csv, and records where each point ran', async () => {
    const dir = join(root, 'slurm');
    let submitted: string | undefined;
    const r = await runExperiment(SIX, { out: dir, backend: 'slurm', slurm: { chunk: 2, pollMs: POLL }, onSubmit: (j) => { submitted = j.id; } });
    expect(r.problems).toEqual([]);
    expect(r.missing).toBeUndefined();
    expect(r.ran).toBe(6);
    expect(csv(dir)).toBe(csv(local.dir));
    expect(readFileSync(join(dir, 'slurm', 'array-1.tasks'), 'utf8')).toBe('0 1\n2 3\n4 5\n');
    expect(read(dir, 'slurm/array-1.sh')).toMatch(/#SBATCH --array=0-2\n/);
    const recs = lines(dir);
    expect(recs).toHaveLength(6);
    for (const rec of recs) expect(rec.host).toEqual({ node: 'localhost', job: submitted, task: expect.stringMatching(/^[0-2]$/) });
    const prov = JSON.parse(read(dir, 'provenance.json'));
    expect(prov.runs).toMatchObject([{ backend: 'slurm', slurmJob: submitted, pointsRun: 6 }]);
    expect(prov.slurm.jobs).toMatchObject([{ id: submitted, points: 6, tasks: 3, ended: true }]);
    expect(prov.points.map((p: { host: { task: string } }) => p.host.task)).toEqual(['0', '0', '1', '1', '2', '2']);
  }, 300_000);

  slurmIt('a task cancelled mid-array leaves exactly its points missing, and --resume submits only those', async () => {
    const dir = join(root, 'cancelled');
    const points = expand(loadExperiment(SIX));
    let watcher: Promise<void> | undefined;
    // one task at a time: cancel task 1 once it runs, and task 3 while it waits
    const r = await runExperiment(SIX, {
      out: dir, backend: 'slurm', slurm: { chunk: 1, maxParallel: 1, pollMs: POLL },
      onSubmit: (job) => {
        watcher = (async () => {
          for (let i = 0; i < 600; i++) {
            const t = jobTasks(job.id);
            if (Array.isArray(t) && t.some((x) => x.task === '1' && x.state === 'RUNNING')) break;
            await sleep(100);
          }
          expect(spawnSync('scancel', [`${job.id}_1`, `${job.id}_3`]).status).toBe(0);
        })();
      },
    });
    await watcher;
    const notCompleted = new Set((r.failedTasks ?? []).map((t) => Number(t.task)));
    expect(notCompleted.has(3)).toBe(true);
    expect(r.failedTasks).toContainEqual({ task: '3', state: 'CANCELLED' });
    // the points of the tasks that completed are all there; task 3's is missing; task 1's unless it was written before the cancel
    const have = readPoints(join(dir, POINTS_FILE));
    points.forEach((p, i) => { if (!notCompleted.has(i)) expect(have.has(p.id)).toBe(true); });
    expect(have.has(points[3]!.id)).toBe(false);
    expect(r.missing).toEqual(points.filter((p) => !have.has(p.id)).map((p) => p.id));
    expect(r.missing!.length).toBeGreaterThanOrEqual(1);
    expect(r.results).toHaveLength(6 - r.missing!.length);
    // the CLI says the same with status 1
    const cli = el2sim(['report', dir]);
    expect(cli.stderr).toMatch(/point\(s\) not run yet/);

    const again = await runExperiment(SIX, { resume: dir, slurm: { pollMs: POLL } }); // a SLURM run resumes on SLURM
    const rec = readSlurmRecord(dir)!;
    expect(rec.jobs).toHaveLength(2);
    expect(rec.jobs[1]!.points).toBe(r.missing!.length);
    expect(rec.options).toMatchObject({ chunk: 1, maxParallel: 1 });
    expect(again.missing).toBeUndefined();
    expect(again.ran).toBe(r.missing!.length);
    const ids = lines(dir).map((l) => l.id);
    expect(ids.sort()).toEqual(points.map((p) => p.id).sort()); // every point once
    expect(csv(dir)).toBe(csv(local.dir));
  }, 300_000);

  slurmIt('--no-wait returns after submitting; --resume while the job runs says so; --resume after it gathers', async () => {
    const dir = join(root, 'nowait');
    const sub = el2sim(['run', SIX, '--out', dir, '--backend', 'slurm', '--max-parallel', '1', '--no-wait']);
    expect(sub.stderr).toMatch(/submitted SLURM job (\d+); squeue -j \1 shows it; once it has ended, el2sim run .* --resume .* gathers the run/);
    expect(sub.status).toBe(0);
    const id = /submitted SLURM job (\d+)/.exec(sub.stderr)![1]!;
    expect(readSlurmRecord(dir)!.jobs.map((j) => j.id)).toEqual([id]);
    const early = el2sim(['run', SIX, '--resume', dir]);
    expect(early.stderr).toMatch(new RegExp(`its SLURM job ${id} still has \\d+ task\\(s\\) pending or running`));
    expect(early.status).toBe(2);
    expect(readSlurmRecord(dir)!.jobs).toHaveLength(1); // nothing submitted again
    const meanwhile = el2sim(['report', dir]);
    expect(meanwhile.stderr).toMatch(new RegExp(`SLURM job ${id} of the run is still running`));
    for (let i = 0; i < 600; i++) {
      const t = jobTasks(id);
      if (t === 'gone' || (Array.isArray(t) && t.every((x) => x.state === 'COMPLETED'))) break;
      await sleep(200);
    }
    const gather = el2sim(['run', SIX, '--resume', dir]);
    expect(gather.stderr).toMatch(/6 points \(0 run now\), no problems/);
    expect(gather.status).toBe(0);
    expect(csv(dir)).toBe(csv(local.dir));
    expect(readSlurmRecord(dir)!.jobs).toHaveLength(1);
  }, 300_000);
});

describe('faults', () => {
  slurmIt('a point that fails inside a task is a failed point with its reason', async () => {
    const file = join(root, 'short.yaml');
    writeFileSync(file, 'name: short\nworkloads: [{ name: gups, args: { mib: 1, iters: 3000 } }]\nmaxInsns: 100000\n');
    const r = await runExperiment(file, { out: join(root, 'short'), backend: 'slurm', slurm: { pollMs: POLL } });
    expect(r.missing).toBeUndefined();
    expect(r.problems).toEqual([expect.stringMatching(/^gups_native_s1: the machine stopped \(limit\)/)]);
    expect(lines(join(root, 'short'))).toMatchObject([{ id: 'gups_native_s1', stop: 'limit', error: expect.stringMatching(/limit/), host: { node: 'localhost', task: '0' } }]);
  }, 300_000);

  slurmIt('a job sbatch refuses is an error with sbatch\'s reason', () => {
    const r = el2sim(['run', SIX, '--out', join(root, 'refused'), '--backend', 'slurm', '--partition', 'nonexistent']);
    expect(r.stderr).toMatch(/el2sim: sbatch refused the job array \(slurm\/array-1\.sh\): sbatch: error: .*[Pp]artition/);
    expect(r.status).toBe(2);
    expect(readSlurmRecord(join(root, 'refused'))).toBeUndefined();
  });
});

describe('concurrent tasks', () => {
  slurmIt('array tasks appending to one points.jsonl at once never tear a line', () => {
    const dir = mkdtempSync(join(root, 'append-'));
    const file = join(dir, POINTS_FILE);
    const writer = new URL('../../src/experiments/points-file.ts', import.meta.url).pathname;
    // 6 tasks, both CPUs busy, each appending 300 records of up to ~130 KiB
    const code = `const { PointsWriter } = await import('${writer}'); const t = process.env.SLURM_ARRAY_TASK_ID; const w = new PointsWriter('${file}');`
      + ` for (let i = 0; i < 300; i++) w.append({ id: t + '_' + i, point: { id: t + '_' + i }, stop: 'poweroff', uart: t.repeat(i % 25 === 0 ? 130000 : (i * 613) % 7000) }); w.close();`;
    writeFileSync(join(dir, 'task.sh'), `#!/bin/bash\nexec ${JSON.stringify(process.execPath)} --import tsx --input-type=module -e ${JSON.stringify(code).replace(/\$/g, '\\$')}\n`);
    const sb = spawnSync('sbatch', ['--parsable', '--wait', '--array=0-5', `--output=${dir}/%a.out`, `--chdir=${process.cwd()}`, join(dir, 'task.sh')], { encoding: 'utf8', timeout: 240_000 });
    expect(sb.stderr).toBe('');
    expect(sb.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    const recs = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; uart: string });
    expect(recs).toHaveLength(6 * 300);
    for (const r of recs) expect(r.uart).toBe(r.id.split('_')[0]!.repeat(r.uart.length));
    expect(readPoints(file).size).toBe(6 * 300);
  }, 300_000);
});

describe('without SLURM', () => {
  it('a submission is a clear error naming what is missing', () => {
    const r = el2sim(['run', SIX, '--out', join(root, 'no-slurm'), '--backend', 'slurm'], { PATH: '/nonexistent' });
    expect(r.stderr).toMatch(/^el2sim: --backend slurm: sbatch, squeue, scancel not found on PATH; run on a SLURM submit host/);
    expect(r.status).toBe(2);
  });

  it('the SLURM options need --backend slurm', () => {
    const r = el2sim(['run', SIX, '--chunk', '2']);
    expect(r.stderr).toBe('el2sim: --chunk: options of --backend slurm (give --backend slurm)\n');
    expect(r.status).toBe(2);
  });
});
