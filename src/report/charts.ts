// The charts of a run, each a chart kind plus a data selection: what the x axis
// runs over (workloads, every configuration, or one sweep key's values) and
// what the datasets are (a list of metrics, or one metric split by the
// configurations the x axis leaves). Seeds are averaged.
import type { RunStats } from '../machine/stats.js';
import type { GoodPoint as PointResult } from '../experiments/run-point.js';
import { hypervised, vmBreakdown, vmCharts } from './vm-charts.js';
import { figureCharts, latencyCharts } from './calibration-charts.js';
import type { CheckOutcome } from '../experiments/checks.js';
import type { ChartData, ChartSpec, Dataset, Metric } from './chart-spec.js';
import type { ChartName } from './chart-names.js';

const perKilo = (n: number, s: RunStats) => (s.instructions ? (1000 * n) / s.instructions : 0);

/** The derived figures charts and tables share. */
export const METRICS = {
  cycles: { label: 'cycles', value: (s) => s.cycles },
  l1dMpki: { label: 'L1 D-TLB MPKI', value: (s) => perKilo(s.tlb.l1d.misses, s) },
  l2Mpki: { label: 'L2 TLB MPKI', value: (s) => perKilo(s.tlb.l2.misses, s) },
  fetchesPerWalk: { label: 'fetches per walk', value: (s) => (s.walks.count ? s.walks.fetches / s.walks.count : 0) },
  s1PerWalk: { label: 'stage 1 fetches per walk', value: (s) => (s.walks.count ? s.walks.fetchesByStage.s1 / s.walks.count : 0) },
  s2PerWalk: { label: 'stage 2 fetches per walk', value: (s) => (s.walks.count ? s.walks.fetchesByStage.s2 / s.walks.count : 0) },
} satisfies Record<string, Metric>;
const cycles = METRICS.cycles;

/**
 * The charts the names ask for; 'sweep' gives one line chart per swept key with more than one value;
 * 'latency' and 'figures' draw the checks' outcomes beside their published values.
 */
export function chartSpecs(names: readonly ChartName[], results: PointResult[], outcomes: CheckOutcome[] = []): ChartSpec[] {
  const sweepKeys = dimensions(results).filter((d) => d !== 'workload' && d !== 'mode');
  const categories = Object.keys(results[0]?.stats.cyclesBy ?? {}) as (keyof RunStats['cyclesBy'])[];
  const all: Record<ChartName, ChartSpec[]> = {
    cycles: [{ file: 'cycles', title: 'Cycles per workload', type: 'bar', yTitle: 'cycles', x: ['workload'], series: { metric: cycles } }],
    ...vmCharts(results, sweepKeys),
    breakdown: hypervised(results) ? vmBreakdown(results) : [{
      file: 'breakdown', title: 'Cycles by category', type: 'bar', stacked: true, yTitle: 'cycles',
      series: categories.filter((c) => results.some((r) => r.stats.cyclesBy[c])).map((c) => ({ label: c, value: (s: RunStats) => s.cyclesBy[c] })),
    }],
    mpki: [{
      // every EL's instructions and misses: under a hypervisor the vmm's own dilute the guest's
      file: 'mpki', title: 'TLB misses per 1000 instructions (all ELs)', type: 'bar', yTitle: 'misses per 1000 instructions (EL0-EL2)',
      series: [METRICS.l1dMpki, METRICS.l2Mpki],
    }],
    walks: [{
      // stacked by stage: a nested walk's stage 2 fetches (its tables' IPAs and the final IPA) on top of its stage 1 ones
      file: 'walks', title: 'Descriptor fetches per table walk, by stage', type: 'bar', stacked: true, yTitle: 'fetches per walk',
      series: [METRICS.s1PerWalk, METRICS.s2PerWalk].filter((m) => results.some((r) => m.value(r.stats) > 0)),
    }],
    latency: latencyCharts(results, outcomes),
    figures: figureCharts(results, outcomes),
    sweep: sweepKeys.map((k) => ({ file: `sweep-${k}`, title: `Cycles over ${k}`, type: 'line', yTitle: 'cycles', x: [k], xTitle: k, series: { metric: cycles }, only: (r) => k in r.point.sweep })),
  };
  return names.flatMap((n) => all[n]).flatMap((spec) => panels(spec, results));
}

