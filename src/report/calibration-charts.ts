// The calibration's charts: the model against published measurements.
// `latency`: cycles per dependent load over the working set (lmbench
// lat_mem_rd style), a line per timing preset, with the published points of
// the checks on that figure as markers in the preset's hue. `figures`: the
// other figures that carry a unit, model and published side by side, one
// chart per unit (bandwidth, page zero and copy, the cost of a walk).
import { basename } from 'node:path';
import { selectPoints, type CheckOutcome } from '../experiments/checks.js';
import type { GoodPoint } from '../experiments/run-point.js';
import type { ChartData, ChartSpec, Dataset } from './chart-spec.js';
import { shade } from './colours.js';
import { applyOverrides, loadTiming } from '../spec/timing.js';

/** The latency figure: the timed loop's cycles over its loads, both printed by the workload (memlat). */
export const LATENCY_METRIC = 'guest.cycles / guest.loads';
/** The workload argument that is the working set, in KiB. */
const SIZE_ARG = 'kib';

/**
 * One hue per timing preset in every calibration chart; published values in the same hue. Far
 * from the modes' blue, orange, green and red (render.ts), so a preset is never read as a mode.
 */
export const TIMING_HUES: Record<string, string> = { 'cortex-a72': '#7b3294', 'neoverse-n1': '#333333', 'cortex-a57': '#8a8a8a' };
const OTHER_HUES = ['#c2187a', '#17a2b8', '#8c6d31'];

export const timingName = (r: GoodPoint) => basename(r.point.timing).replace(/\.ya?ml$/, '');

function hue(timing: string, all: string[]): string {
  return TIMING_HUES[timing] ?? OTHER_HUES[all.filter((t) => !(t in TIMING_HUES)).indexOf(timing) % OTHER_HUES.length]!;
}

/** 4 KiB, 1 MiB, 1 GiB. */
export function sizeLabel(kib: number): string {
  const [v, u] = kib >= 1 << 20 ? [kib / (1 << 20), 'GiB'] : kib >= 1024 ? [kib / 1024, 'MiB'] : [kib, 'KiB'];
  return `${Number(v.toPrecision(3))} ${u}`;
}

const sameMetric = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const chasePoints = (results: GoodPoint[]) =>
  results.filter((r) => r.stats.guest?.cycles !== undefined && r.stats.guest.loads && typeof r.point.args[SIZE_ARG] === 'number');

/** A published latency point: at the working set of the points its check selects, when they share one. */
function latencyMarker(o: CheckOutcome, chase: GoodPoint[]): { timing: string; kib: number; value: number } | undefined {
  if (o.published === undefined || !sameMetric(o.metric, LATENCY_METRIC)) return undefined;
  const picked = selectPoints(o.of, chase);
  const sizes = new Set(picked.map((r) => r.point.args[SIZE_ARG]));
  const timings = new Set(picked.map(timingName));
  if (sizes.size !== 1 || timings.size !== 1) return undefined;
  return { timing: [...timings][0]!, kib: [...sizes][0]!, value: o.published };
}

