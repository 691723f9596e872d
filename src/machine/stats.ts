// The statistics of a run (`--stats FILE`, DESIGN.md §7.1): one JSON object
// whose dotted paths are the stable keys scripts and charts read, and its
// plain-text form in the manner of gem5's stats.txt (`--stats-format text`).
import type { CacheHierarchy } from '../mem/cache.js';
import type { Mmu } from '../mmu/mmu.js';
import type { KindCounts, Tlb } from '../mmu/tlb.js';
import type { WalkCache } from '../mmu/walk-cache.js';
import type { CyclesBy } from './cycles-by.js';
import type { LedgerView } from './ledger.js';

export type { CyclesBy };

export interface TlbLevelStats { hits: number; misses: number; hitsByKind: KindCounts; missesByKind: KindCounts }
export interface WalkCacheLevelStats { hits: number; misses: number; hitsByLevel: Record<string, number> }

export interface RunStats {
  instructions: number;
  cycles: number;
  cyclesBy: CyclesBy;
  cyclesByEl: LedgerView['cyclesByEl'];
  instructionsByEl: LedgerView['instructionsByEl'];
  ledger: LedgerView['ledger'];
  exits: LedgerView['exits'];
  tlb: { l1i: TlbLevelStats; l1d: TlbLevelStats; l2: TlbLevelStats };
  walks: {
    count: number;
    byKind: KindCounts;
    faults: number;
    fetches: number;
    fetchesByStage: { s1: number; s2: number };
    fetchesByLevel: { s1: Record<string, number>; s2: Record<string, number> };
    fetchesPerWalk: Record<string, number>;
  };
  walkCache: { s1: WalkCacheLevelStats; s2: WalkCacheLevelStats; nested: { hits: number; misses: number } };
  cache: { l1d: { hits: number; misses: number }; l2: { hits: number; misses: number }; llc: { hits: number; misses: number }; memory: { accesses: number }; prefetch: { issued: number; useful: number; late: number } };
  memAccesses: number;
  tlbi: Record<string, number>;
  sysregWrites: Record<string, number>;
  exceptions: { taken: number; returns: number; byClass: Record<string, number> };
  /** Under a hypervisor: the vmm's own counters (vmm_stat), read from its memory at the end. */
  vmm?: Record<string, number>;
  /** The workload's own figures, from its `stat: name=value …` output lines (src/experiments/guest-stats.ts). */
  guest?: Record<string, number>;
}

/** What the machine counted, as `machineStats` reads it. */
export interface StatsSources {
  instructions: number;
  cycles: number;
  cyclesBy: CyclesBy;
  ledger: LedgerView;
  mmu: Mmu;
  caches: CacheHierarchy;
  memAccesses: number;
  sysregWrites: Record<string, number>;
  exceptions: { taken: number; returns: number; byClass: Record<string, number> };
}

const byLevel = (a: readonly number[]) => Object.fromEntries(a.map((v, i) => [String(i), v]));

function tlbLevel(t: Tlb): TlbLevelStats {
  const s = t.stats;
  return { hits: s.hits, misses: s.misses, hitsByKind: { ...s.byKind.hits }, missesByKind: { ...s.byKind.misses } };
}

function walkCache(c: WalkCache | undefined): WalkCacheLevelStats {
  return { hits: c?.stats.hits ?? 0, misses: c?.stats.misses ?? 0, hitsByLevel: byLevel(c?.stats.hitsByLevel ?? [0, 0, 0, 0]) };
}

export function machineStats(s: StatsSources): RunStats {
  const { mmu, caches } = s;
  const w = mmu.walks;
  const sorted = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
  return {
    instructions: s.instructions,
    cycles: s.cycles,
    cyclesBy: { ...s.cyclesBy },
    cyclesByEl: s.ledger.cyclesByEl,
    instructionsByEl: s.ledger.instructionsByEl,
    ledger: s.ledger.ledger,
    exits: s.ledger.exits,
    tlb: { l1i: tlbLevel(mmu.tlb.l1i), l1d: tlbLevel(mmu.tlb.l1d), l2: tlbLevel(mmu.tlb.l2) },
    walks: {
      count: w.count,
      byKind: { ...w.byKind },
      faults: w.faults,
      fetches: w.fetches,
      fetchesByStage: { ...w.fetchesByStage },
      fetchesByLevel: { s1: byLevel(w.fetchesByLevel.s1), s2: byLevel(w.fetchesByLevel.s2) },
      fetchesPerWalk: sorted(w.fetchesPerWalk),
    },
    walkCache: { s1: walkCache(mmu.s1Cache), s2: walkCache(mmu.s2Cache), nested: { hits: mmu.nested?.stats.hits ?? 0, misses: mmu.nested?.stats.misses ?? 0 } },
    cache: {
      l1d: { ...caches.l1d.stats }, l2: { ...caches.l2.stats }, llc: { ...caches.llc.stats }, memory: { accesses: caches.memoryAccesses },
      prefetch: { ...caches.prefetch },
    },
    memAccesses: s.memAccesses,
    tlbi: sorted(mmu.tlb.tlbiCounts),
    sysregWrites: sorted(s.sysregWrites),
    exceptions: { taken: s.exceptions.taken, returns: s.exceptions.returns, byClass: sorted(s.exceptions.byClass) },
  };
}

