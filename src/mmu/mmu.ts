// The MMU of the cycle model: an access's translation goes to the TLB hierarchy
// (L1 I or L1 D, then L2) and, on a miss, to a walk through the walk caches and
// the nested TLB whose descriptor fetches go through the data-cache hierarchy.
// It charges TLB lookups and walk fetches to their categories, counts walks by
// kind, stage and level, and carries out TLBIs on every structure they reach.
import type { CacheHierarchy } from '../mem/cache.js';
import type { Timing } from '../spec/timing.js';
import type { Stage1Regime, Stage2Regime } from './regime.js';
import { TlbHierarchy, tlbConfig, tlbi, accessKind, pageNumber, type TlbEntry, type TlbiContext } from './tlb.js';
import { NestedTlb, WalkCache, walkCacheScope } from './walk-cache.js';
import { walk, isFault, checkAccess, faultException, type Access, type Fetches, type WalkCaches } from './walker.js';

export interface WalkStats {
  count: number;
  byKind: { instruction: number; read: number; write: number };
  /** Walks that ended in a fault (their fetches are counted too). */
  faults: number;
  fetches: number;
  fetchesByStage: { s1: number; s2: number };
  fetchesByLevel: { s1: number[]; s2: number[] };
  /** Histogram: number of walks by their number of descriptor fetches. */
  fetchesPerWalk: Record<string, number>;
}

/** Cycles spent by the MMU, by category. */
export interface MmuCycles { tlb: number; walkS1: number; walkS2: number }

export class Mmu {
  readonly tlb: TlbHierarchy;
  readonly s1Cache: WalkCache | undefined;
  readonly s2Cache: WalkCache | undefined;
  readonly nested: NestedTlb | undefined;
  readonly walks: WalkStats = {
    count: 0, byKind: { instruction: 0, read: 0, write: 0 }, faults: 0, fetches: 0,
    fetchesByStage: { s1: 0, s2: 0 }, fetchesByLevel: { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0] }, fetchesPerWalk: {},
  };
  readonly cycles: MmuCycles = { tlb: 0, walkS1: 0, walkS2: 0 };
  private walkCycles = 0;
  /** Of the last `translate`: the L1 TLB entry holding the translation (null: the regime translates nothing) and the cycles it cost (TLB lookups, walk fetches). */
  lastEntry: TlbEntry | null = null;
  lastCycles = 0;
  private readonly fetch: (pa: number, stage: 1 | 2) => bigint;

  constructor(t: Timing, dcache: CacheHierarchy, descriptor: (pa: number) => bigint) {
    this.tlb = new TlbHierarchy(tlbConfig(t));
    const on = t.walkCache.enabled;
    this.s1Cache = on && t.walkCache.s1.enabled ? new WalkCache(t.walkCache.s1.entries) : undefined;
    this.s2Cache = on && t.walkCache.s2.enabled ? new WalkCache(t.walkCache.s2.entries) : undefined;
    this.nested = on && t.nestedTlb.enabled ? new NestedTlb(t.nestedTlb.entries) : undefined;
    this.fetch = (pa, stage) => {
      const c = dcache.access(pa);
      this.walkCycles += c;
      if (stage === 1) this.cycles.walkS1 += c;
      else this.cycles.walkS2 += c;
      return descriptor(pa);
    };
  }

  /**
   * Translates `va` for an access at `el` in the stage 1 regime `regs` (nested over `s2` when
   * given); `vmid` is the current VMID. Returns the PA (entry and cost in lastEntry, lastCycles);
   * throws the architectural fault.
   */
  translate(va: number, access: Access, el: 0 | 1 | 2, regs: Stage1Regime, s2: Stage2Regime | undefined, vmid: number): number {
    this.lastEntry = null;
    this.lastCycles = 0;
    if (!regs.enabled && !s2) {
      const flat = walk(BigInt.asUintN(64, BigInt(va)), access, el, regs, this.fetch);
      if (isFault(flat)) throw faultException(flat, el);
      return va;
    }
    const regime = regs.regime;
    const tagVmid = regime === 'el2' ? 0 : vmid;
    const asid = regime === 'el2' ? 0 : regs.halves[0].asid;
    // the hit path in Numbers: BigInts cost an allocation each
    const e = this.tlb.lookupPage(pageNumber(va), regime, asid, tagVmid, access);
    const lookupCycles = (this.lastCycles = this.tlb.lastCycles);
    this.cycles.tlb += lookupCycles;
    if (e) {
      const denied = checkAccess(e.t, access, el);
      if (denied) throw faultException(denied, el);
      const size = 2 ** e.shift;
      this.lastEntry = e;
      return e.paPage + (va - Math.floor(va / size) * size);
    }
    const v = BigInt.asUintN(64, BigInt(va));
    this.walkCycles = 0;
    const caches: WalkCaches = { vmid, s1: this.s1Cache, s2: this.s2Cache, nested: this.nested };
    const r = walk(v, access, el, regs, this.fetch, s2, caches);
    this.count(r.fetches, access);
    this.lastCycles = lookupCycles + this.walkCycles;
    if (isFault(r)) {
      this.walks.faults++;
      throw faultException(r, el);
    }
    this.lastEntry = this.tlb.insert(r, regime, tagVmid, access);
    return Number(r.pa);
  }

  /** `TLBI op, xt`: the TLBs and the walk caches lose exactly what the operation's scope covers. */
  tlbi(op: string, xt: bigint, ctx: TlbiContext): void {
    tlbi(this.tlb, op, xt, ctx);
    const scope = walkCacheScope(op, xt, ctx);
    if (!scope) return;
    this.s1Cache?.invalidate(scope);
    this.s2Cache?.invalidate(scope);
    this.nested?.invalidate(scope);
  }

  private count(f: Fetches, access: Access): void {
    const w = this.walks;
    w.count++;
    w.byKind[accessKind(access)]++;
    w.fetches += f.total;
    for (let l = 0; l < 4; l++) {
      w.fetchesByStage.s1 += f.s1[l]!;
      w.fetchesByStage.s2 += f.s2[l]!;
      w.fetchesByLevel.s1[l]! += f.s1[l]!;
      w.fetchesByLevel.s2[l]! += f.s2[l]!;
    }
    w.fetchesPerWalk[f.total] = (w.fetchesPerWalk[f.total] ?? 0) + 1;
  }
}
