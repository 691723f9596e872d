// An experiment's checks (`checks:`): a figure of some of its points against a
// bound, against the same figure of other points, or against a published
// measurement, printed in report.md as pass/fail with the measured number and
// the published reference. A check with no bound only reports.
import { flattenStats, type RunStats } from '../machine/stats.js';
import type { GoodPoint } from './run-point.js';
import { NUMBER, parse, type Check, type Selection } from './check-spec.js';

export type { Check, Selection };

export interface CheckOutcome {
  name: string;
  metric: string;
  of: Selection;
  /** The measured figure (mean over the selected points), or null when none matched. */
  value: number | null;
  /** What it was held against, in words. */
  expected: string;
  /** null: a check that only reports, or that could not be evaluated. */
  pass: boolean | null;
  reference?: string;
  published?: number;
  unit?: string;
  /** value / published. */
  ratio?: number | null;
  factor?: number;
}

/** One term of a metric for one point; undefined when the point has no such statistic. */
function term(t: string, r: GoodPoint): number | undefined {
  const s: RunStats = r.stats;
  if (NUMBER.test(t)) return Number(t);
  if (t === 'overhead') return r.overhead;
  if (t === 'fetchesPerWalk') return s.walks.count ? s.walks.fetches / s.walks.count : 0;
  if (t === 'maxFetchesPerWalk') return Math.max(0, ...Object.keys(s.walks.fetchesPerWalk).map(Number));
  if (t.startsWith('cyclesPerExit.')) {
    const e = s.exits?.byReason[t.slice('cyclesPerExit.'.length)];
    return e?.count ? e.cycles / e.count : undefined;
  }
  const v = flattenStats(s).find(([k]) => k === t)?.[1];
  return typeof v === 'number' ? v : undefined;
}

/** The figure of one point, the metric's terms combined left to right; undefined when a term is missing or a divisor 0. */
function figure(metric: string, r: GoodPoint): number | undefined {
  const { terms, ops } = parse(metric);
  let acc = term(terms[0]!, r);
  for (let i = 0; i < ops.length && acc !== undefined; i++) {
    const v = term(terms[i + 1]!, r);
    acc = v === undefined || (ops[i] === '/' && v === 0) ? undefined : ops[i] === '*' ? acc * v : acc / v;
  }
  return acc;
}

/** Whether the point's coordinates (workload label, mode, sweep values) match the selection. */
function matches(r: GoodPoint, sel: Selection): boolean {
  const coord: Record<string, string> = { workload: r.point.label, mode: r.point.mode };
  for (const [k, v] of Object.entries(r.point.sweep)) coord[k] = String(v);
  return Object.entries(sel).every(([k, v]) => coord[k] === String(v));
}

/** The points a selection picks. */
export const selectPoints = (sel: Selection, results: GoodPoint[]) => results.filter((r) => matches(r, sel));

function measure(metric: string, sel: Selection, results: GoodPoint[]): number | null {
  const vs = selectPoints(sel, results).map((r) => figure(metric, r)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
}

const fmt = (n: number) => Number(n.toPrecision(4)).toLocaleString('en-US');
const selText = (s: Selection) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join(', ');

export function evaluate(c: Check, results: GoodPoint[]): CheckOutcome {
  const value = measure(c.metric, c.of, results);
  const out = (expected: string, pass: boolean | null): CheckOutcome => ({
    name: c.name, metric: c.metric, of: c.of, value, expected, pass: value === null ? null : pass, reference: c.reference, ...(c.unit ? { unit: c.unit } : {}),
  });
  if (c.published !== undefined) {
    const ratio = value === null ? null : value / c.published;
    const f = c.factor;
    const within = f === undefined ? null : ratio !== null && ratio >= 1 / f && ratio <= f;
    return { ...out(`${fmt(c.published)}${f === undefined ? ' (reported)' : ` within ×${fmt(f)}`}`, within), published: c.published, ratio, ...(f === undefined ? {} : { factor: f }) };
  }
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

const mark = (p: boolean | null, v: number | null) => (v === null ? 'no data' : p === null ? 'report' : p ? 'pass' : '**FAIL**');

/** A figure held against a published measurement, or one whose unit says it is a figure although none was published. */
export const isFigure = (o: CheckOutcome) => o.published !== undefined || o.unit !== undefined;

/** The report's checks table: one row per check. */
export function checksTable(outcomes: CheckOutcome[]): string[] {
  return [
    '| check | measured | expected | result | reference |',
    '|---|---:|---|---|---|',
    ...outcomes.map((o) => `| ${o.name} | ${o.value === null ? '' : fmt(o.value)} | ${o.expected} | ${mark(o.pass, o.value)} | ${o.reference ?? ''} |`),
  ];
}

/** The model against published figures: one row per figure, with the ratio model / published. */
export function figuresTable(outcomes: CheckOutcome[]): string[] {
  return [
    '| figure | unit | model | published | model / published | passes within | result | reference |',
    '|---|---|---:|---:|---:|---:|---|---|',
    ...outcomes.map((o) => [
      o.name, o.unit ?? '', o.value === null ? '' : fmt(o.value), o.published === undefined ? 'none found' : fmt(o.published),
      o.ratio == null ? '' : o.ratio.toFixed(2), o.factor === undefined ? '' : `×${fmt(o.factor)}`, mark(o.pass, o.value), o.reference ?? '',
    ].join(' | ')).map((row) => `| ${row} |`),
  ];
}
