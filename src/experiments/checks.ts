// An experiment's checks (`checks:`): a figure of some of its points against a
// bound or against the same figure of other points, printed in report.md as
// pass/fail with the measured number and the published reference. A check
// with no bound only reports.
import { flattenStats, type RunStats } from '../machine/stats.js';
import type { GoodPoint } from './run-point.js';

export type Selection = Record<string, string | number | boolean>;

export interface Check {
  name: string;
  metric: string;
  of: Selection;
  equals?: number;
  atLeast?: number;
  atMost?: number;
  lessThan?: Selection;
  greaterThan?: Selection;
  factor?: number;
  reference?: string;
}

export interface CheckOutcome {
  name: string;
  /** The measured figure (mean over the selected points), or null when none matched. */
  value: number | null;
  /** What it was held against, in words. */
  expected: string;
  /** null: a check that only reports, or that could not be evaluated. */
  pass: boolean | null;
  reference?: string;
}

const DERIVED = ['overhead', 'fetchesPerWalk', 'maxFetchesPerWalk', 'cyclesPerExit.'];

/** Why `metric` names no figure, or undefined (the stats keys themselves are checked on the results). */
export function metricProblem(metric: string): string | undefined {
  const ratio = metric.split('/');
  if (ratio.length === 2) return metricProblem(ratio[0]!.trim()) ?? metricProblem(ratio[1]!.trim());
  if (DERIVED.some((d) => (d.endsWith('.') ? metric.startsWith(d) && metric.length > d.length : metric === d))) return undefined;
  if (/^[A-Za-z][\w]*(\.[\w-]+)*$/.test(metric)) return undefined;
  return `metric '${metric}' is neither a stats key (walks.fetches) nor one of overhead, fetchesPerWalk, maxFetchesPerWalk, cyclesPerExit.<REASON>, nor A / B of two of these`;
}

/** The figure of one point; undefined when the point has no such statistic. */
function figure(metric: string, r: GoodPoint): number | undefined {
  const s: RunStats = r.stats;
  const ratio = metric.split('/');
  if (ratio.length === 2) { // a ratio of two figures, e.g. cyclesBy.memory / memAccesses
    const [a, b] = [figure(ratio[0]!.trim(), r), figure(ratio[1]!.trim(), r)];
    return a === undefined || b === undefined || b === 0 ? undefined : a / b;
  }
  if (metric === 'overhead') return r.overhead;
  if (metric === 'fetchesPerWalk') return s.walks.count ? s.walks.fetches / s.walks.count : 0;
  if (metric === 'maxFetchesPerWalk') return Math.max(0, ...Object.keys(s.walks.fetchesPerWalk).map(Number));
  if (metric.startsWith('cyclesPerExit.')) {
    const e = s.exits?.byReason[metric.slice('cyclesPerExit.'.length)];
    return e?.count ? e.cycles / e.count : undefined;
  }
  const v = flattenStats(s).find(([k]) => k === metric)?.[1];
  return typeof v === 'number' ? v : undefined;
}

/** Whether the point's coordinates (workload label, mode, sweep values) match the selection. */
function matches(r: GoodPoint, sel: Selection): boolean {
  const coord: Record<string, string> = { workload: r.point.label, mode: r.point.mode };
  for (const [k, v] of Object.entries(r.point.sweep)) coord[k] = String(v);
  return Object.entries(sel).every(([k, v]) => coord[k] === String(v));
}

function measure(metric: string, sel: Selection, results: GoodPoint[]): number | null {
  const vs = results.filter((r) => matches(r, sel)).map((r) => figure(metric, r)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
}

const fmt = (n: number) => Number(n.toPrecision(4)).toLocaleString('en-US');
const selText = (s: Selection) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join(', ');

export function evaluate(c: Check, results: GoodPoint[]): CheckOutcome {
  const value = measure(c.metric, c.of, results);
  const out = (expected: string, pass: boolean | null): CheckOutcome => ({ name: c.name, value, expected, pass: value === null ? null : pass, reference: c.reference });
  if (c.equals !== undefined) return out(`= ${fmt(c.equals)}`, value !== null && Math.abs(value - c.equals) < 1e-9);
  if (c.atLeast !== undefined || c.atMost !== undefined) {
    const lo = c.atLeast ?? -Infinity, hi = c.atMost ?? Infinity;
    const text = [c.atLeast !== undefined ? `≥ ${fmt(lo)}` : '', c.atMost !== undefined ? `≤ ${fmt(hi)}` : ''].filter(Boolean).join(' and ');
    return out(text, value !== null && value >= lo && value <= hi);
  }
  const other = c.lessThan ?? c.greaterThan;
  if (other) {
    const o = measure(c.metric, other, results);
    const bound = o === null ? null : o * (c.factor ?? 1);
    const rel = c.lessThan ? '<' : '>';
    const text = `${rel} ${c.factor && c.factor !== 1 ? `${fmt(c.factor)} × ` : ''}${c.metric} of ${selText(other)}${bound === null ? ' (no such points)' : ` (${fmt(bound)})`}`;
    if (bound === null) return { ...out(text, null), pass: null };
    return out(text, value !== null && (c.lessThan ? value < bound : value > bound));
  }
  return out('(reported)', null);
}

/** The report's section: one row per check. */
export function checksTable(outcomes: CheckOutcome[]): string[] {
  const mark = (p: boolean | null, v: number | null) => (v === null ? 'no data' : p === null ? 'report' : p ? 'pass' : '**FAIL**');
  return [
    '| check | measured | expected | result | reference |',
    '|---|---:|---|---|---|',
    ...outcomes.map((o) => `| ${o.name} | ${o.value === null ? '' : fmt(o.value)} | ${o.expected} | ${mark(o.pass, o.value)} | ${o.reference ?? ''} |`),
  ];
}
