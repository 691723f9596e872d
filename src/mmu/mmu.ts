// The MMU of the cycle model: an access's translation goes to the TLB hierarchy
// (L1 I or L1 D, then L2) and, on a miss, to a walk through the walk caches and
// the nested TLB whose descriptor fetches go through the data-cache hierarchy.
// It charges TLB lookups and walk fetches to their categories, counts walks by
// kind, stage and level, and carries out TLBIs on every structure they reach.
// A translation's outcome is an explicit record (`Translated`), reused from
// access to access: the hit and miss paths allocate nothing.
//
// Values on this path (addresses as Numbers, entries as typed-array columns, descriptors as
// two 32-bit words, no allocation) and the measurements that decided them: README.md, "How
// values are represented on the hot path".
import type { CacheHierarchy } from '../mem/cache.js';
import type { Page } from '../core/memory.js';
import type { Timing } from '../spec/timing.js';
import type { Stage1Regime, Stage2Regime } from './regime.js';
import { POW2, TWO32, modPow2 } from './pow2.js';
import { TlbHierarchy, TlbHit, tlbConfig, tlbiRecord, pageNumber, KIND_OF_ACCESS } from './tlb.js';
import { decodeTlbi, type TlbiContext } from './tlbi.js';
import { NestedTlb, WalkCache, walkCacheMatches, type WalkTag } from './walk-cache.js';
import {
  ACCESS_CODE, DescSource, FETCH, READ, WRITE, Walker, faultException, faultOf, permissionFault,
  type Access, type WalkFault,
} from './walker.js';

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

// Offsets of the walk counters in Mmu.walkCounts: by access by its code (READ, WRITE, FETCH), fetches by level of each stage, walks by their number of fetches
const W_COUNT = 0, W_FAULTS = 1, W_FETCHES = 2, W_BY_ACCESS = 3, W_S1 = 6, W_S2 = 10, W_PER_WALK = 14;
/** Histogram buckets of fetches per walk: past the most one walk makes (a 4-level stage 1 over a 4-level stage 2: 4 × 5 + 4 = 24). */
const MAX_FETCHES = 63;

/** Cycles spent by the MMU, by category. */
export interface MmuCycles { tlb: number; walkS1: number; walkS2: number }

/** What a translation found: the PA, the L1 TLB entry (slot) holding it, what it cost, whether the page may also be written. */
export class Translated {
  pa = 0;
  /** The slot of the L1 TLB entry (L1 I for fetches, else L1 D); -1: the regime translates nothing (MMU off). */
  entry = -1;
  /** Cycles of the TLB lookups and walk fetches (also when the translation faulted). */
  cycles = 0;
  /** Whether a write at the same EL would be allowed through the same entry. */
  writable = false;
}



/** Descriptor fetches of the model: through the data caches, charged to the walk of their stage. */
class ModelDescs extends DescSource {
  /** Cycles of the fetches since the last reset. */
  walkCycles = 0;
  /** RAM pages by PA (set by the machine); without it, `descriptor` reads each one as a BigInt. */
  ramPage: ((pa: number) => Page | undefined) | null = null;

  constructor(private readonly dcache: CacheHierarchy, private readonly cycles: MmuCycles, private readonly descriptor: (pa: number) => bigint) {
    super();
  }

  read(pa: number, stage: 1 | 2): boolean {
    const c = this.dcache.access(pa);
    this.walkCycles += c;
    if (stage === 1) this.cycles.walkS1 += c;
    else this.cycles.walkS2 += c;
    if (this.ramPage !== null) {
      const p = this.ramPage(pa);
      if (p === undefined) return false;
      const off = pa & 0xfff;
      this.lo = p.view.getUint32(off, true);
      this.hi = p.view.getUint32(off + 4, true);
      return true;
    }
    let d: bigint;
    try {
      d = this.descriptor(pa);
    } catch {
      return false;
    }
    this.lo = Number(d & 0xffffffffn);
    this.hi = Number(d >> 32n);
    return true;
  }
}

