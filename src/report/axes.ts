// How a swept key's values lie along an axis: a numeric key at its values (linearly or
// logarithmically spaced), a boolean or categorical one as categories.
import type { GoodPoint as PointResult } from '../experiments/run-point.js';
import type { XScale } from './chart-spec.js';

/** A sweep key's values among the points that have it, in order of first appearance. */
export const keyValues = (results: PointResult[], key: string): string[] =>
  [...new Set(results.filter((r) => key in r.point.sweep).map((r) => String(r.point.sweep[key])))];

/** Whether every value is a number (true/false, 4k, thin are not). */
export const numericKey = (values: string[]) => values.length > 0 && values.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));

/**
 * How a numeric sweep's values are spaced on the axis: logarithmically when they span a factor
 * of 4 or more (doublings, decades), with 0 among them (symlog: drawn a decade below the
 * smallest other value) when the others span two decades; otherwise linearly.
 */
export function numericScale(values: number[]): XScale {
  const pos = values.filter((v) => v > 0);
  if (values.some((v) => v < 0) || pos.length < 2) return 'linear';
  const span = Math.max(...pos) / Math.min(...pos);
  if (values.some((v) => v === 0)) return span >= 100 ? 'symlog' : 'linear';
  return span >= 4 ? 'log' : 'linear';
}

/** The axis of a numeric key's values, or undefined for a boolean or categorical key. */
export function sweepScale(results: PointResult[], key: string): XScale | undefined {
  const vs = keyValues(results, key);
  return numericKey(vs) ? numericScale(vs.map(Number)) : undefined;
}
