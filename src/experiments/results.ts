// What a finished run leaves besides points.jsonl: results.csv (one row per
// point in expansion order, the stats flattened to dotted columns), one stats
// file per point, and the checks across points.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flattenStats, type RunStats } from '../machine/stats.js';
import { isGood, type PointResult } from './run-point.js';
import { evaluate, type Check } from './checks.js';

type Cell = string | number | boolean | undefined;

function csvCell(v: Cell): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The cycles of a run from the first entry to EL0/EL1 on: a vmm's start-up (loading the guest,
 * bhyveload's job, which bhyve does in the host before the guest runs) is not the guest's run.
 */
export const guestRunCycles = (s: RunStats) => s.cycles - (s.exits?.beforeFirstEntry ?? 0);

/**
 * Each hypervisor point against its native twin: `overhead` = its cycles / the twin's, and a
 * point whose result line differs from the twin's has failed (the guard of every comparison).
 */
export function compareTwins(results: PointResult[]): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const r of results) {
    if (r.point.twin === undefined) { if (!r.error) r.overhead = 1; continue; }
    const twin = byId.get(r.point.twin);
    if (!twin || twin.error) { r.error ??= `its native twin ${r.point.twin} failed`; continue; }
    if (r.error) continue;
    if (r.result !== twin.result) { r.error = `result '${r.result}' differs from the native twin's '${twin.result}' (${twin.id})`; continue; }
    if (r.stats && twin.stats) r.overhead = guestRunCycles(r.stats) / guestRunCycles(twin.stats);
  }
}

/** Columns: the point (id, workload, mode, seed, sweep.KEY, args.NAME, vmm.OPTION, result, error, overhead), then every stats key any point has. */
export function resultsCsv(results: PointResult[]): string {
  const rows = results.map((r) => new Map<string, Cell>([
    ['id', r.id], ['workload', r.point.label], ['mode', r.point.mode], ['seed', r.point.seed],
    ...Object.entries(r.point.sweep).map(([k, v]): [string, Cell] => [`sweep.${k}`, v]),
    ...Object.entries(r.point.args).map(([k, v]): [string, Cell] => [`args.${k}`, v]),
    ...Object.entries(r.point.vmm ?? {}).map(([k, v]): [string, Cell] => [`vmm.${k}`, v]),
    ['stop', r.stop], ['result', r.result], ['error', r.error], ['overhead', r.overhead],
    ...flattenStats(r.stats ?? {}),
  ]));
  const columns = [...new Set(rows.flatMap((row) => [...row.keys()]))];
  return [columns, ...rows.map((row) => columns.map((c) => row.get(c)))].map((line) => line.map(csvCell).join(',')).join('\n') + '\n';
}

export function writeResults(dir: string, results: PointResult[]): void {
  writeFileSync(join(dir, 'results.csv'), resultsCsv(results));
  mkdirSync(join(dir, 'stats'), { recursive: true });
  for (const r of results) if (r.stats) writeFileSync(join(dir, 'stats', `${r.id}.json`), JSON.stringify(r.stats, null, 2) + '\n');
}

/**
 * What is wrong with the run: failed points, and points of the same workload and
 * arguments whose result lines differ (a result never depends on timing or mode).
 */
export function problems(results: PointResult[], checks: Check[] = []): string[] {
  const out = results.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`);
  for (const o of checks.map((c) => evaluate(c, results.filter(isGood)))) {
    if (o.value === null) out.push(`check '${o.name}': no point it selects has the figure`);
    else if (o.pass === false) out.push(`check '${o.name}' failed: measured ${o.value}, expected ${o.expected}`);
  }
  const byRun = new Map<string, PointResult[]>();
  for (const r of results.filter((x) => x.result !== undefined && x.point.twin === undefined)) {
    const key = `${r.point.workload} ${JSON.stringify(r.point.args)}`;
    byRun.set(key, [...(byRun.get(key) ?? []), r]);
  }
  for (const [key, rs] of byRun) {
    const distinct = [...new Set(rs.map((r) => r.result))];
    if (distinct.length > 1) {
      out.push(`${key}: the result differs between points of the same workload and arguments: ${distinct.map((d) => `'${d}' (${rs.filter((r) => r.result === d).map((r) => r.id).join(', ')})`).join(' vs ')}`);
    }
  }
  return out;
}