/** Every leaf of a stats object as [dotted key, value], in document order. */
export function flattenStats(o: object, prefix = ''): [string, number | string | boolean][] {
  const out: [string, number | string | boolean][] = [];
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') out.push(...flattenStats(v as object, key));
    else out.push([key, v as number | string | boolean]);
  }
  return out;
}

/** What the stable keys mean (the text form prints it after each value, as gem5 does). */
const DESCRIPTIONS: [RegExp, string][] = [
  [/^instructions$/, 'Instructions retired'],
  [/^cycles$/, 'Cycles simulated'],
  [/^cyclesBy\.(\w+)$/, 'Cycles in category $1'],
  [/^cyclesByEl\.el(\d)$/, 'Cycles spent at EL$1'],
  [/^instructionsByEl\.el(\d)$/, 'Instructions retired at EL$1'],
  [/^ledger\.el(\d)\.(\w+)$/, 'Cycles in category $2 at EL$1'],
  [/^exits\.total$/, 'Exceptions taken to EL2 from EL0/EL1'],
  [/^exits\.beforeFirstEntry$/, 'Cycles at EL2 before the first return to EL0/EL1'],
  [/^exits\.byReason\.(\w+)\.count$/, 'Exits to EL2 of class $1'],
  [/^exits\.byReason\.(\w+)\.cycles$/, 'Cycles from taking exits of class $1 to the ERET back'],
  [/^tlb\.(\w+)\.(hits|misses)$/, 'TLB $1 $2'],
  [/^tlb\.(\w+)\.(hits|misses)ByKind\.(\w+)$/, 'TLB $1 $2 by $3 accesses'],
  [/^walks\.count$/, 'Translation table walks'],
  [/^walks\.byKind\.(\w+)$/, 'Walks for $1 accesses'],
  [/^walks\.faults$/, 'Walks that ended in a fault'],
  [/^walks\.fetches$/, 'Descriptor fetches of all walks'],
  [/^walks\.fetchesByStage\.(\w+)$/, 'Descriptor fetches of stage $1'],
  [/^walks\.fetchesByLevel\.(\w+)\.(\d)$/, 'Descriptor fetches of stage $1 at level $2'],
  [/^walks\.fetchesPerWalk\.(\d+)$/, 'Walks that made $1 descriptor fetches'],
  [/^walkCache\.(\w+)\.(hits|misses)$/, 'Walk cache $1 $2'],
  [/^walkCache\.(\w+)\.hitsByLevel\.(\d)$/, 'Walk cache $1 hits whose deepest entry was at level $2'],
  [/^cache\.memory\.accesses$/, 'Accesses that missed every cache level'],
  [/^cache\.(\w+)\.(hits|misses)$/, 'Data cache $1 $2'],
  [/^memAccesses$/, 'Loads and stores, device registers included (PMU MEM_ACCESS)'],
  [/^tlbi\.(\w+)$/, 'TLBI $1 executed'],
  [/^sysregWrites\.(\w+)$/, 'Writes to $1'],
  [/^exceptions\.taken$/, 'Exceptions taken'],
  [/^exceptions\.returns$/, 'Exception returns (ERET)'],
  [/^exceptions\.byClass\.(\w+)$/, 'Exceptions of class $1 taken'],
  [/^vmm\.(\w+)$/, 'The vmm\'s counter $1 (vmm_stat)'],
  [/^guest\.(\w+)$/, 'The workload\'s own figure $1 (its stat: lines, summed)'],
];

function describe(key: string): string {
  for (const [re, text] of DESCRIPTIONS) if (re.test(key)) return key.replace(re, text);
  return '';
}

/** gem5-style text: one `key value # description` line per statistic between begin and end markers. */
export function statsText(stats: object): string {
  const rows = flattenStats(stats);
  const width = Math.max(40, ...rows.map(([k]) => k.length + 1));
  const lines = rows.map(([k, v]) => {
    const d = describe(k);
    return `${k.padEnd(width)} ${String(v).padStart(16)}${d ? `  # ${d}` : ''}`.trimEnd();
  });
  return ['---------- Begin Simulation Statistics ----------', ...lines, '---------- End Simulation Statistics   ----------', ''].join('\n');
}
