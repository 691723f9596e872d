// The calibration's report from fixture points: every figure beside its
// published value with the ratio, tolerances deciding pass/fail, and the
// latency and figures charts (model lines, published markers in the preset's hue).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check } from '../src/experiments/checks.js';
import { evaluate } from '../src/experiments/checks.js';
import type { Experiment } from '../src/experiments/experiment.js';
import type { GoodPoint } from '../src/experiments/run-point.js';
import type { RunStats } from '../src/machine/stats.js';
import { chartSpecs } from '../src/report/charts.js';
import { writeReport } from '../src/report/report.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

function point(label: string, timing: string, args: Record<string, number>, guest: Record<string, number>, walks = { count: 0, cycles: 0 }): GoodPoint {
  const stats = {
    instructions: 1000, cycles: 5000, cyclesBy: { execute: 1000, memory: 4000 - walks.cycles, tlb: 0, walkS1: walks.cycles, walkS2: 0, exception: 0, idle: 0 },
    tlb: { l1d: { misses: 1 }, l2: { misses: 1 } }, walks: { count: walks.count, fetches: walks.count * 4, fetchesByStage: { s1: walks.count * 4, s2: 0 }, fetchesPerWalk: {} }, guest,
  } as unknown as RunStats;
  const sweep = { timing, ...(args.kib !== undefined && label === 'memlat' ? { 'args.kib': args.kib } : {}) };
  const id = `${label}_${timing}_${args.kib ?? ''}`;
  return { id, stop: 'poweroff', result: `${label}: checksum=0x1`, uart: '', stats, point: { id, label, workload: label, mode: 'native', seed: 1, sweep, args, timing, set: [], memMiB: 256, maxInsns: 1 } };
}

// a lat_mem_rd-shaped curve: L1, L2, LLC and DRAM plateaus, a TLB step past the L2 TLB's reach
const latency = (kib: number, l1: number, l2: number, llc: number) => (kib <= l1 ? 4 : kib <= l2 ? 13 : kib <= llc ? 50 : 200) + (kib > 4096 ? 25 : 0);
const results: GoodPoint[] = [];
for (const [timing, l1, l2, llc] of [['cortex-a72', 32, 1024, 1024], ['neoverse-n1', 64, 1024, 32768]] as const) {
  for (let kib = 4; kib <= 262144; kib *= 2) results.push(point('memlat', timing, { kib }, { cycles: latency(kib, l1, l2, llc) * 1000, loads: 1000 }));
  results.push(point('bw-read-l2', timing, { kib: 512 }, { cycles: 1000, bytes: timing === 'neoverse-n1' ? 18_000 : 9000 }));
  results.push(point('zero', timing, { kib: 4096 }, { cycles: 400_000, bytes: 4096 * 1000 }));
  results.push(point('walk', timing, { kib: 262144 }, { cycles: 1 }, { count: 1000, cycles: 30_000 }));
}

const ref = 'a published source, 1.5 GHz';
const checks: Check[] = [
  { name: 'L1 latency, cortex-a72', metric: 'guest.cycles / guest.loads', of: { workload: 'memlat', 'args.kib': 16, timing: 'cortex-a72' }, published: 4, unit: 'cycles per load', factor: 1.25, reference: ref },
  { name: 'DRAM latency, cortex-a72', metric: 'guest.cycles/guest.loads', of: { workload: 'memlat', 'args.kib': 262144, timing: 'cortex-a72' }, published: 150, unit: 'cycles per load', factor: 1.25, reference: ref },
  { name: 'L2 latency, neoverse-n1', metric: 'guest.cycles / guest.loads', of: { workload: 'memlat', 'args.kib': 512, timing: 'neoverse-n1' }, published: 11, unit: 'cycles per load', factor: 1.5, reference: ref },
  { name: 'L2 read bandwidth, neoverse-n1', metric: 'guest.bytes / guest.cycles', of: { workload: 'bw-read-l2', timing: 'neoverse-n1' }, published: 19.28, unit: 'bytes per cycle', factor: 1.5, reference: ref },
  { name: 'L2 read bandwidth, cortex-a72', metric: 'guest.bytes / guest.cycles', of: { workload: 'bw-read-l2', timing: 'cortex-a72' }, unit: 'bytes per cycle', reference: 'none published' },
  { name: 'page zero, cortex-a72', metric: '4096 * guest.cycles / guest.bytes', of: { workload: 'zero', timing: 'cortex-a72' }, unit: 'cycles per 4 KiB', reference: 'none published' },
  { name: 'walk, cortex-a72', metric: 'cyclesBy.walkS1 / walks.count', of: { workload: 'walk', timing: 'cortex-a72' }, unit: 'cycles per walk', reference: 'none published' },
  { name: 'walks happen', metric: 'walks.count', of: { workload: 'walk' }, atLeast: 1 },
];

