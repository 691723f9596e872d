// el2sim run end to end on experiments/smoke.yaml (4 small points on worker
// threads): the files a run leaves, resuming an interrupted run, determinism,
// and the command line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment, type RunOutcome } from '../src/experiments/run.js';

const SMOKE = 'experiments/smoke.yaml';
const root = mkdtempSync(join(tmpdir(), 'el2sim-run-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let first: RunOutcome;
beforeAll(async () => {
  first = await runExperiment(SMOKE, { out: join(root, 'first'), jobs: 2 });
});

describe('el2sim run', () => {
  it('writes points.jsonl, results.csv, stats/, provenance.json, PNG charts and report.md', () => {
    const dir = first.dir;
    expect(first.problems).toEqual([]);
    expect(first.ran).toBe(4);
    const lines = read(dir, 'points.jsonl').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const p = JSON.parse(lines[0]);
    expect(p.stop).toBe('poweroff');
    expect(p.result).toMatch(/^(gups|ptrchase): mib=1 iters=3000 seed=1 .*checksum=0x[0-9a-f]{16}$/);

    const csv = read(dir, 'results.csv').trimEnd().split('\n');
    expect(csv).toHaveLength(5);
    const header = csv[0].split(',');
    expect(header.slice(0, 5)).toEqual(['id', 'workload', 'mode', 'seed', 'sweep.walkCache.enabled']);
    for (const k of ['instructions', 'cycles', 'cyclesBy.walkS1', 'tlb.l2.misses', 'walks.fetches', 'walks.count']) expect(header).toContain(k);
    expect(csv[1]).toMatch(/^gups_native_walkCache\.enabled=true_s1,gups,native,1,true,1,3000,1,poweroff,gups: /);
    // the walk caches save descriptor fetches: the sweep reaches the machine
    const col = (row: string, k: string) => Number(row.split(',')[header.indexOf(k)]);
    expect(col(csv[1], 'walks.fetches')).toBeLessThan(col(csv[2], 'walks.fetches'));

    expect(readdirSync(join(dir, 'stats')).sort()).toEqual(lines.map((l) => `${JSON.parse(l).id}.json`).sort());
    const prov = JSON.parse(read(dir, 'provenance.json'));
    expect(prov.node).toBe(process.version);
    expect(prov.kernel.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(prov.timing.preset).toBe('cortex-a57');
    expect(prov.spec.files['spec/timing/cortex-a57.yaml']).toBe(prov.timing.sha256);
    expect(prov.seeds).toEqual([1]);
    expect(prov.runs).toMatchObject([{ jobs: 2, pointsRun: 4, pointsResumed: 0 }]);
    expect(prov.points).toHaveLength(4);
    expect(prov.points[1].resolvedTiming.walkCache.enabled).toBe(false);

    expect(first.charts.sort()).toEqual(['charts/breakdown.png', 'charts/cycles.png', 'charts/mpki.png', 'charts/sweep-walkCache.enabled.png', 'charts/walks.png']);
    for (const c of first.charts) {
      const png = readFileSync(join(dir, c));
      expect(png.subarray(0, 8)).toEqual(PNG_MAGIC);
      expect(statSync(join(dir, c)).size).toBeGreaterThan(10_000);
    }
    const report = read(dir, 'report.md');
    expect(report).toMatch(/^# smoke\n/);
    expect(report).toContain('| gups, walkCache.enabled=false |');
    for (const c of first.charts) expect(report).toContain(`](${c})`);
  });

  it('the same experiment gives bit-identical results', async () => {
    const again = await runExperiment(SMOKE, { out: join(root, 'again'), jobs: 2 });
    expect(read(again.dir, 'results.csv')).toBe(read(first.dir, 'results.csv'));
    const sorted = (dir: string) => read(dir, 'points.jsonl').trimEnd().split('\n').sort();
    expect(sorted(again.dir)).toEqual(sorted(first.dir));
  });

  it('--resume completes an interrupted run and ends with the same results', async () => {
    const dir = join(root, 'interrupted');
    const lines = read(first.dir, 'points.jsonl').split('\n');
    // two points finished, the third torn mid-line by the interruption
    mkdirSync(dir);
    writeFileSync(join(dir, 'points.jsonl'), lines.slice(0, 2).join('\n') + '\n' + lines[2].slice(0, 100));
    const r = await runExperiment(SMOKE, { resume: dir, jobs: 2 });
    expect(r.ran).toBe(2);
    expect(r.resumed).toBe(2);
    expect(read(dir, 'results.csv')).toBe(read(first.dir, 'results.csv'));
    expect(read(dir, 'points.jsonl').trimEnd().split('\n')).toHaveLength(4);
    // resuming a finished run runs nothing and records the second invocation
    const again = await runExperiment(SMOKE, { resume: dir, jobs: 2 });
    expect(again.ran).toBe(0);
    expect(JSON.parse(read(dir, 'provenance.json')).runs).toMatchObject([{ pointsRun: 2, pointsResumed: 2 }, { pointsRun: 0, pointsResumed: 4 }]);
    expect(read(dir, 'results.csv')).toBe(read(first.dir, 'results.csv'));
  });

  it('refuses to resume with another experiment, or to overwrite a run', async () => {
    await expect(runExperiment(SMOKE, { out: first.dir })).rejects.toThrow(/already holds a run \(points\.jsonl\); --resume .* completes it/);
    await expect(runExperiment('experiments/tlb-reach.yaml', { resume: first.dir, quick: true })).rejects.toThrow(/is not a point of experiments\/tlb-reach\.yaml with --quick/);
  });

  it('the command line: an unknown mode fails with file:line:col and status 1', () => {
    const file = join(root, 'nested.yaml');
    writeFileSync(file, 'name: s\nworkloads: [{ name: hello }]\nmodes: [native, nested]\n');
    const r = spawnSync('node', ['bin/el2sim.js', 'run', file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toMatch(new RegExp(`^el2sim: ${file}:3:17: modes\\.1: must be equal to one of the allowed values`));
    expect(r.status).toBe(1);
    const jobs = spawnSync('node', ['bin/el2sim.js', 'run', SMOKE, '--jobs', '0'], { encoding: 'utf8', timeout: 60_000 });
    expect(jobs.stderr).toBe(`el2sim: --jobs: '0' is not a positive integer\n`);
    expect(jobs.status).toBe(2);
  });
});