export class Mmu {
  readonly tlb: TlbHierarchy;
  readonly s1Cache: WalkCache | undefined;
  readonly s2Cache: WalkCache | undefined;
  readonly nested: NestedTlb | undefined;
  /** The walk counters (W_* offsets): plain numbers in one array, since every walk adds to a dozen of them. */
  private readonly walkCounts = new Float64Array(W_PER_WALK + MAX_FETCHES + 1);
  readonly cycles: MmuCycles = { tlb: 0, walkS1: 0, walkS2: 0 };
  private readonly descs: ModelDescs;
  private readonly walker: Walker;
  private readonly hit = new TlbHit();
  private readonly caches: { vmid: number; s1?: WalkCache; s2?: WalkCache; nested?: NestedTlb };

  constructor(t: Timing, dcache: CacheHierarchy, descriptor: (pa: number) => bigint) {
    this.tlb = new TlbHierarchy(tlbConfig(t));
    const on = t.walkCache.enabled;
    this.s1Cache = on && t.walkCache.s1.enabled ? new WalkCache(t.walkCache.s1.entries) : undefined;
    this.s2Cache = on && t.walkCache.s2.enabled ? new WalkCache(t.walkCache.s2.entries) : undefined;
    this.nested = on && t.nestedTlb.enabled ? new NestedTlb(t.nestedTlb.entries) : undefined;
    this.descs = new ModelDescs(dcache, this.cycles, descriptor);
    this.walker = new Walker(this.descs);
    this.caches = { vmid: 0, s1: this.s1Cache, s2: this.s2Cache, nested: this.nested };
  }

  /** Reads descriptors straight from RAM pages (`ramPage(pa)`: the page holding pa, undefined where there is no RAM). */
  useRam(ramPage: (pa: number) => Page | undefined): void {
    this.descs.ramPage = ramPage;
  }

  /**
   * Translates `va` (a signed-64 Number, as the CPU holds addresses) for an access (READ, WRITE,
   * FETCH, or the walker's name) at `el` in the stage 1 regime `regs` (nested over `s2` when
   * given); `vmid` is the current VMID. The outcome goes to `out` (its cycles also when the
   * translation faults); returns the PA; throws the architectural fault.
   */
  translate(va: number, access: number | Access, el: 0 | 1 | 2, regs: Stage1Regime, s2: Stage2Regime | undefined, vmid: number, out: Translated): number {
    const a = typeof access === 'number' ? access : ACCESS_CODE[access];
    out.entry = -1;
    out.cycles = 0;
    out.writable = true;
    const w = this.walker;
    if (!regs.enabled && !s2) {
      if (!w.walk(Math.floor(va / TWO32) >>> 0, va >>> 0, a, el, regs, undefined, undefined)) throw this.walkFault(va, a, el);
      return (out.pa = va);
    }
    const el2 = regs.regime === 'el2';
    const tagVmid = el2 ? 0 : vmid;
    const asid = el2 ? 0 : regs.halves[0].asid;
    const kind = KIND_OF_ACCESS[a]!;
    const l1 = kind === 0 ? this.tlb.l1i : this.tlb.l1d;
    const h = this.tlb.find(pageNumber(va), el2 ? 1 : 0, asid, tagVmid, kind, this.hit);
    this.cycles.tlb += h.cycles;
    out.cycles = h.cycles;
    if (h.level !== 0) {
      const s = h.slot;
      const perms = l1.perms[s]!;
      const denied = permissionFault(perms, a, el);
      if (denied !== 0) throw faultException(this.hitFault(l1, s, denied, a, va), el);
      out.entry = s;
      out.writable = permissionFault(perms, WRITE, el) === 0;
      return (out.pa = l1.paPage[s]! + modPow2(va, POW2[l1.shift[s]!]!));
    }
    const vaHi = Math.floor(va / TWO32) >>> 0, vaLo = va >>> 0;
    this.descs.walkCycles = 0;
    this.caches.vmid = vmid;
    const ok = w.walk(vaHi, vaLo, a, el, regs, s2, this.caches);
    this.count(a);
    out.cycles += this.descs.walkCycles;
    if (!ok) {
      this.walkCounts[W_FAULTS]++;
      throw this.walkFault(va, a, el);
    }
    out.entry = this.tlb.fill(w.out, vaHi, vaLo, el2 ? 1 : 0, tagVmid, kind);
    out.writable = permissionFault(w.out.perms, WRITE, el) === 0;
    return (out.pa = w.out.pa);
  }

