// The charts of the memory-virtualization comparison (experiments with
// hypervisor modes): overhead against the native twin, where the cycles went
// (the guest's categories, exception entry and return, the vmm by exit
// reason) normalised to the twin, exits per 1000 instructions and their cost,
// and overhead over each swept key, where shadow paging and stage 2 cross.
import type { GoodPoint as PointResult } from '../experiments/run-point.js';
import type { RunStats } from '../machine/stats.js';
import type { ChartSpec, Metric } from './chart-spec.js';
import { guestRunCycles } from '../experiments/results.js';
import { sweepScale } from './axes.js';

const isHv = (r: PointResult) => r.point.twin !== undefined;

/** Every mode an experiment can name (DESIGN §5), implemented or not. */
export const ALL_MODES = ['native', 'stage2', 'shadow-wp', 'shadow-lazy'] as const;
/** The mode a series label names (`gups, stage2, vmm.block=2m`), if any. */
export const modeOf = (label: string) => label.split(', ').find((p): p is (typeof ALL_MODES)[number] => (ALL_MODES as readonly string[]).includes(p));
export const hypervised = (results: PointResult[]) => results.some(isHv);

/** Cycles as a fraction of the native twin's run (the twin's own are 1 in all); the vmm's start-up is not part of the run. */
const normalised = (r: PointResult, cycles: number) => (cycles * (r.overhead ?? 1)) / guestRunCycles(r.stats);

/** The guest's own instructions: those at EL0 and EL1 (the vmm's at EL2 are not the guest's work). */
export const guestInstructions = (s: RunStats) => s.instructionsByEl.el0 + s.instructionsByEl.el1;

const GUEST = ['execute', 'memory', 'tlb', 'walkS1', 'walkS2'] as const;
const guestCycles = (s: RunStats, k: (typeof GUEST)[number]) => s.ledger.el0[k] + s.ledger.el1[k];

/** Exit reasons that occur, by their total cycles, largest first. */
function reasons(results: PointResult[]): string[] {
  const total = new Map<string, number>();
  for (const r of results) for (const [k, v] of Object.entries(r.stats.exits?.byReason ?? {})) total.set(k, (total.get(k) ?? 0) + v.cycles);
  return [...total].sort(([, a], [, b]) => b - a).map(([k]) => k);
}

/** Exit classes as a reader says them (the EC name stays, for the stats keys). */
const EXIT_WORDS: Record<string, string> = {
  DABT_LOWER: 'data aborts', IABT_LOWER: 'instruction aborts', SYS64: 'MSR/MRS/TLBI traps', HVC64: 'HVCs', WFX: 'WFI/WFE', IRQ: 'IRQs', FIQ: 'FIQs', SMC64: 'SMCs',
};
export const exitLabel = (ec: string) => (EXIT_WORDS[ec] ? `${EXIT_WORDS[ec]} (${ec})` : ec);

/** The guest's categories in blues and greys, the vmm's in purples and browns: apart from the modes' colours. */
const GUEST_COLOURS = ['#1f4e79', '#6b9bc3', '#a9c9e4', '#3b7a8c', '#7fb8c4', '#9a9a9a', '#d0d0d0'];
/** One colour per exit reason, the same in every chart of every experiment (by reason, not by rank). */
const REASON_COLOURS: Record<string, string> = {
  DABT_LOWER: '#5b3a29', SYS64: '#8e5ea2', IABT_LOWER: '#d8b4a0', HVC64: '#b5838d', WFX: '#a0522d', IRQ: '#c39bd3', FIQ: '#e6c9e0', SMC64: '#6d4c7d',
};
const reasonColour = (ec: string) => REASON_COLOURS[ec] ?? '#7f7f7f';
/** Exits of a reason in one run below which its cycles per exit are no figure to compare. */
export const MIN_EXITS = 10;

/** Stacked: who spent the cycles, as a fraction of the native twin's cycles. */
export function vmBreakdown(results: PointResult[]): ChartSpec[] {
  const guest: Metric[] = [
    ...GUEST.map((k) => ({ label: `guest ${k}`, value: (s: RunStats, r: PointResult) => normalised(r, guestCycles(s, k)) })),
    { label: 'guest exception entry/return', value: (s, r) => normalised(r, s.ledger.el0.exception + s.ledger.el1.exception) },
    { label: 'guest idle', value: (s, r) => normalised(r, s.ledger.el0.idle + s.ledger.el1.idle) },
  ];
  const vmm = reasons(results).map((k): readonly [Metric, string] => [
    { label: `vmm: ${exitLabel(k)}`, value: (s: RunStats, r: PointResult) => normalised(r, s.exits.byReason[k]?.cycles ?? 0) }, reasonColour(k),
  ]);
  const occurs = (m: Metric) => results.some((r) => m.value(r.stats, r) > 0);
  const shown = [...guest.map((m, i) => [m, GUEST_COLOURS[i]!] as const), ...vmm].filter(([m]) => occurs(m));
  return [{
    file: 'breakdown', title: 'Where the cycles went, against native (1.0 = the native run)', type: 'bar', stacked: true, horizontal: true,
    yTitle: 'cycles / native cycles', mark: 1, series: shown.map(([m]) => m), colours: shown.map(([, c]) => c),
  }];
}

