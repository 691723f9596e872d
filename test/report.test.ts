// The report's data selection (points grouped along x, datasets by metric or by
// the remaining configuration, seeds averaged), its charts as PNG, and the
// checks across points.
import { describe, expect, it } from 'vitest';
import type { GoodPoint as PointResult } from '../src/experiments/run-point.js';
import { compareTwins, problems, resultsCsv } from '../src/experiments/results.js';
import type { RunStats } from '../src/machine/stats.js';
import { chartData, chartSpecs, dimensions } from '../src/report/charts.js';
import { renderChart, renderPng } from '../src/report/render.js';
import { crossings } from '../src/report/vm-charts.js';
import { evaluate, type Check } from '../src/experiments/checks.js';

function point(label: string, sweep: Record<string, number | boolean>, seed: number, cycles: number, result = `${label}: checksum=1`): PointResult {
  const stats = {
    instructions: 1000, cycles,
    cyclesBy: { execute: 1000, memory: cycles - 1100, tlb: 0, walkS1: 100, walkS2: 0, exception: 0, idle: 0 },
    tlb: { l1d: { misses: 20 }, l2: { misses: 5 } },
    walks: { count: 5, fetches: 20, fetchesByStage: { s1: 20, s2: 0 } },
  } as unknown as RunStats;
  return {
    id: `${label}_${JSON.stringify(sweep)}_s${seed}`, stop: 'poweroff', result, uart: '', stats,
    point: { id: '', label, workload: label, mode: 'native', seed, sweep, args: { seed }, timing: 'cortex-a57', set: [], memMiB: 256, maxInsns: 1 },
  };
}

// two workloads x tlb.l2.entries {512, 1024} x walkCache on/off x seeds 1, 2
const results: PointResult[] = [];
for (const w of ['gups', 'ptrchase']) {
  for (const entries of [512, 1024]) {
    for (const wc of [true, false]) {
      for (const seed of [1, 2]) results.push(point(w, { 'tlb.l2.entries': entries, 'walkCache.enabled': wc }, seed, (w === 'gups' ? 10_000 : 20_000) + (wc ? 0 : 1000) + entries + seed * 10));
    }
  }
}

describe('chart data', () => {
  it('the dimensions are those that vary (the workload always)', () => {
    expect(dimensions(results)).toEqual(['workload', 'tlb.l2.entries', 'walkCache.enabled']);
    expect(dimensions(results.filter((r) => r.point.label === 'gups' && r.point.sweep['tlb.l2.entries'] === 512))).toEqual(['workload', 'walkCache.enabled']);
  });

  it('cycles per workload: a dataset per configuration, seeds averaged', () => {
    const [spec] = chartSpecs(['cycles'], results);
    const d = chartData(spec, results);
    expect(d.labels).toEqual(['gups', 'ptrchase']);
    expect(d.datasets.map((s) => s.label)).toEqual([
      'tlb.l2.entries=512, walkCache.enabled=true', 'tlb.l2.entries=512, walkCache.enabled=false',
      'tlb.l2.entries=1024, walkCache.enabled=true', 'tlb.l2.entries=1024, walkCache.enabled=false',
    ]);
    expect(d.datasets[1].data).toEqual([10_000 + 1000 + 512 + 15, 20_000 + 1000 + 512 + 15]);
  });

  it('metrics over every configuration: the breakdown stacks only categories that occur', () => {
    const [breakdown, mpki, walks] = chartSpecs(['breakdown', 'mpki', 'walks'], results);
    expect(breakdown.stacked).toBe(true);
    const b = chartData(breakdown, results);
    expect(b.labels).toHaveLength(8);
    expect(b.labels[0]).toBe('gups, tlb.l2.entries=512, walkCache.enabled=true');
    expect(b.datasets.map((s) => s.label)).toEqual(['execute', 'memory', 'walkS1']);
    expect(chartData(mpki, results).datasets.map((s) => [s.label, s.data[0]])).toEqual([['L1 D-TLB MPKI', 20], ['L2 TLB MPKI', 5]]);
    expect(chartData(walks, results).datasets[0].data[0]).toBe(4);
  });

  it('a line chart per swept key, over its values', () => {
    const sweeps = chartSpecs(['sweep'], results);
    expect(sweeps.map((s) => s.file)).toEqual(['sweep-tlb.l2.entries', 'sweep-walkCache.enabled']);
    const d = chartData(sweeps[0], results);
    expect(d.labels).toEqual(['512', '1024']);
    expect(d.datasets.map((s) => s.label)).toEqual(['gups, walkCache.enabled=true', 'gups, walkCache.enabled=false', 'ptrchase, walkCache.enabled=true', 'ptrchase, walkCache.enabled=false']);
    expect(d.datasets[0].data).toEqual([10_000 + 512 + 15, 10_000 + 1024 + 15]);
  });

  it('renders a PNG', () => {
    const [spec] = chartSpecs(['breakdown'], results);
    const png = renderPng(spec, chartData(spec, results));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(10_000);
  });
});