  private walkFault(va: number, access: number, el: number) {
    const name: Access = access === FETCH ? 'fetch' : access === WRITE ? 'write' : 'read';
    return faultException(faultOf(this.walker.out, BigInt.asUintN(64, BigInt(va)), name), el);
  }

  /**
   * The permission fault of a TLB hit on `va`, at the level of the stage that denies: FAR is the
   * faulting VA and the IPA its own (the entry maps one contiguous range, so the offset from the
   * address it was filled for carries over), not the address the entry was filled for.
   */
  private hitFault(t: TlbHierarchy['l1d'], s: number, stage: 1 | 2, access: number, va: number): WalkFault {
    const base = {
      kind: 'permission' as const, s1ptw: false, write: access === WRITE, fetch: access === FETCH, va: BigInt.asUintN(64, BigInt(va)),
      fetches: { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0], total: 0 },
    };
    if (stage === 1) return { ...base, level: t.s1Level[s]!, stage: 1 };
    const ipa = t.ipaOf(s) + (va - Number(BigInt.asIntN(64, t.vaOf(s))));
    return { ...base, level: t.s2Level[s]!, stage: 2, ipa: BigInt(ipa) };
  }

  /** `TLBI op, xt`: the TLBs and the walk caches lose exactly what the operation's scope covers. */
  tlbi(op: string, xt: bigint, ctx: TlbiContext): void {
    const r = decodeTlbi(op, xt, ctx);
    tlbiRecord(this.tlb, r);
    const scope = (tag: WalkTag, base: bigint, size: bigint) => walkCacheMatches(r, tag, base, size);
    this.s1Cache?.invalidate(scope);
    this.s2Cache?.invalidate(scope);
    this.nested?.invalidate(scope);
  }

  private count(access: number): void {
    const c = this.walkCounts, o = this.walker.out;
    c[W_COUNT]++;
    c[W_BY_ACCESS + access]++;
    c[W_FETCHES] += o.total;
    for (let l = 0; l < 4; l++) {
      c[W_S1 + l] += o.s1[l]!;
      c[W_S2 + l] += o.s2[l]!;
    }
    c[W_PER_WALK + o.total]++;
  }

  /** Walks so far for accesses of code `access` (READ, WRITE, FETCH): what the PMU's walk events count, without building `walks`. */
  walksFor(access: number): number {
    return this.walkCounts[W_BY_ACCESS + access]!;
  }

  /** The walks so far (a new object on each read). */
  get walks(): WalkStats {
    const c = this.walkCounts;
    const s1 = Array.from(c.subarray(W_S1, W_S1 + 4)), s2 = Array.from(c.subarray(W_S2, W_S2 + 4));
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    const fetchesPerWalk: Record<string, number> = {};
    for (let n = 0; n <= MAX_FETCHES; n++) if (c[W_PER_WALK + n]! > 0) fetchesPerWalk[n] = c[W_PER_WALK + n]!;
    return {
      count: c[W_COUNT]!, byKind: { instruction: c[W_BY_ACCESS + FETCH]!, read: c[W_BY_ACCESS + READ]!, write: c[W_BY_ACCESS + WRITE]! },
      faults: c[W_FAULTS]!, fetches: c[W_FETCHES]!, fetchesByStage: { s1: sum(s1), s2: sum(s2) }, fetchesByLevel: { s1, s2 }, fetchesPerWalk,
    };
  }
}
