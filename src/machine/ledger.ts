// The cycle ledger: every cycle of a run booked once, by category and by the
// EL it was spent at, and the exits to EL2 with the cycles each took.
//
// The categories are running totals kept where the cycles are charged (the
// memory model, the exception model); `execute` is what they do not explain.
// The ledger books the growth of every total to the current EL whenever the EL
// changes, so the hot path never looks at the EL: an exception's entry cost is
// booked to the EL that takes it, an ERET's cost to the EL that executes it.
//
// An exit is an exception taken to EL2 from EL0/EL1; its cycles run from the
// moment it is taken (entry cost included) to the ERET back (ERET included).
// Nested exceptions taken and returned at EL2 are part of the exit they
// interrupt. An exit still open at the end (a power-off from EL2) counts up to
// the end. So EL2's cycles are the exits' plus those spent at EL2 before the
// first entry to a lower EL (`exits.beforeFirstEntry`, the start-up).
import type { CyclesBy } from './cycles-by.js';

/** The running totals the ledger books from: every category but `execute` (the rest), instructions and cycles. */
export type CategoryTotals = Omit<CyclesBy, 'execute'> & {
  /** Instructions retired so far. */
  insns: number;
  /** Cycles elapsed so far. */
  total: number;
};

export interface ExitStats {
  total: number;
  /** Cycles at EL2 before the first exception return to EL0/EL1. */
  beforeFirstEntry: number;
  byReason: Record<string, { count: number; cycles: number }>;
}

export interface LedgerView {
  cyclesByEl: { el0: number; el1: number; el2: number };
  /** Instructions retired at each EL (the guest's are EL0's and EL1's under a hypervisor). */
  instructionsByEl: { el0: number; el1: number; el2: number };
  /** Cycles by category at each EL (the cells of the ledger; each row adds up to cyclesByEl). */
  ledger: { el0: CyclesBy; el1: CyclesBy; el2: CyclesBy };
  exits: ExitStats;
}

const CATEGORIES = ['memory', 'tlb', 'walkS1', 'walkS2', 'exception', 'idle'] as const;
const ZERO: CategoryTotals = { insns: 0, total: 0, memory: 0, tlb: 0, walkS1: 0, walkS2: 0, exception: 0, idle: 0 };

const explained = (t: CategoryTotals) => t.memory + t.tlb + t.walkS1 + t.walkS2 + t.exception + t.idle;
const zeroRow = (): CyclesBy => ({ execute: 0, memory: 0, tlb: 0, walkS1: 0, walkS2: 0, exception: 0, idle: 0 });
const rowTotal = (r: CyclesBy) => r.execute + r.memory + r.tlb + r.walkS1 + r.walkS2 + r.exception + r.idle;

export class CycleLedger {
  private readonly rows = [zeroRow(), zeroRow(), zeroRow()];
  private readonly insns = [0, 0, 0];
  /** The totals when the ledger last booked. */
  private mark = ZERO;
  /** The exit in progress: its class and the total when it was taken. */
  private open: { reason: string; start: number } | null = null;
  private readonly exits = new Map<string, { count: number; cycles: number }>();
  private exitCount = 0;
  private firstEntry = NaN;

  constructor(private readonly totals: () => CategoryTotals) {}

  /** An exception was taken from `from` to `to` (a higher EL), of class `reason`. */
  taken(from: number, to: number, reason: string): void {
    this.book(from);
    if (to === 2 && from < 2) this.open = { reason, start: this.mark.total };
  }

  /** An exception return from `from` to the lower EL `to`, its cost already charged. */
  returned(from: number, to: number): void {
    this.book(from);
    if (from !== 2 || to === 2) return;
    if (Number.isNaN(this.firstEntry)) this.firstEntry = rowTotal(this.rows[2]!);
    if (this.open) this.closeExit(this.open.reason, this.mark.total - this.open.start);
    this.open = null;
  }

  /** cyclesBy: the categories' totals, `execute` being the rest. */
  byCategory(t: CategoryTotals): CyclesBy {
    return { execute: t.total - explained(t), memory: t.memory, tlb: t.tlb, walkS1: t.walkS1, walkS2: t.walkS2, exception: t.exception, idle: t.idle };
  }

  /** The ledger as of totals `t`, the machine being at `el` (nothing is booked: it can be read at any time). */
  view(el: number, t: CategoryTotals): LedgerView {
    const rows = this.rows.map((r) => ({ ...r }));
    addGrowth(rows[el]!, this.mark, t);
    const insns = [...this.insns];
    insns[el]! += t.insns - this.mark.insns;
    const byReason: Record<string, { count: number; cycles: number }> = {};
    for (const [k, v] of this.exits) byReason[k] = { ...v };
    let total = this.exitCount;
    if (this.open) {
      const e = (byReason[this.open.reason] ??= { count: 0, cycles: 0 });
      e.count++;
      e.cycles += t.total - this.open.start;
      total++;
    }
    const sorted = Object.fromEntries(Object.entries(byReason).sort(([a], [b]) => a.localeCompare(b)));
    return {
      cyclesByEl: { el0: rowTotal(rows[0]!), el1: rowTotal(rows[1]!), el2: rowTotal(rows[2]!) },
      instructionsByEl: { el0: insns[0]!, el1: insns[1]!, el2: insns[2]! },
      ledger: { el0: rows[0]!, el1: rows[1]!, el2: rows[2]! },
      exits: { total, beforeFirstEntry: Number.isNaN(this.firstEntry) ? rowTotal(rows[2]!) : this.firstEntry, byReason: sorted },
    };
  }

  private book(el: number): void {
    const t = this.totals();
    addGrowth(this.rows[el]!, this.mark, t);
    this.insns[el]! += t.insns - this.mark.insns;
    this.mark = t;
  }

  private closeExit(reason: string, cycles: number): void {
    const e = this.exits.get(reason) ?? { count: 0, cycles: 0 };
    e.count++;
    e.cycles += cycles;
    this.exits.set(reason, e);
    this.exitCount++;
  }
}

/** Adds the growth of every category from `a` to `b` to `row`. */
function addGrowth(row: CyclesBy, a: CategoryTotals, b: CategoryTotals): void {
  for (const k of CATEGORIES) row[k] += b[k] - a[k];
  row.execute += b.total - explained(b) - (a.total - explained(a));
}