/** Past this many configurations on one axis, or series in a chart by workload, a chart is split into a panel per workload. */
export const MAX_CONFIGURATIONS = 24;
const MAX_SERIES = 12;

/** A chart over every configuration with more of them than fit: one panel (file) per workload. */
function panels(spec: ChartSpec, results: PointResult[]): ChartSpec[] {
  if (spec.data) return [spec];
  const shown = spec.only ? results.filter(spec.only) : results;
  const workloads = [...new Set(shown.map((r) => r.point.label))];
  if (workloads.length < 2) return [spec];
  // over every configuration: too many bars; grouped by workload: too many series (workloads whose sweeps differ leave most of them empty)
  const crowded = spec.x === undefined ? new Set(shown.map((r) => configLabel(r, shown))).size > MAX_CONFIGURATIONS
    : spec.x.length === 1 && spec.x[0] === 'workload' && chartData(spec, results).datasets.length > MAX_SERIES;
  if (!crowded) return [spec];
  return workloads.map((w) => ({
    ...spec, file: `${spec.file}-${w}`, title: `${spec.title}: ${w}`,
    only: (r: PointResult) => r.point.label === w && (spec.only?.(r) ?? true),
  }));
}

type Dims = [string, string][];

/** A point's coordinates: its workload, its mode, its sweep values. */
const coordinates = (r: PointResult): Dims => [['workload', r.point.label], ['mode', r.point.mode], ...Object.entries(r.point.sweep).map(([k, v]): [string, string] => [k, String(v)])];

/** The dimensions that vary across the results, in order of first appearance. */
export function dimensions(results: PointResult[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const r of results) for (const [k, v] of coordinates(r)) values.set(k, (values.get(k) ?? new Set()).add(v));
  return [...values].filter(([k, vs]) => vs.size > 1 || k === 'workload').map(([k]) => k);
}

/** `gups, tlb.l2.entries=512`: the workload and mode by value, sweep keys as key=value. */
export function comboLabel(dims: Dims): string {
  return dims.map(([k, v]) => (k === 'workload' || k === 'mode' ? v : `${k}=${v}`)).join(', ') || 'all';
}

/** A point's label along dimensions `dims`; along one dimension its value alone (the axis title names it). */
function labelAlong(r: PointResult, dims: string[]): string {
  const picked = coordinates(r).filter(([k]) => dims.includes(k));
  return dims.length === 1 ? picked.map(([, v]) => v).join('') : comboLabel(picked);
}

/** The label chartData gives `r` on an axis of every configuration of `results`. */
export const configLabel = (r: PointResult, results: PointResult[]) => labelAlong(r, dimensions(results));

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The labels and datasets of a chart: results grouped by the x dimensions and the series, seeds averaged. */
export function chartData(spec: ChartSpec, all: PointResult[]): ChartData {
  const results = spec.only ? all.filter(spec.only) : all;
  const dims = dimensions(results);
  const xDims = spec.x ?? dims;
  const pick = (r: PointResult, names: string[]): Dims => coordinates(r).filter(([k]) => names.includes(k));
  const xLabel = (r: PointResult) => labelAlong(r, xDims);
  const labels = [...new Set(results.map(xLabel))];
  const groupBy = (label: string, rs: PointResult[], metric: Metric): Dataset => {
    const values = labels.map((l) => rs.filter((r) => xLabel(r) === l).map((r) => metric.value(r.stats, r)));
    const d: Dataset = { label, data: values.map(mean) };
    if (values.some((vs) => vs.length > 1 && Math.min(...vs) !== Math.max(...vs))) {
      d.low = values.map((vs) => (vs.length ? Math.min(...vs) : null));
      d.high = values.map((vs) => (vs.length ? Math.max(...vs) : null));
    }
    return d;
  };
  if (Array.isArray(spec.series)) return { labels, datasets: spec.series.map((m) => groupBy(m.label, results, m)) };
  // a chart coloured by mode names the mode in every series, even when only one occurs
  const rest = [...(spec.byMode && !dims.includes('mode') ? ['mode'] : []), ...dims.filter((d) => !xDims.includes(d))];
  const seriesLabels = [...new Set(results.map((r) => comboLabel(pick(r, rest))))];
  const metric = spec.series.metric;
  return { labels, datasets: seriesLabels.map((s) => groupBy(s, results.filter((r) => comboLabel(pick(r, rest)) === s), metric)) };
}