export function latencyCharts(results: GoodPoint[], outcomes: CheckOutcome[]): ChartSpec[] {
  const chase = chasePoints(results);
  if (!chase.length) return [];
  const sizes = [...new Set(chase.map((r) => r.point.args[SIZE_ARG]!))].sort((a, b) => a - b);
  const labels = sizes.map(String);
  const timings = [...new Set(chase.map(timingName))];
  // a line per timing preset and per whatever else changes the figure: the workload, its arguments
  // but the size (and the length of the run and its seed), other sweep values; entries that differ
  // only in the size (one per working set) make one line, seeds are averaged
  const coords = (r: GoodPoint): [string, string][] => [['timing', timingName(r)], ['workload', r.point.workload],
    ...Object.entries(r.point.args).filter(([k]) => ![SIZE_ARG, 'iters', 'seed'].includes(k)).map(([k, v]): [string, string] => [`args.${k}`, String(v)]),
    ...Object.entries(r.point.sweep).filter(([k]) => k !== `args.${SIZE_ARG}` && k !== 'timing').map(([k, v]): [string, string] => [k, String(v)])];
  // a label names only what tells the lines apart (always the timing preset)
  const values = new Map<string, Set<string>>();
  for (const r of chase) for (const [k, v] of coords(r)) values.set(k, (values.get(k) ?? new Set()).add(v));
  const varies = (k: string) => k === 'timing' || values.get(k)!.size > 1 || chase.some((r) => !coords(r).some(([c]) => c === k));
  const seriesOf = (r: GoodPoint) => coords(r).filter(([k]) => varies(k)).map(([k, v]) => (k === 'timing' || k === 'workload' ? v : `${k}=${v}`)).join(', ');
  const series = [...new Set(chase.map(seriesOf))];
  const lines: { dataset: Dataset; timing: string }[] = series.map((s) => {
    const mine = chase.filter((r) => seriesOf(r) === s);
    const data = sizes.map((kib) => {
      const at = mine.filter((r) => r.point.args[SIZE_ARG] === kib).map((r) => r.stats.guest!.cycles! / r.stats.guest!.loads!);
      return at.length ? mean(at) : null;
    });
    return { dataset: { label: `${s} (model)`, data }, timing: timingName(mine[0]!) };
  });
  const markers = outcomes.map((o) => latencyMarker(o, chase)).filter((m) => m !== undefined);
  const published: { dataset: Dataset; timing: string }[] = timings.filter((t) => markers.some((m) => m.timing === t)).map((t) => ({
    timing: t,
    dataset: { label: `${t} (published)`, reference: true, data: sizes.map((kib) => markers.find((m) => m.timing === t && m.kib === kib)?.value ?? null) },
  }));
  // further lines of one preset in lighter shades of its hue; its published markers in the hue itself
  const perTiming = (t: string) => lines.filter((l) => l.timing === t).length;
  const colours = [...lines.map((l, i) => shade(hue(l.timing, timings), lines.slice(0, i).filter((x) => x.timing === l.timing).length, perTiming(l.timing))),
    ...published.map((p) => hue(p.timing, timings))];
  const data: ChartData = { labels, datasets: [...lines, ...published].map((x) => x.dataset) };
  // where each preset's caches and TLBs run out: the plateaus and steps the curve should show
  const xLines = timings.flatMap((t, row) => capacities(chase.find((r) => timingName(r) === t)!).map((c) => ({ ...c, colour: hue(t, timings), row })));
  return [{
    file: 'latency', title: 'Dependent-load latency over the working set (lat_mem_rd style)', type: 'line', yTitle: 'cycles per load (log scale)',
    xTitle: 'working set (log2 scale); dotted: each preset\'s cache sizes and TLB reach (4 KiB pages)', series: [], xLog2: true, xTick: sizeLabel, yLog: true, colours, data, xLines,
  }];
}

/** A point's cache sizes and TLB reach in KiB, from its resolved timing (4 KiB pages, as the guest maps its heap). */
function capacities(r: GoodPoint): { at: number; label: string }[] {
  const t = applyOverrides(loadTiming(r.point.timing), r.point.set);
  return [
    ...(t.cache.enabled ? [{ at: t.cache.l1d.sizeKiB, label: 'L1D' }, { at: t.cache.l2.sizeKiB, label: 'L2' }, { at: t.cache.llc.sizeKiB, label: 'LLC' }] : []),
    { at: t.tlb.l1d.entries * 4, label: 'L1 TLB' }, { at: t.tlb.l2.entries * 4, label: 'L2 TLB' },
  ];
}

/** The figures with a unit, but not those the latency chart marks: a chart of bars per unit, model and published per timing preset. */
export function figureCharts(results: GoodPoint[], outcomes: CheckOutcome[]): ChartSpec[] {
  const chase = chasePoints(results);
  const figures = outcomes.filter((o) => o.unit !== undefined && o.value !== null && !latencyMarker(o, chase));
  const units = [...new Set(figures.map((o) => o.unit!))];
  const timingOf = (o: CheckOutcome) => [...new Set(selectPoints(o.of, results).map(timingName))].join(' + ');
  const allTimings = [...new Set(figures.map(timingOf))];
  return units.map((unit) => {
    const mine = figures.filter((o) => o.unit === unit);
    const timings = [...new Set(mine.map(timingOf))];
    const datasets: Dataset[] = [], colours: string[] = [];
    for (const t of timings) {
      const value = (o: CheckOutcome, v: number | null | undefined) => (timingOf(o) === t ? v ?? null : null);
      datasets.push({ label: `${t} (model)`, data: mine.map((o) => value(o, o.value)) });
      colours.push(hue(t, allTimings));
      if (mine.some((o) => timingOf(o) === t && o.published !== undefined)) {
        datasets.push({ label: `${t} (published)`, reference: true, data: mine.map((o) => value(o, o.published)) });
        colours.push(hue(t, allTimings));
      }
    }
    return {
      file: `figures-${unit.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
      title: mine.some((o) => o.published !== undefined) ? `Model against published: ${unit}` : `Model: ${unit} (no published value found)`,
      type: 'bar' as const, horizontal: true, yTitle: unit, series: [], colours, data: { labels: mine.map((o) => o.name), datasets },
    };
  });
}
