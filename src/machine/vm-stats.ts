// `el2sim vm stats FILE`: a stats file as `bhyvectl --get-stats` shows a
// vCPU's counters: the exits by reason with their cycles, the vmm's own
// vmm_stat counters, then where the cycles went and the TLB and walk figures.
import type { RunStats } from './stats.js';

const num = (n: number) => n.toLocaleString('en-US');

function table(rows: (string | number)[][], head: string[]): string[] {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? num(c) : c)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return cells.map((r) => '  ' + r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ').trimEnd());
}

/** The text; `s` is what `--stats` wrote (JSON). */
export function vmStatsText(s: RunStats): string {
  const out: string[] = ['vcpu0 stats:'];
  const ex = s.exits;
  if (ex) {
    out.push(`exits to EL2: ${num(ex.total)}, ${num(s.cyclesByEl.el2)} cycles at EL2 (${num(ex.beforeFirstEntry)} before the first guest entry)`);
    const rows = Object.entries(ex.byReason).sort(([, a], [, b]) => b.cycles - a.cycles)
      .map(([k, v]) => [k, v.count, v.cycles, v.count ? Math.round(v.cycles / v.count) : 0]);
    if (rows.length) out.push(...table(rows, ['reason', 'count', 'cycles', 'cycles/exit']));
  }
  if (s.vmm) {
    out.push('vmm counters (vmm_stat):');
    out.push(...table(Object.entries(s.vmm).map(([k, v]) => [k, v]), ['name', 'value']));
  }
  if (s.guest) {
    out.push('the workload\'s own figures (its stat: lines):');
    out.push(...table(Object.entries(s.guest).map(([k, v]) => [k, v]), ['name', 'value']));
  }
  out.push(`instructions ${num(s.instructions)}, cycles ${num(s.cycles)}`);
  if (s.cyclesByEl) out.push(...table((['el0', 'el1', 'el2'] as const).map((el) => [el, s.cyclesByEl[el], pct(s.cyclesByEl[el], s.cycles)]), ['EL', 'cycles', 'share']));
  out.push(...table(Object.entries(s.cyclesBy).map(([k, v]) => [k, v, pct(v, s.cycles)]), ['category', 'cycles', 'share']));
  const t = s.tlb, w = s.walks;
  out.push('TLB and walks:');
  out.push(...table([
    ['L1 I-TLB', t.l1i.hits, t.l1i.misses], ['L1 D-TLB', t.l1d.hits, t.l1d.misses], ['L2 TLB', t.l2.hits, t.l2.misses],
    ['walk cache s1', s.walkCache.s1.hits, s.walkCache.s1.misses], ['walk cache s2', s.walkCache.s2.hits, s.walkCache.s2.misses],
    ['nested TLB', s.walkCache.nested.hits, s.walkCache.nested.misses],
  ], ['structure', 'hits', 'misses']));
  out.push(`  walks ${num(w.count)}, descriptor fetches ${num(w.fetches)} (stage 1 ${num(w.fetchesByStage.s1)}, stage 2 ${num(w.fetchesByStage.s2)}), ${w.count ? (w.fetches / w.count).toFixed(2) : '0'} per walk`);
  return out.join('\n') + '\n';
}

const pct = (v: number, total: number) => (total ? `${((100 * v) / total).toFixed(1)}%` : '-');