describe('checks against published figures', () => {
  it('the ratio model / published, within the tolerance or not', () => {
    const [l1, dram, n1l2, bw, bwNone, zero, walk] = checks.map((c) => evaluate(c, results));
    expect(l1).toMatchObject({ value: 4, published: 4, ratio: 1, pass: true, expected: '4 within ×1.25' });
    expect(dram).toMatchObject({ value: 225, ratio: 1.5, pass: false });
    expect(n1l2).toMatchObject({ value: 13, pass: true });
    expect(bw!.ratio).toBeCloseTo(18 / 19.28);
    expect(bwNone).toMatchObject({ value: 9, pass: null, unit: 'bytes per cycle' });
    expect(bwNone!.published).toBeUndefined();
    expect(zero!.value).toBe(400);
    expect(walk!.value).toBe(30);
  });
});

describe('the calibration report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'el2sim-calrep-'));
  const exp = {
    name: 'calibration', description: 'fixture', timing: 'cortex-a72', workloads: [{ name: 'memlat', label: 'memlat', args: {} }], modes: ['native'],
    set: [], sweep: [['timing', ['cortex-a72', 'neoverse-n1']]], repeat: 1, memMiB: 256, maxInsns: 1, charts: ['latency', 'figures'], checks, quick: false, file: '', text: '',
  } as unknown as Experiment;
  const charts = writeReport(dir, { exp, results, problems: [], provenance: { revision: 'x', dirty: false } });
  const report = readFileSync(join(dir, 'report.md'), 'utf8');

  it('lists every figure with its published value, the ratio and the reference', () => {
    expect(report).toContain('## Model against published figures');
    expect(report).toContain('| L1 latency, cortex-a72 | cycles per load | 4 | 4 | 1.00 | ×1.25 | pass | a published source, 1.5 GHz |');
    expect(report).toContain('| DRAM latency, cortex-a72 | cycles per load | 225 | 150 | 1.50 | ×1.25 | **FAIL** | a published source, 1.5 GHz |');
    expect(report).toContain('| page zero, cortex-a72 | cycles per 4 KiB | 400 | none found |  |  | report | none published |');
    // a check that is no figure stays in the checks table
    expect(report).toMatch(/\| walks happen \| 1,000 \| ≥ 1 \| pass \| {2}\|/);
  });

  it('draws the latency curve and one bar chart per unit, as PNG and SVG', () => {
    expect(charts).toEqual(['charts/latency.png', 'charts/figures-bytes-per-cycle.png', 'charts/figures-cycles-per-4-KiB.png', 'charts/figures-cycles-per-walk.png']);
    for (const c of charts) {
      expect(readFileSync(join(dir, c)).subarray(0, 4)).toEqual(PNG_MAGIC);
      expect(readFileSync(join(dir, c.replace('.png', '.svg')), 'utf8')).toMatch(/^<\?xml|^<svg/);
      expect(report).toContain(`](${c})`);
    }
    expect(readdirSync(join(dir, 'charts'))).toHaveLength(8);
  });

  it('the latency chart: a line per preset on a log2 axis of sizes, published markers in its hue', () => {
    const [spec] = chartSpecs(['latency'], results, checks.map((c) => evaluate(c, results)));
    expect(spec!.xLog2).toBe(true);
    expect(spec!.xTick!(4)).toBe('4 KiB');
    expect(spec!.xTick!(262144)).toBe('256 MiB');
    const d = spec!.data!;
    expect(d.labels).toHaveLength(17);
    expect(d.datasets.map((s) => s.label)).toEqual(['cortex-a72 (model)', 'neoverse-n1 (model)', 'cortex-a72 (published)', 'neoverse-n1 (published)']);
    expect(d.datasets[2]!.reference).toBe(true);
    expect(d.datasets[2]!.data.filter((v) => v !== null)).toEqual([4, 150]);
    expect(spec!.colours![0]).toBe(spec!.colours![2]);
    expect(spec!.colours![1]).toBe(spec!.colours![3]);
    expect(spec!.colours![0]).not.toBe(spec!.colours![1]);
  });

  it('charts of an experiment without such points or figures: none', () => {
    expect(chartSpecs(['latency', 'figures'], results.filter((r) => r.point.label === 'walk'), [])).toEqual([]);
  });
});
