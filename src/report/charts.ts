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
import { keyValues, numericKey, numericScale } from './axes.js';
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
    sweep: sweepKeys.map((k) => sweepChart(k, results)),
  };
  return names.flatMap((n) => all[n]).flatMap((spec) => panels(spec, results));
}

/**
 * Cycles over one swept key: a line over a numeric key's values (drawn at their values), grouped
 * bars for a boolean or categorical one (true/false are no points on a line): a group per
 * remaining configuration, a bar per value of the key.
 */
function sweepChart(k: string, results: PointResult[]): ChartSpec {
  const only = (r: PointResult) => k in r.point.sweep;
  const values = keyValues(results.filter(only), k);
  if (numericKey(values)) {
    return { file: `sweep-${k}`, title: `Cycles over ${k}`, type: 'line', yTitle: 'cycles', x: [k], xTitle: k, xScale: numericScale(values.map(Number)), series: { metric: cycles }, only };
  }
  const rest = dimensions(results.filter(only)).filter((d) => d !== k);
  return { file: `sweep-${k}`, title: `Cycles by ${k}`, type: 'bar', yTitle: 'cycles', x: rest.length ? rest : ['workload'], series: { metric: cycles }, only };
}

/** Past this many configurations on one axis, or series in a chart by workload, a chart is split into a panel per workload. */
export const MAX_CONFIGURATIONS = 24;
const MAX_SERIES = 12;
/** Lines in one chart past which it is split into a panel per workload. */
const MAX_LINES = 10;
/** Bars in one chart past which it is split into a panel per workload (and, still past it, drawn horizontally). */
export const MAX_BARS = 40;
/** Categories of a vertical bar chart past which its bars are drawn horizontally, labels read across. */
const MAX_VERTICAL = 12;
/** Pixels of plot a vertical bar chart's labels may take before they would be rotated. */
const MAX_VERTICAL_WIDTH = 1300;

/** A chart over every configuration with more of them than fit: one panel (file) per workload. */
function panels(spec: ChartSpec, results: PointResult[]): ChartSpec[] {
  if (spec.data) return [spec];
  const shown = spec.only ? results.filter(spec.only) : results;
  const workloads = [...new Set(shown.map((r) => r.point.label))];
  if (workloads.length < 2 || spec.whole) return [layout(spec, results)];
  const d = chartData(spec, results);
  const bars = spec.type === 'bar' ? d.labels.length * (spec.stacked ? 1 : d.datasets.length) : 0;
  // over every configuration: too many bars; grouped by workload: too many series (workloads whose sweeps differ leave most of them empty)
  const crowded = spec.x === undefined ? d.labels.length > MAX_CONFIGURATIONS || bars > MAX_BARS
    : spec.type === 'line' ? d.datasets.length > MAX_LINES
      : (spec.x.length === 1 && spec.x[0] === 'workload' && d.datasets.length > MAX_SERIES) || bars > MAX_BARS;
  if (!crowded) return [layout(spec, results)];
  return workloads.map((w) => {
    const mine = shown.filter((r) => r.point.label === w);
    // a panel's title names its workload: its labels need not
    const others = dimensions(mine).filter((d) => d !== 'workload');
    const x = spec.x === undefined ? (others.length ? others : undefined)
      : spec.x.length === 1 ? spec.x : spec.x.filter((d) => d !== 'workload');
    return layout({
      ...spec, file: `${spec.file}-${w}`, title: `${spec.title}: ${w}`, x, panel: w,
      only: (r: PointResult) => r.point.label === w && (spec.only?.(r) ?? true),
    }, results);
  });
}

/** A numeric sweep key of the points worth a line: three values or more, or two a factor of 4 apart; the one with the most values. */
function lineKey(shown: PointResult[]): string | undefined {
  const keys = dimensions(shown).filter((d) => d !== 'workload' && d !== 'mode').map((k) => [k, keyValues(shown, k)] as const)
    .filter(([, vs]) => numericKey(vs) && (vs.length >= 3 || numericScale(vs.map(Number)) !== 'linear'));
  return keys.sort(([, a], [, b]) => b.length - a.length)[0]?.[0];
}

/**
 * How a chart's points are laid out once its panel is known. A chart per workload whose bars are
 * the sweep's configurations (cycles, overhead) puts a numeric swept key along x instead of a
 * category crowded with bars: a line per mode and remaining configuration for the overhead (as
 * the crossover chart), bars grouped by the key's values for cycles. A bar chart with more
 * categories or bars than read side by side lies on its side, labels across.
 */
