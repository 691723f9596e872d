// el2sim run keeps what it has and never dies of one bad point: damaged
// points.jsonl lines are errors that name the line, a refused --resume writes
// nothing, one process at a time runs a directory, a point that cannot be
// simulated is a failed point, and a huge sweep needs --yes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/experiments/experiment.js';
import { PointsFileError, POINTS_FILE, readPoints } from '../src/experiments/points-file.js';
import { expand } from '../src/experiments/points.js';
import { runPoints } from '../src/experiments/pool.js';
import { runPoint, type PointResult } from '../src/experiments/run-point.js';
import { lockRun, LOCK_FILE } from '../src/experiments/run-lock.js';
import { newRunDir, reportRun, runExperiment, RunError, type RunOutcome } from '../src/experiments/run.js';

const SMOKE = 'experiments/smoke.yaml';
const root = mkdtempSync(join(tmpdir(), 'el2sim-robust-'));
let base: RunOutcome;
beforeAll(async () => {
  base = await runExperiment(SMOKE, { out: join(root, 'base'), jobs: 2 });
});

function copyRun(name: string, edit: (lines: string[]) => string): string {
  const dir = join(root, name);
  spawnSync('cp', ['-r', base.dir, dir]);
  const lines = readFileSync(join(base.dir, POINTS_FILE), 'utf8').split('\n');
  writeFileSync(join(dir, POINTS_FILE), edit(lines));
  return dir;
}

describe('points.jsonl damage', () => {
  it('a mangled line in the middle is an error naming the line, and the file is kept as it is', async () => {
    const dir = copyRun('mangled', (l) => [l[0], 'garbage', l[2], l[3], ''].join('\n'));
    const before = readFileSync(join(dir, POINTS_FILE), 'utf8');
    expect(() => readPoints(join(dir, POINTS_FILE))).toThrow(PointsFileError);
    await expect(runExperiment(SMOKE, { resume: dir })).rejects.toThrow(new RegExp(`points\\.jsonl:2: not a point record \\(garbage\\)`));
    expect(readFileSync(join(dir, POINTS_FILE), 'utf8')).toBe(before);
  });

  it('only a torn last line (no newline) is dropped, and the points before it are kept', () => {
    const dir = copyRun('torn', (l) => [l[0], l[1], l[2], l[3].slice(0, 50)].join('\n'));
    expect([...readPoints(join(dir, POINTS_FILE)).keys()]).toHaveLength(3);
    expect(readFileSync(join(dir, POINTS_FILE), 'utf8').split('\n')).toHaveLength(4); // three lines and the end
  });
});

describe('run directories', () => {
  it('a refused --resume leaves the run directory as it was', async () => {
    const dir = copyRun('refused', (l) => l.join('\n'));
    writeFileSync(join(dir, 'experiment.yaml'), 'the original\n');
    await expect(runExperiment('experiments/tlb-reach.yaml', { resume: dir, quick: true })).rejects.toThrow(RunError);
    expect(readFileSync(join(dir, 'experiment.yaml'), 'utf8')).toBe('the original\n');
  });

  it('a directory locked by a live process is refused; a stale lock is taken over', async () => {
    const dir = copyRun('locked', (l) => l.join('\n'));
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, LOCK_FILE), `${sleeper.pid}\n`);
      await expect(runExperiment(SMOKE, { resume: dir })).rejects.toThrow(new RegExp(`being run by another el2sim \\(process ${sleeper.pid}\\)`));
    } finally {
      sleeper.kill();
    }
    await new Promise((r) => sleeper.once('exit', r));
    const again = await runExperiment(SMOKE, { resume: dir }); // the lock's process is gone
    expect(again.ran).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released at the end
  });

  it('takes a lock only once', () => {
    const dir = mkdtempSync(join(root, 'lock-'));
    const held = lockRun(dir);
    expect('release' in held).toBe(true);
    const child = spawnSync('node', ['--import', 'tsx', '-e', `import('${process.cwd()}/src/experiments/run-lock.ts').then((m) => console.log(JSON.stringify(m.lockRun('${dir}'))))`], { encoding: 'utf8' });
    expect(JSON.parse(child.stdout)).toEqual({ heldBy: process.pid });
    if ('release' in held) held.release();
  });

  it('two runs started in the same second get directories of their own', () => {
    const parent = mkdtempSync(join(root, 'ids-'));
    expect([newRunDir(parent, '20260101-000000'), newRunDir(parent, '20260101-000000'), newRunDir(parent, '20260101-000000')])
      .toEqual(['', '-2', '-3'].map((s) => join(parent, `20260101-000000${s}`)));
  });
});

describe('points that cannot be simulated', () => {
  it('are failed points with their reason, and the others run', async () => {
    const exp = loadExperiment(SMOKE);
    const [good, bad] = expand(exp);
    const broken = { ...bad!, id: 'broken', timing: '/nonexistent/timing.yaml' };
    expect(runPoint(broken)).toMatchObject({ id: 'broken', stop: 'error', error: expect.stringMatching(/could not be simulated: .*nonexistent/) });
    const got: PointResult[] = [];
    await runPoints([good!, broken], { jobs: 2, progress: false, alreadyDone: 0, total: 2 }, (r) => got.push(r));
    expect(got.map((r) => [r.id, r.error === undefined]).sort()).toEqual([['broken', false], [good!.id, true]]);
  });
});

describe('huge sweeps', () => {
  it('need --yes, and say how many points there are', async () => {
    const file = join(root, 'huge.yaml');
    writeFileSync(file, `name: huge\nworkloads: [{ name: gups }]\nsweep:\n  args.iters: [${Array.from({ length: 101 }, (_, i) => i + 1).join(', ')}]\n  cache.l1d.latency: [${Array.from({ length: 100 }, (_, i) => i + 1).join(', ')}]\n`);
    await expect(runExperiment(file, { out: join(root, 'huge') })).rejects.toThrow(/expands into 10,100 points \(more than 10,000\); --yes runs it anyway/);
    expect(existsSync(join(root, 'huge'))).toBe(false);
  });
});

describe('el2sim report', () => {
  it('draws a run again from points.jsonl without running anything, and lists the points not run', () => {
    const dir = copyRun('report', (l) => [l[0], l[1], ''].join('\n'));
    const r = reportRun(dir);
    expect(r.ran).toBe(0);
    expect(r.results).toHaveLength(2);
    expect(r.missing).toHaveLength(2);
    // the two points it has, as the full run's CSV has them (points.jsonl is in completion order,
    // the CSV in expansion order). Which two finished first varies, and with them the columns only
    // some points have (walks.fetchesPerWalk.<n>), so rows are compared column by column.
    const table = (d: string) => {
      const [header, ...rows] = readFileSync(join(d, 'results.csv'), 'utf8').trimEnd().split('\n');
      const cols = header!.split(',');
      return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i]!, v])));
    };
    const have = table(dir), full = table(base.dir);
    expect(have).toHaveLength(2);
    expect(have.map((r) => r.id)).toEqual(full.map((r) => r.id).filter((id) => have.some((r) => r.id === id)));
    for (const row of have) {
      const same = full.find((r) => r.id === row.id)!;
      expect(row).toEqual(Object.fromEntries(Object.keys(row).map((k) => [k, same[k] ?? ''])));
    }
    const cli = spawnSync('node', ['bin/el2sim.js', 'report', base.dir], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(readFileSync(join(base.dir, 'report.md'), 'utf8')).toMatch(/^# smoke\n/);
    expect(() => reportRun(join(root, 'nothing-here'))).toThrow(/is not a run directory: no experiment\.yaml/);
  });
});