describe('checks across points and the CSV', () => {
  it('a result line that differs between points of the same workload and arguments is a problem', () => {
    expect(problems(results)).toEqual([]);
    const bad = [...results.slice(0, 3), { ...results[3], result: 'gups: checksum=2' }, { ...results[4], error: 'the machine stopped (limit)' }];
    const found = problems(bad);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/: the machine stopped \(limit\)$/);
    expect(found[1]).toMatch(/^gups \{"seed":2\}: the result differs between points of the same workload and arguments: 'gups: checksum=1' \(.*\) vs 'gups: checksum=2' \(.*\)$/);
  });

  it('quotes cells that need it', () => {
    const csv = resultsCsv([point('w', {}, 1, 5000, 'w: a, "b"')]).split('\n');
    expect(csv[1]).toContain(',"w: a, ""b""",');
  });
});

describe('the comparison charts', () => {
  // gups natively and under stage2 at two working sets, the stage 2 cost growing with it
  const row = (n: number) => ({ execute: n, memory: 0, tlb: 0, walkS1: 0, walkS2: 0, exception: 0, idle: 0 });
  /** `run`: the cycles of the guest's run; a vmm adds 50 of start-up before it. */
  function vmPoint(mode: 'native' | 'stage2', mib: number, run: number, exits: number): PointResult {
    const startup = mode === 'native' ? 0 : 50;
    const cycles = run + startup;
    const el2 = exits * 100 + startup;
    const stats = {
      instructions: 1000, cycles, cyclesBy: row(cycles),
      cyclesByEl: { el0: 0, el1: cycles - el2, el2 }, instructionsByEl: { el0: 0, el1: 1000, el2: exits * 50 },
      ledger: { el0: row(0), el1: row(cycles - el2), el2: row(el2) },
      exits: { total: exits, beforeFirstEntry: startup, byReason: exits ? { DABT_LOWER: { count: exits, cycles: exits * 100 } } : {} },
      tlb: { l1d: { misses: 0 }, l2: { misses: 0 } }, walks: { count: 0, fetches: 0, fetchesByStage: { s1: 0, s2: 0 } },
    } as unknown as RunStats;
    const sweep = { 'args.mib': mib };
    const id = (m: string) => `gups_${m}_${mib}`;
    return {
      id: id(mode), stop: 'poweroff', result: `gups: mib=${mib}`, uart: '', stats,
      point: { id: id(mode), label: 'gups', workload: 'gups', mode, seed: 1, sweep, args: { mib }, timing: 'cortex-a57', set: [], memMiB: 256, maxInsns: 1, ...(mode === 'native' ? {} : { twin: id('native') }) },
    };
  }
  const vm = [vmPoint('native', 1, 10_000, 0), vmPoint('native', 4, 20_000, 0), vmPoint('stage2', 1, 12_000, 10), vmPoint('stage2', 4, 30_000, 40)];
  compareTwins(vm);

  it('overhead against the native twin (the vmm\'s start-up left out), and a mismatching result fails the point', () => {
    expect(vm.map((r) => r.overhead)).toEqual([1, 1, 1.2, 1.5]);
    const bad = [vm[0]!, { ...vm[2]!, result: 'gups: other', overhead: undefined }];
    compareTwins(bad);
    expect(bad[1]!.error).toMatch(/^result 'gups: other' differs from the native twin's 'gups: mib=1' \(gups_native_1\)$/);
  });

  it('the breakdown stacks guest and vmm cycles normalised to native, adding up to the overhead', () => {
    const [b] = chartSpecs(['breakdown'], vm);
    const d = chartData(b!, vm);
    expect(d.datasets.map((s) => s.label)).toEqual(['guest execute', 'vmm: data aborts (DABT_LOWER)']);
    const total = (i: number) => d.datasets.reduce((a, s) => a + (s.data[i] ?? 0), 0);
    expect(d.labels.map((_, i) => Number(total(i).toFixed(6)))).toEqual([1, 1, 1.2, 1.5]);
  });

  it('overhead by workload and mode, exits per 1000 instructions and their cost, and overhead over the sweep', () => {
    const specs = chartSpecs(['overhead', 'exits', 'crossover'], vm);
    expect(specs.map((s) => s.file)).toEqual(['overhead', 'exits', 'exit-cost', 'crossover-args.mib']);
    expect(chartData(specs[0]!, vm).datasets).toEqual([{ label: 'stage2, args.mib=1', data: [1.2] }, { label: 'stage2, args.mib=4', data: [1.5] }]);
    expect(chartData(specs[1]!, vm).datasets).toEqual([{ label: 'data aborts (DABT_LOWER)', data: [10, 40] }]);
    // the cost beside the exits it stands for (10 + 40), in the reason's colour
    expect(chartData(specs[2]!, vm).datasets).toEqual([{ label: 'data aborts (DABT_LOWER), n=50', data: [100, 100], colour: '#5b3a29' }]);
    expect(chartData(specs[3]!, vm)).toEqual({ labels: ['1', '4'], datasets: [{ label: 'gups, stage2', data: [1.2, 1.5] }] });
    for (const s of specs) expect(renderChart(s, chartData(s, vm), 'svg').toString('utf8')).toMatch(/^<\?xml|^<svg/);
  });

  it('an exit reason has one colour in every chart and every experiment, whatever its rank', () => {
    const colourOf = (results: PointResult[], reason: string) => chartSpecs(['exits', 'breakdown'], results).map((spec) => {
      const datasets = chartData(spec, results).datasets;
      const i = datasets.findIndex((d) => d.label.includes(reason));
      return spec.colours?.[i] ?? datasets[i]?.colour;
    });
    // another reason costlier than the data aborts moves them down the ranking
    const withHvc = vm.map((r) => ({ ...r, stats: { ...r.stats, exits: { ...r.stats.exits, byReason: { ...r.stats.exits.byReason, HVC64: { count: 1, cycles: 1e6 } } } } }));
    expect(colourOf(withHvc, 'DABT_LOWER')).toEqual(colourOf(vm, 'DABT_LOWER'));
    expect(colourOf(vm, 'DABT_LOWER')).toHaveLength(3); // exits, exit-cost, breakdown
    for (const c of colourOf(vm, 'DABT_LOWER')) expect(c).toBe('#5b3a29');
  });

  it('checks: a figure of the selected points against a bound or other points, or only reported', () => {
    const ev = (c: Partial<Check>) => evaluate({ name: 'c', metric: 'overhead', of: { mode: 'stage2' }, ...c } as Check, vm);
    expect(ev({ atLeast: 1.3 })).toMatchObject({ value: 1.35, pass: true, expected: '≥ 1.3' });
    expect(ev({ of: { mode: 'stage2', 'args.mib': 4 }, equals: 1.5 })).toMatchObject({ value: 1.5, pass: true });
    expect(ev({ metric: 'cycles', of: { 'args.mib': 4, mode: 'stage2' }, greaterThan: { 'args.mib': 4, mode: 'native' }, factor: 1.6 })).toMatchObject({ value: 30_050, pass: false });
    expect(ev({ metric: 'cyclesPerExit.DABT_LOWER' })).toMatchObject({ value: 100, pass: null, expected: '(reported)' });
    expect(ev({ metric: 'exits.byReason.DABT_LOWER.count', of: { mode: 'stage2', 'args.mib': 1 }, atMost: 5 })).toMatchObject({ value: 10, pass: false });
    expect(ev({ of: { mode: 'shadow-wp' }, atLeast: 1 })).toMatchObject({ value: null, pass: null });
    expect(problems(vm, [{ name: 'few exits', metric: 'exits.total', of: { mode: 'stage2' }, atMost: 5 }])).toEqual(['check \'few exits\' failed: measured 25, expected ≤ 5']);
  });

  it('finds where lines of two modes cross', () => {
    expect(crossings(['1', '2', '4'], [{ label: 'stage2', data: [1.1, 1.3, 1.5] }, { label: 'shadow-wp', data: [2, 1.4, 1.2] }]))
      .toEqual([{ a: 'stage2', b: 'shadow-wp', i: 1, frac: expect.closeTo(0.25), x: 2.5, text: 'stage2 and shadow-wp cross at 2.5 (between 2 and 4)' }]);
    expect(crossings(['1', '2'], [{ label: 'stage2', data: [1, 2] }, { label: 'stage2, vmm.block=2m', data: [2, 1] }])).toEqual([]);
    // only lines of the same workload and other sweep values, differing in mode
    expect(crossings(['1', '2'], [{ label: 'gups, stage2, vmm.block=2m', data: [1, 2] }, { label: 'ptrchase, shadow-wp', data: [2, 1] }])).toEqual([]);
    expect(crossings(['1', '2'], [{ label: 'gups, stage2, pages=4', data: [1, 2] }, { label: 'gups, shadow-wp, pages=64', data: [2, 1] }])).toEqual([]);
    expect(crossings(['1', '2'], [{ label: 'gups, stage2, vmm.block=2m', data: [1, 2] }, { label: 'gups, shadow-wp', data: [2, 1] }])).toHaveLength(1);
  });
});

describe('legibility', () => {
  it('error bars over seeds where they differ, a panel per workload past 24 configurations', () => {
    const [cyc] = chartSpecs(['cycles'], results);
    const d = chartData(cyc!, results);
    expect(d.datasets[0]!.low).toEqual([10_000 + 512 + 10, 20_000 + 512 + 10]);
    expect(d.datasets[0]!.high).toEqual([10_000 + 512 + 20, 20_000 + 512 + 20]);
    const many: PointResult[] = [];
    for (const w of ['gups', 'ptrchase']) for (let e = 1; e <= 13; e++) many.push(point(w, { 'tlb.l2.entries': e * 64 }, 1, 1000 + e));
    expect(chartSpecs(['breakdown'], many).map((s) => s.file)).toEqual(['breakdown-gups', 'breakdown-ptrchase']);
    const panel = chartSpecs(['breakdown'], many)[1]!;
    expect(chartData(panel, many).labels).toHaveLength(13);
    expect(chartSpecs(['breakdown'], many.slice(0, 20)).map((s) => s.file)).toEqual(['breakdown']);
  });
});