function layout(spec: ChartSpec, results: PointResult[]): ChartSpec {
  const shown = spec.only ? results.filter(spec.only) : results;
  let out = spec;
  if (spec.type === 'bar' && spec.x?.length === 1 && spec.x[0] === 'workload' && new Set(shown.map((r) => r.point.label)).size === 1) {
    const perCategory = chartData(spec, results).datasets.length;
    const k = lineKey(shown);
    if (k !== undefined && perCategory > 4) {
      const scale = numericScale(keyValues(shown, k).map(Number));
      out = spec.byMode ? { ...spec, type: 'line', x: [k], xTitle: k, xScale: scale } : { ...spec, x: [k], xTitle: k };
    }
  }
  if (out.type === 'bar' && !out.horizontal) {
    const d = chartData(out, results);
    const perLabel = out.stacked ? 1 : d.datasets.length;
    // the width the labels need to be read unrotated (lines of up to 28 characters, ~7.5 px each)
    const longest = Math.min(28, Math.max(...d.labels.map((l) => Math.max(...l.split(', ').map((p) => p.length)))));
    const width = d.labels.length * Math.max(18 * perLabel + 24, 7.5 * longest + 16);
    if (d.labels.length > MAX_VERTICAL || d.labels.length * perLabel > MAX_BARS || width > MAX_VERTICAL_WIDTH) out = { ...out, horizontal: true };
  }
  return out;
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
    const at = labels.map((l) => rs.filter((r) => xLabel(r) === l));
    const values = at.map((ps) => ps.map((r) => metric.value(r.stats, r)));
    const d: Dataset = { label, data: values.map(mean) };
    if (values.some((vs) => vs.length > 1 && Math.min(...vs) !== Math.max(...vs))) {
      d.low = values.map((vs) => (vs.length ? Math.min(...vs) : null));
      d.high = values.map((vs) => (vs.length ? Math.max(...vs) : null));
    }
    if (metric.colour) d.colour = metric.colour;
    if (metric.count) {
      // events per configuration (seeds averaged), their sum in the label
      const counts = at.map((ps) => mean(ps.map((r) => metric.count!(r.stats))) ?? 0);
      // no events, no figure (not a bar of 0)
      d.data = d.data.map((v, i) => (counts[i]! > 0 ? v : null));
      if (d.low) { d.low = d.low.map((v, i) => (counts[i]! > 0 ? v : null)); d.high = d.high!.map((v, i) => (counts[i]! > 0 ? v : null)); }
      d.label = `${label}, n=${Math.round(counts.reduce((a, b) => a + b, 0)).toLocaleString('en-US')}`;
      const faint = counts.map((c, i) => d.data[i] !== null && c < (metric.minCount ?? 0));
      if (faint.some(Boolean)) d.faint = faint;
    }
    return d;
  };
  if (Array.isArray(spec.series)) {
    const all = spec.series.map((m) => [m, groupBy(m.label, results, m)] as const);
    // too few events in every configuration to compare: left out, and said so
    const rare = ([m, d]: (typeof all)[number]) => m.count !== undefined && d.data.every((v, i) => v === null || d.faint?.[i]);
    // those that never occur among these points go without a word
    const left = all.filter((x) => rare(x) && x[1].data.some((v) => v !== null)).map(([, d]) => d.label);
    return {
      labels, datasets: all.filter((x) => !rare(x)).map(([, d]) => d),
      ...(left.length ? { note: `Left out, under ${Math.min(...spec.series.map((m) => m.minCount ?? Infinity))} per run in every configuration: ${left.join('; ')}` } : {}),
    };
  }
  // a chart coloured by mode names the mode in every series, even when only one occurs
  const rest = [...(spec.byMode && !dims.includes('mode') ? ['mode'] : []), ...dims.filter((d) => !xDims.includes(d) && !(spec.panel && d === 'workload'))];
  const seriesLabels = [...new Set(results.map((r) => comboLabel(pick(r, rest))))];
  const metric = spec.series.metric;
  return { labels, datasets: seriesLabels.map((s) => groupBy(s, results.filter((r) => comboLabel(pick(r, rest)) === s), metric)) };
}
