// The design of the charts, asserted on their specifications and data: the right kind of chart
// for the data (bars for a boolean sweep, a line on a log axis for a wide numeric one, a line
// per mode for overhead over a numeric sweep), never the same colour twice among a chart's
// series, exit costs beside how many exits they stand for, heights and widths a page can hold,
// and timing presets in colours no mode has.
import { describe, expect, it } from 'vitest';
import type { GoodPoint as PointResult } from '../src/experiments/run-point.js';
import type { RunStats } from '../src/machine/stats.js';
import { MAX_BARS, chartData, chartSpecs } from '../src/report/charts.js';
import { numericScale, sweepScale } from '../src/report/axes.js';
import { MAX_HEIGHT, MODE_HUES, renderChart, seriesColours, xPosition } from '../src/report/render.js';
import { TIMING_HUES } from '../src/report/calibration-charts.js';
import { MIN_EXITS } from '../src/report/vm-charts.js';
import type { ChartSpec } from '../src/report/chart-spec.js';

const row = (n: number) => ({ execute: n, memory: 0, tlb: 0, walkS1: 0, walkS2: 0, exception: 0, idle: 0 });

/** A point with cycles, TLB misses, walks and (under a hypervisor) exits by reason: `exits` as reason → count, each costing `cost[reason]` cycles. */
function pt(label: string, mode: string, sweep: Record<string, number | boolean | string>, cycles: number, exits: Record<string, number> = {}, seed = 1): PointResult {
  const cost: Record<string, number> = { DABT_LOWER: 300, IABT_LOWER: 1000, HVC64: 200, SYS64: 400 };
  const byReason = Object.fromEntries(Object.entries(exits).map(([k, n]) => [k, { count: n, cycles: n * (cost[k] ?? 100) }]));
  const el2 = Object.values(byReason).reduce((a, e) => a + e.cycles, 0);
  const stats = {
    instructions: 1000, cycles, cyclesBy: row(cycles), cyclesByEl: { el0: 0, el1: cycles - el2, el2 }, instructionsByEl: { el0: 0, el1: 1000, el2: 0 },
    ledger: { el0: row(0), el1: row(cycles - el2), el2: row(el2) },
    exits: { total: Object.values(exits).reduce((a, b) => a + b, 0), beforeFirstEntry: 0, byReason },
    tlb: { l1d: { misses: 10 }, l2: { misses: 2 } }, walks: { count: 2, fetches: 8, fetchesByStage: { s1: 8, s2: 0 } },
  } as unknown as RunStats;
  const id = `${label}_${mode}_${JSON.stringify(sweep)}_${seed}`;
  const twin = `${label}_native_${JSON.stringify(sweep)}_${seed}`;
  return {
    id, stop: 'poweroff', result: `${label}: ok`, uart: '', stats, ...(mode === 'native' ? { overhead: 1 } : { overhead: cycles / 1000 }),
    point: { id, label, workload: label, mode, seed, sweep, args: {}, timing: 'cortex-a57', set: [], memMiB: 256, maxInsns: 1, ...(mode === 'native' ? {} : { twin }) },
  } as PointResult;
}

// tlb-reach's shape: 2 workloads × mib {2,4,8,16} × entries {512,1024,2048} × walk caches on/off, natively
const reach: PointResult[] = [];
for (const w of ['gups', 'ptrchase']) for (const mib of [2, 4, 8, 16]) for (const e of [512, 1024, 2048]) for (const wc of [true, false]) {
  reach.push(pt(w, 'native', { 'args.mib': mib, 'tlb.l2.entries': e, 'walkCache.enabled': wc }, 1000 * mib + e + (wc ? 0 : 500)));
}

/** The colours of a chart's series (published values, which share their model's hue, left out). */
const colours = (spec: ChartSpec, results: PointResult[]) => {
  const d = spec.data ?? chartData(spec, results);
  return seriesColours(spec, d).filter((_, i) => !d.datasets[i]!.reference);
};