export function vmCharts(results: PointResult[], sweepKeys: string[]): { overhead: ChartSpec[]; exits: ChartSpec[]; crossover: ChartSpec[] } {
  if (!hypervised(results)) return { overhead: [], exits: [], crossover: [] };
  const overhead: Metric = { label: 'overhead', value: (_s, r) => r.overhead ?? NaN };
  const perKiloInsns = (k: string): Metric => ({ label: exitLabel(k), value: (s) => { const g = guestInstructions(s); return g ? (1000 * (s.exits.byReason[k]?.count ?? 0)) / g : 0; } });
  // a reason's cost beside how often it happened: one boot-time abort is no figure to set against thousands
  const perExit = (k: string): Metric => ({
    label: exitLabel(k), value: (s) => { const e = s.exits.byReason[k]; return e?.count ? e.cycles / e.count : 0; },
    colour: reasonColour(k), count: (s) => s.exits.byReason[k]?.count ?? 0, minCount: MIN_EXITS,
  });
  const hv = reasons(results);
  return {
    overhead: [{
      file: 'overhead', title: 'Overhead against native', type: 'bar', yTitle: 'cycles / native cycles', x: ['workload'], mark: 1, byMode: true,
      series: { metric: overhead }, only: isHv,
    }],
    exits: [
      { file: 'exits', title: 'Exits to EL2 per 1000 guest instructions, by reason', type: 'bar', stacked: true, horizontal: true, yTitle: 'exits per 1000 guest instructions (EL0 and EL1)', series: hv.map(perKiloInsns), only: isHv, colours: hv.map(reasonColour) },
      {
        file: 'exit-cost', title: 'Cycles per exit, by reason (from the exception to the ERET back)', type: 'bar', horizontal: true, yTitle: 'cycles per exit', series: hv.map(perExit), only: isHv,
        note: `n: exits of the reason in the runs shown (seeds averaged); pale bars: under ${MIN_EXITS} exits in that run, too few to compare`,
      },
    ],
    crossover: sweepKeys.filter((k) => !k.startsWith('vmm.')).map((k) => ({
      file: `crossover-${k}`, title: `Overhead over ${k}`, type: 'line', yTitle: 'cycles / native cycles', x: [k], xTitle: k, mark: 1, byMode: true,
      series: { metric: overhead }, only: (r) => isHv(r) && k in r.point.sweep, // workloads the key does not apply to have no line
      // on the swept values' own scale; one chart, its crossings printed under its title
      xScale: sweepScale(results, k),
      whole: true,
    })),
  };
}

/** A series label without its mode and the vmm's options: what two lines must share to be compared. */
const sameButMode = (label: string) => label.split(', ').filter((p) => p !== modeOf(p) && !p.startsWith('vmm.')).join(', ');

/** Where two lines cross: between x labels i and i+1, at fraction `frac` of the way, at the interpolated x. */
export interface Crossing { a: string; b: string; i: number; frac: number; x: number; text: string }

/**
 * Where two lines of different modes cross on a crossover chart: between two neighbouring x
 * values where their difference changes sign, at the linearly interpolated x (numeric axes).
 */
export function crossings(labels: string[], datasets: { label: string; data: (number | null)[] }[]): Crossing[] {
  const xs = labels.map(Number);
  if (xs.some((x) => !Number.isFinite(x))) return [];
  const out: Crossing[] = [];
  for (let a = 0; a < datasets.length; a++) {
    for (let b = a + 1; b < datasets.length; b++) {
      const A = datasets[a]!, B = datasets[b]!;
      // lines of two modes for the same workload and the same other sweep values (vmm options belong to a mode)
      if (modeOf(A.label) === modeOf(B.label) || sameButMode(A.label) !== sameButMode(B.label)) continue;
      for (let i = 0; i + 1 < xs.length; i++) {
        const [a0, a1, b0, b1] = [A.data[i], A.data[i + 1], B.data[i], B.data[i + 1]];
        if (a0 == null || a1 == null || b0 == null || b1 == null) continue;
        const d0 = a0 - b0, d1 = a1 - b1;
        if (d0 === 0 || d0 * d1 >= 0) continue;
        const frac = d0 / (d0 - d1);
        const x = Number((xs[i]! + (xs[i + 1]! - xs[i]!) * frac).toPrecision(3));
        out.push({ a: A.label, b: B.label, i, frac, x, text: `${A.label} and ${B.label} cross at ${x} (between ${labels[i]} and ${labels[i + 1]})` });
      }
    }
  }
  return out;
}
