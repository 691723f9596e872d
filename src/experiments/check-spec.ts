// What a check of an experiment is (`checks:` in experiments/*.yaml) and the
// grammar of its metric, apart from evaluating it on results (checks.ts): the
// loader checks experiment files with this alone.

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
  /** A published measurement of the same figure: the report shows it beside the model's, with the ratio. */
  published?: number;
  /** What the figure counts (cycles per load, bytes per cycle): the report's and the charts' unit. */
  unit?: string;
  /** With lessThan/greaterThan: the other selection's value times this; with published: how far off (×/÷) still passes. */
  factor?: number;
  reference?: string;
}

const DERIVED = ['overhead', 'fetchesPerWalk', 'maxFetchesPerWalk', 'cyclesPerExit.'];

/** A metric's terms and the operators between them, left to right: `4096 * guest.cycles / guest.bytes`. */
export function parse(metric: string): { terms: string[]; ops: string[] } {
  const parts = metric.split(/([*/])/).map((p) => p.trim());
  return { terms: parts.filter((_, i) => i % 2 === 0), ops: parts.filter((_, i) => i % 2 === 1) };
}

export const NUMBER = /^\d+(\.\d+)?$/;
const KEY = /^[A-Za-z][\w]*(\.[\w-]+)*$/;
const isDerived = (t: string) => DERIVED.some((d) => (d.endsWith('.') ? t.startsWith(d) && t.length > d.length : t === d));

/** Why `metric` names no figure, or undefined (the stats keys themselves are checked on the results). */
export function metricProblem(metric: string): string | undefined {
  const { terms } = parse(metric);
  const bad = terms.find((t) => !NUMBER.test(t) && !isDerived(t) && !KEY.test(t));
  if (bad === undefined && terms.some((t) => !NUMBER.test(t))) return undefined;
  const what = bad === undefined ? `metric '${metric}': numbers alone are` : terms.length === 1 ? `metric '${metric}' is` : `metric '${metric}': '${bad}' is`;
  return `${what} neither a stats key (walks.fetches, guest.cycles) nor one of overhead, fetchesPerWalk, maxFetchesPerWalk, cyclesPerExit.<REASON>; a metric is one of these, or a product and quotient of them and numbers (guest.cycles / guest.loads, 4096 * guest.cycles / guest.bytes)`;
}