/** The height of a PNG, from its header. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the kind of chart fits the data', () => {
  it('a boolean sweep key: grouped bars, a bar per value in each configuration; never a line over true/false', () => {
    const specs = chartSpecs(['sweep'], reach).filter((s) => s.file.startsWith('sweep-walkCache.enabled'));
    expect(specs.length).toBeGreaterThan(0);
    for (const s of specs) {
      expect(s.type).toBe('bar');
      const d = chartData(s, reach);
      expect(d.datasets.map((x) => x.label.replace(/^\w+, /, ''))).toEqual(['walkCache.enabled=true', 'walkCache.enabled=false']);
      expect(d.labels.every((l) => !l.includes('walkCache.enabled'))).toBe(true);
    }
    // a categorical key (strings) as well
    const cat = [pt('gups', 'native', { 'vmm.switch': 'thin' }, 100), pt('gups', 'native', { 'vmm.switch': 'full' }, 200)];
    expect(chartSpecs(['sweep'], cat)[0]!.type).toBe('bar');
  });

  it('a numeric sweep key: a line at the values swept, on a log axis past a factor of 4, symlog with 0 past two decades', () => {
    const mib = chartSpecs(['sweep'], reach).filter((s) => s.file.startsWith('sweep-args.mib'));
    expect(mib.map((s) => [s.type, s.xScale])).toEqual(mib.map(() => ['line', 'log']));
    expect(numericScale([0, 10_000, 100_000, 1_000_000])).toBe('symlog');
    expect(numericScale([100_000, 300_000, 1_000_000, 3_000_000])).toBe('log');
    expect(numericScale([40, 44])).toBe('linear');
    expect(numericScale([0, 1, 2, 3])).toBe('linear');
    expect(sweepScale([pt('g', 'native', { 'walkCache.enabled': true }, 1)], 'walkCache.enabled')).toBeUndefined();
    // 0 sits a decade below the smallest other value; the others at their values
    expect(xPosition({ xScale: 'symlog' } as ChartSpec, ['0', '10000', '100000', '1000000'])).toEqual([1000, 10_000, 100_000, 1_000_000]);
  });

  it('overhead over a wide numeric sweep: a line per mode on a symlog axis, crossings marked at the drawn positions', () => {
    const vm: PointResult[] = [];
    for (const work of [0, 10_000, 100_000, 1_000_000]) for (const pages of [4, 64]) {
      const sweep = { 'args.work': work, 'args.pages': pages };
      vm.push(pt('mmapchurn', 'native', sweep, 1000), pt('mmapchurn', 'stage2', sweep, 1100), pt('mmapchurn', 'shadow-wp', sweep, 1000 + 4_000_000 / (work + 1000)));
      vm.push(pt('forkwait', 'native', { 'args.pages': pages }, 1000), pt('forkwait', 'stage2', { 'args.pages': pages }, 1050), pt('forkwait', 'shadow-wp', { 'args.pages': pages }, 3000));
    }
    const [cross] = chartSpecs(['crossover'], vm);
    expect(cross).toMatchObject({ file: 'crossover-args.work', type: 'line', xScale: 'symlog', whole: true });
    const over = chartSpecs(['overhead'], vm);
    const churn = over.find((s) => s.file === 'overhead-mmapchurn')!;
    expect(churn).toMatchObject({ type: 'line', x: ['args.work'], xScale: 'symlog', byMode: true });
    const d = chartData(churn, vm);
    expect(d.labels).toEqual(['0', '10000', '100000', '1000000']);
    expect(d.datasets.map((x) => x.label)).toEqual(['stage2, args.pages=4', 'shadow-wp, args.pages=4', 'stage2, args.pages=64', 'shadow-wp, args.pages=64']);
    expect(renderChart({ ...cross!, xMarks: [{ i: 1, frac: 0.5, label: 'x' }] }, chartData(cross!, vm), 'svg').toString('utf8')).toMatch(/<svg/);
  });
});

describe('legible at the size drawn', () => {
  it('cycles per workload with 24 configurations: a panel per workload, the bars grouped by a numeric key, not 24 in one category', () => {
    const specs = chartSpecs(['cycles'], reach);
    expect(specs.map((s) => s.file)).toEqual(['cycles-gups', 'cycles-ptrchase']);
    for (const s of specs) {
      const d = chartData(s, reach);
      expect(s.x).toEqual(['args.mib']);
      expect(d.labels).toEqual(['2', '4', '8', '16']);
      expect(d.datasets.length).toBe(6);
      // the panel's title names the workload; its legend need not
      expect(d.datasets[0]!.label).toBe('tlb.l2.entries=512, walkCache.enabled=true');
    }
  });

  it('over 24 configurations of a workload: horizontal bars, labels without the workload the title names', () => {
    for (const name of ['mpki', 'walks', 'breakdown'] as const) {
      const specs = chartSpecs([name], reach);
      expect(specs.map((s) => s.file)).toEqual([`${name}-gups`, `${name}-ptrchase`]);
      for (const s of specs) {
        expect(s.horizontal, name).toBe(true);
        const d = chartData(s, reach);
        expect(d.labels).toHaveLength(24);
        expect(d.labels.every((l) => !l.includes('gups') && !l.includes('ptrchase'))).toBe(true);
      }
    }
    // no chart of vertical bars holds more than MAX_BARS
    for (const s of chartSpecs(['cycles', 'mpki', 'walks', 'breakdown', 'sweep'], reach)) {
      if (s.type !== 'bar' || s.horizontal) continue;
      const d = chartData(s, reach);
      expect(d.labels.length * (s.stacked ? 1 : d.datasets.length), s.file).toBeLessThanOrEqual(MAX_BARS);
    }
  });

  it('a chart is never taller than MAX_HEIGHT nor wider than 1,600 px plus a legend', () => {
    for (const s of chartSpecs(['mpki', 'breakdown', 'sweep', 'cycles'], reach)) {
      const { width, height } = pngSize(renderChart(s, chartData(s, reach), 'png'));
      expect(height, s.file).toBeLessThanOrEqual(MAX_HEIGHT + 40);
      expect(width, s.file).toBeLessThanOrEqual(1600 + 560);
    }
  });

  it('series colours never repeat within a chart, past the palette\'s 20 and among shades of a mode', () => {
    for (const s of chartSpecs(['sweep', 'cycles', 'mpki', 'walks', 'breakdown'], reach)) {
      const cs = colours(s, reach).map((c) => c.toLowerCase());
      expect(new Set(cs).size, s.file).toBe(cs.length);
    }
    // 30 lines in one chart, and 25 configurations of one mode
    const many: ChartSpec = { file: 'x', title: 'x', type: 'line', yTitle: 'y', series: [] };
    const labels = (n: number, p: string) => ({ labels: ['1'], datasets: Array.from({ length: n }, (_, i) => ({ label: `${p}${i}`, data: [i] })) });
    const a = seriesColours(many, labels(30, 'w'));
    expect(new Set(a).size).toBe(30);
    const b = seriesColours({ ...many, byMode: true }, labels(25, 'stage2, k='));
    expect(new Set(b).size).toBe(25);
    // a dataset's own colour wins (an exit reason's), and is not taken by another series
    const own = seriesColours(many, { labels: ['1'], datasets: [{ label: 'a', data: [1] }, { label: 'b', data: [1], colour: '#4e79a7' }] });
    expect(own[1]).toBe('#4e79a7');
    expect(own[0]).not.toBe('#4e79a7'); // the palette's first, but taken
  });
});

describe('exit costs beside how many exits they stand for', () => {
  const vm = [
    pt('gups', 'native', {}, 1000),
    pt('gups', 'stage2', {}, 5000, { DABT_LOWER: 12_345, IABT_LOWER: 3, HVC64: 1 }),
    pt('gups', 'shadow-wp', {}, 9000, { DABT_LOWER: 20_000, IABT_LOWER: 500, HVC64: 1, SYS64: 40 }),
  ];
  const cost = chartSpecs(['exits'], vm).find((s) => s.file === 'exit-cost')!;
  const d = chartData(cost, vm);

  it('each reason\'s label carries its count; bars of a run with few exits are pale; a reason rare everywhere is left out and named', () => {
    expect(d.datasets.map((x) => x.label)).toEqual(['data aborts (DABT_LOWER), n=32,345', 'instruction aborts (IABT_LOWER), n=503', 'MSR/MRS/TLBI traps (SYS64), n=40']);
    const iabt = d.datasets[1]!;
    expect(d.labels).toEqual(['gups, stage2', 'gups, shadow-wp']);
    expect(iabt.data).toEqual([1000, 1000]);
    expect(iabt.faint).toEqual([true, false]); // 3 boot-time aborts under stage2: no figure to compare with 500
    expect(d.datasets[0]!.faint).toBeUndefined();
    // SYS64 never happened under stage2: no bar at all, not a bar of 0
    expect(d.datasets[2]!.data).toEqual([null, 400]);
    expect(d.note).toBe(`Left out, under ${MIN_EXITS} per run in every configuration: HVCs (HVC64), n=2`);
    expect(cost.note).toMatch(/pale bars: under 10 exits/);
  });

  it('keeps each reason\'s colour, and draws', () => {
    expect(d.datasets.map((x) => x.colour)).toEqual(['#5b3a29', '#d8b4a0', '#8e5ea2']);
    const png = renderChart(cost, d, 'png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('timing presets apart from modes', () => {
  /** Hue (degrees), saturation and lightness of a colour. */
  function hsl(hex: string) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
    const max = Math.max(r, g, b), min = Math.min(r, g, b), l = (max + min) / 2, c = max - min;
    const s = c === 0 ? 0 : c / (1 - Math.abs(2 * l - 1));
    const h = c === 0 ? 0 : max === r ? 60 * (((g - b) / c) % 6) : max === g ? 60 * ((b - r) / c + 2) : 60 * ((r - g) / c + 4);
    return { h: (h + 360) % 360, s, l };
  }
  it('every preset\'s hue is far from every mode\'s: 40° round the wheel, or greyer or darker by far', () => {
    for (const [preset, p] of Object.entries(TIMING_HUES)) {
      for (const [mode, m] of Object.entries(MODE_HUES)) {
        const a = hsl(p), b = hsl(m);
        const dh = Math.min(Math.abs(a.h - b.h), 360 - Math.abs(a.h - b.h));
        expect(dh >= 40 || Math.abs(a.s - b.s) >= 0.4 || Math.abs(a.l - b.l) >= 0.25, `${preset} ${p} vs ${mode} ${m}`).toBe(true);
      }
    }
    expect(new Set(Object.values(TIMING_HUES)).size).toBe(Object.keys(TIMING_HUES).length);
  });
});
