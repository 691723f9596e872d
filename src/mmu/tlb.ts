// TLBs (DESIGN.md §3.3, §4; issue 4 item 2): one level (`Tlb`), the L1 I / L1 D / unified L2
// hierarchy (`TlbHierarchy`) and the TLBI operations with their architectural scope (`tlbi`).
//
// An entry holds one walker `Translation` — the combined stage 1+2 result, covering the
// naturally aligned region of `pageSize` bytes around its VA — tagged with:
//   - the translation regime ('el10' or 'el2');
//   - the VMID (EL1&0 only; the VMID current when it was inserted, with or without stage 2, so
//     changing VTTBR_EL2.VMID never needs a flush; EL2 entries carry no VMID);
//   - the ASID for non-global entries (`Translation.asid`, undefined when global); global
//     entries match any ASID; EL2 (non-VHE) entries are always global;
//   - the page size (`pageSize` = min of the stage 1 and stage 2 block/page sizes).
// VAs are tagged by bits [55:0] (the bits a TLBI VA operand can name; bit 55 picks TTBR0/1).
//
// Sets are indexed by the entry's own page number (VA[55:log2 pageSize]) modulo the number of
// sets; a lookup probes, for each page size the TLB currently holds, the set that size selects.
// So a 2 MiB entry serves every 4K page inside it, in a set-associative TLB as well.
//
// Not modelled here (left to the walk caches, issue 4 item 3): intermediate-level (table)
// entries, so the "last level only" TLBI forms (VALE1, VAALE1, VALE2, IPAS2LE1) remove exactly
// what their non-L forms remove from these leaf-only TLBs.
import type { Access, Translation } from './walker.js';
import type { Timing } from '../spec/timing.js';

export type TlbRegime = 'el10' | 'el2';
/** Kind of access a lookup is made for (the walker's 'fetch' is 'instruction'). */
export type TlbAccessKind = 'instruction' | 'read' | 'write';
export type Replacement = 'lru' | 'random';

export interface TlbOptions {
  /** Total number of entries. */
  readonly entries: number;
  /** Associativity; omitted or equal to `entries`: fully associative. Must divide `entries`. */
  readonly ways?: number;
  readonly replacement: Replacement;
  /** Seed of the random replacement generator (default 1); the same seed gives the same victims. */
  readonly seed?: number;
  readonly name: string;
}

/** A cached translation with its tags (read-only view; do not mutate). */
export interface TlbEntry {
  readonly t: Translation;
  readonly regime: TlbRegime;
  /** VMID tag (EL1&0 regime); 0 for EL2 entries. */
  readonly vmid: number;
  /** ASID tag; undefined for global entries. */
  readonly asid: number | undefined;
  /** log2 of the page size. */
  readonly shift: number;
  /** VA[55:shift]. */
  readonly vpn: number;
  /** Bases of the region this entry covers: VA (bits 55:0), IPA and PA. */
  readonly vaBase: bigint;
  readonly ipaBase: bigint;
  readonly paBase: bigint;
  /** paBase as a Number (exact: PAs have at most 48 bits), for the simulator's fast path. */
  readonly paPage: number;
}

interface Slot extends TlbEntry {
  stamp: number;
}

export interface KindCounts { instruction: number; read: number; write: number }
export interface TlbStats {
  hits: number;
  misses: number;
  byKind: { hits: KindCounts; misses: KindCounts };
  /** Valid entries displaced by an insertion. */
  evictions: number;
  /** Entries removed by invalidation. */
  invalidations: number;
}

const VA56 = (1n << 56n) - 1n;
const PAGE4K_SHIFT = 12;

/** The walker's access kind as a TLB access kind. */
export function accessKind(a: Access | TlbAccessKind): TlbAccessKind {
  return a === 'fetch' ? 'instruction' : a;
}

function log2(size: number): number {
  const s = Math.log2(size);
  if (!Number.isInteger(s) || s < PAGE4K_SHIFT) throw new Error(`TLB: bad page size ${size}`);
  return s;
}

/** VA[55:12] of a VA given as a signed-64 Number (as the CPU holds addresses): the key `lookupPage` takes. */
export function pageNumber(va: number): number {
  const p = Math.floor(va / 4096);
  return p >= 0 ? p % 2 ** 44 : (p % 2 ** 44) + 2 ** 44;
}

/** VA[55:12] as a number (44 bits: exact in a double). */
function vpn4k(va: bigint): number {
  return Number((va & VA56) >> 12n);
}

/** Counter index of each access kind (`touch` takes the index itself). */
export const KIND_INDEX = { instruction: 0, read: 1, write: 2 } as const;

/** One TLB level. */
export class Tlb {
  readonly name: string;
  readonly entries: number;
  readonly ways: number;
  readonly sets: number;
  readonly replacement: Replacement;
  /** Hits then misses, by kind (KIND_INDEX): plain numbers, since the fast path counts every access. */
  private readonly counts = new Float64Array(6);
  private evictions = 0;
  private invalidations = 0;

  /** Lookups that missed (what the PMU's refill events count). */
  get misses(): number {
    return this.counts[3]! + this.counts[4]! + this.counts[5]!;
  }

  get stats(): TlbStats {
    const c = this.counts;
    const byKind = (o: number): KindCounts => ({ instruction: c[o]!, read: c[o + 1]!, write: c[o + 2]! });
    return {
      hits: c[0]! + c[1]! + c[2]!, misses: this.misses,
      byKind: { hits: byKind(0), misses: byKind(3) }, evictions: this.evictions, invalidations: this.invalidations,
    };
  }

  private readonly table: Slot[][];
  /** The entries by `key` (page number and page size), whatever their other tags, for lookups without a scan. */
  private readonly index = new Map<number, Slot[]>();
  private clock = 0;
  private rng: number;
  /** Page-size shifts present, with their entry counts; `shifts` lists those with count > 0, ascending. */
  private readonly shiftCount = new Map<number, number>();
  private shifts: number[] = [];
  private count = 0;

  constructor(opts: TlbOptions) {
    const ways = opts.ways ?? opts.entries;
    if (!Number.isInteger(opts.entries) || opts.entries <= 0) throw new Error(`TLB ${opts.name}: entries must be a positive integer`);
    if (!Number.isInteger(ways) || ways <= 0 || opts.entries % ways !== 0) {
      throw new Error(`TLB ${opts.name}: ways (${ways}) must divide entries (${opts.entries})`);
    }
    this.name = opts.name;
    this.entries = opts.entries;
    this.ways = ways;
    this.sets = opts.entries / ways;
    this.replacement = opts.replacement;
    this.rng = (opts.seed ?? 1) >>> 0 || 1;
    this.table = Array.from({ length: this.sets }, () => []);
  }

  /** Number of valid entries. */
  get size(): number {
    return this.count;
  }

  /**
   * Looks `va` up for the regime, current ASID and current VMID (ignored for EL2). Counts a hit or
   * a miss under `kind` and, on a hit, makes the entry most recently used.
   */
  lookup(va: bigint, regime: TlbRegime, asid: number, vmid: number, kind: Access | TlbAccessKind = 'read'): TlbEntry | undefined {
    return this.lookupPage(vpn4k(va), regime, asid, vmid, kind);
  }

  /** `lookup` by the 4 KiB page number VA[55:12] (see `pageNumber`), without BigInts. */
  lookupPage(p4: number, regime: TlbRegime, asid: number, vmid: number, kind: Access | TlbAccessKind = 'read'): TlbEntry | undefined {
    const e = this.find(p4, regime, asid, vmid);
    const k = accessKind(kind);
    if (e) {
      e.stamp = ++this.clock;
      this.counts[KIND_INDEX[k]]++;
    } else {
      this.counts[3 + KIND_INDEX[k]]++;
    }
    return e;
  }

  /** Called with each entry an insertion displaces (the CPU's host-side TLB must drop its copies). */
  onEvict: ((e: TlbEntry) => void) | null = null;

  /**
   * A hit served by the CPU's host-side TLB from a copy of entry `e`: counted as a hit of this
   * level and made most recently used, exactly as if `lookup` had found it. `kind` is KIND_INDEX's.
   */
  touch(e: TlbEntry, kind: 0 | 1 | 2): void {
    (e as Slot).stamp = ++this.clock;
    this.counts[kind]++;
  }

  /** Like `lookup` without counting or touching the replacement state. */
  peek(va: bigint, regime: TlbRegime, asid: number, vmid: number): TlbEntry | undefined {
    return this.find(vpn4k(va), regime, asid, vmid);
  }

  private find(p4: number, regime: TlbRegime, asid: number, vmid: number): Slot | undefined {
    if (this.count === 0) return undefined;
    const el2 = regime === 'el2';
    for (const s of this.shifts) {
      const vpn = Math.floor(p4 / 2 ** (s - PAGE4K_SHIFT));
      const list = this.index.get(key(vpn, s));
      if (list === undefined) continue;
      for (const e of list) {
        if (e.vpn === vpn && e.shift === s && e.regime === regime && (el2 || e.vmid === vmid) && (e.asid === undefined || e.asid === asid)) return e;
      }
    }
    return undefined;
  }

  /**
   * Inserts a translation for `regime`, tagged with `vmid` (EL1&0; default: the translation's
   * stage 2 VMID, else 0). An entry with the same tags is replaced; otherwise, in a full set, the
   * least recently used entry (LRU) or a seeded-random one is evicted. Returns the entry.
   */
  insert(t: Translation, regime: TlbRegime = 'el10', vmid: number = t.vmid ?? 0): TlbEntry {
    const shift = log2(t.pageSize);
    const size = BigInt(t.pageSize);
    const off = t.va & (size - 1n);
    const vaBase = (t.va & VA56) - off;
    const vpn = Math.floor(vpn4k(t.va) / 2 ** (shift - PAGE4K_SHIFT));
    const asid = regime === 'el2' ? undefined : t.asid;
    const paBase = t.pa - off;
    return this.place({
      t,
      regime,
      vmid: regime === 'el2' ? 0 : vmid,
      asid,
      shift,
      vpn,
      vaBase,
      ipaBase: t.ipa - off,
      paBase,
      paPage: Number(paBase),
      stamp: ++this.clock,
    });
  }

  /** Inserts a copy of another level's entry (an L1 refill from the L2). */
  copy(e: TlbEntry): TlbEntry {
    return this.place({
      t: e.t, regime: e.regime, vmid: e.vmid, asid: e.asid, shift: e.shift, vpn: e.vpn,
      vaBase: e.vaBase, ipaBase: e.ipaBase, paBase: e.paBase, paPage: e.paPage, stamp: ++this.clock,
    });
  }

  private place(slot: Slot): TlbEntry {
    const { vpn, shift, regime, asid } = slot;
    const set = this.table[vpn % this.sets]!;
    const list = this.index.get(key(vpn, shift));
    let same: Slot | undefined;
    if (list) for (const e of list) if (e.vpn === vpn && e.shift === shift && e.regime === regime && e.vmid === slot.vmid && e.asid === asid) same = e;
    if (same) {
      this.onEvict?.(same);
      this.unindex(same);
      set[set.indexOf(same)] = slot;
      this.reindex(slot);
      return slot;
    }
    if (set.length < this.ways) {
      set.push(slot);
    } else {
      const victim = this.replacement === 'lru' ? lruIndex(set) : this.nextRandom() % this.ways;
      const old = set[victim]!;
      this.unindex(old);
      this.onEvict?.(old);
      set[victim] = slot;
      this.evictions++;
      this.reindex(slot);
      if (old.shift !== shift) {
        this.removeShift(old.shift);
        this.addShift(shift);
      }
      return slot;
    }
    this.reindex(slot);
    this.count++;
    this.addShift(shift);
    return slot;
  }

  /** Removes every entry `pred` selects; returns how many. */
  invalidate(pred: (e: TlbEntry) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.table.length; i++) {
      const set = this.table[i]!;
      if (set.length === 0) continue;
      const keep = set.filter((e) => {
        if (!pred(e)) return true;
        this.removeShift(e.shift);
        this.unindex(e);
        return false;
      });
      n += set.length - keep.length;
      this.table[i] = keep;
    }
    this.count -= n;
    this.invalidations += n;
    return n;
  }

  /** Every valid entry (set by set, in way order). */
  *all(): IterableIterator<TlbEntry> {
    for (const set of this.table) yield* set;
  }

  private reindex(e: Slot): void {
    const k = key(e.vpn, e.shift);
    const list = this.index.get(k);
    if (list) list.push(e);
    else this.index.set(k, [e]);
  }

  private unindex(e: Slot): void {
    const k = key(e.vpn, e.shift);
    const list = this.index.get(k)!;
    if (list.length === 1) this.index.delete(k);
    else list.splice(list.indexOf(e), 1);
  }

  private addShift(s: number): void {
    const c = this.shiftCount.get(s) ?? 0;
    this.shiftCount.set(s, c + 1);
    if (c === 0) this.shifts = [...this.shiftCount.keys()].filter((k) => this.shiftCount.get(k)! > 0).sort((a, b) => a - b);
  }

  private removeShift(s: number): void {
    const c = this.shiftCount.get(s)! - 1;
    this.shiftCount.set(s, c);
    if (c === 0) this.shifts = this.shifts.filter((k) => k !== s);
  }

  /** mulberry32. */
  private nextRandom(): number {
    this.rng = (this.rng + 0x6d2b79f5) >>> 0;
    let z = this.rng;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  }
}

/** Index key of a page number and page-size shift: a small integer (fast as a Map key); entries sharing one are told apart by their tags. */
const key = (vpn: number, shift: number) => (vpn % 0x2000000) * 32 + (shift - PAGE4K_SHIFT);

function lruIndex(set: Slot[]): number {
  let v = 0;
  for (let i = 1; i < set.length; i++) if (set[i]!.stamp < set[v]!.stamp) v = i;
  return v;
}

// ---------------------------------------------------------------------------------------------
// The hierarchy

export interface TlbLevelConfig {
  readonly entries: number;
  /** Omitted: fully associative. */
  readonly ways?: number;
  /** Default 'lru'. */
  readonly replacement?: Replacement;
  /** Cycles a hit at this level costs (an L2 hit also pays the L1 lookup). */
  readonly latency: number;
}

export interface TlbHierarchyConfig {
  readonly l1i: TlbLevelConfig;
  readonly l1d: TlbLevelConfig;
  readonly l2: TlbLevelConfig;
  /** Seed of the random replacement generators (each level derives its own). Default 1. */
  readonly seed?: number;
}

/** The hierarchy a timing preset describes (spec/timing `tlb`; ways 0 = fully associative). */
export function tlbConfig(t: Timing): TlbHierarchyConfig {
  const level = (l: Timing['tlb']['l1i']): TlbLevelConfig => ({
    entries: l.entries, ways: l.ways || undefined, replacement: t.tlb.replacement, latency: l.latency,
  });
  return { l1i: level(t.tlb.l1i), l1d: level(t.tlb.l1d), l2: level(t.tlb.l2), seed: t.tlb.seed };
}

export type TlbLookup =
  | {
      readonly level: 'l1' | 'l2';
      readonly translation: Translation;
      /** The L1 entry (after an L2 hit, the L1 refill). */
      readonly entry: TlbEntry;
      /** The IPA and PA of the looked-up VA (the stored translation may be for another VA in the page). */
      readonly ipa: bigint;
      readonly pa: bigint;
      readonly cycles: number;
    }
  | { readonly level: 'miss'; readonly translation: undefined; readonly cycles: number };

export class TlbHierarchy {
  readonly l1i: Tlb;
  readonly l1d: Tlb;
  readonly l2: Tlb;
  readonly config: TlbHierarchyConfig;
  /** TLBIs executed, by operation name as given to `tlbi` (e.g. 'VAE1IS'). */
  readonly tlbiCounts: Record<string, number> = {};

  constructor(config: TlbHierarchyConfig) {
    this.config = config;
    const seed = config.seed ?? 1;
    const mk = (c: TlbLevelConfig, name: string, k: number) =>
      new Tlb({ entries: c.entries, ways: c.ways, replacement: c.replacement ?? 'lru', seed: (seed * 0x9e3779b1 + k) >>> 0, name });
    this.l1i = mk(config.l1i, 'l1i', 1);
    this.l1d = mk(config.l1d, 'l1d', 2);
    this.l2 = mk(config.l2, 'l2', 3);
  }

  /**
   * Looks up the L1 TLB for `kind` (instruction: L1 I, else L1 D), then the L2; an L2 hit refills
   * the L1. Cycles: L1 hit = l1 latency; L2 hit and miss = l1 + l2 latency (a miss then walks).
   */
  lookup(va: bigint, regime: TlbRegime, asid: number, vmid: number, kind: Access | TlbAccessKind): TlbLookup {
    const e = this.lookupPage(vpn4k(va), regime, asid, vmid, kind);
    if (!e) return { level: 'miss', translation: undefined, cycles: this.lastCycles };
    return hit(this.lastLevel === 1 ? 'l1' : 'l2', e, va, this.lastCycles);
  }

  /** Level (1, 2; 0 = miss) and cycles of the last `lookupPage`. */
  lastLevel = 0;
  lastCycles = 0;

  /** `lookup` by the 4 KiB page number VA[55:12] (`pageNumber`): the L1 entry, or undefined on a miss; level and cycles in lastLevel and lastCycles. */
  lookupPage(p4: number, regime: TlbRegime, asid: number, vmid: number, kind: Access | TlbAccessKind): TlbEntry | undefined {
    const k = accessKind(kind);
    const l1 = k === 'instruction' ? this.l1i : this.l1d;
    const l1c = k === 'instruction' ? this.config.l1i : this.config.l1d;
    const e1 = l1.lookupPage(p4, regime, asid, vmid, k);
    if (e1) {
      this.lastLevel = 1;
      this.lastCycles = l1c.latency;
      return e1;
    }
    this.lastCycles = l1c.latency + this.config.l2.latency;
    const e2 = this.l2.lookupPage(p4, regime, asid, vmid, k);
    this.lastLevel = e2 ? 2 : 0;
    return e2 && l1.copy(e2);
  }

  /** Fills the L2 and the L1 for `kind` with a walk's result; returns the L1 entry. */
  insert(t: Translation, regime: TlbRegime, vmid: number, kind: Access | TlbAccessKind): TlbEntry {
    this.l2.insert(t, regime, vmid);
    return (accessKind(kind) === 'instruction' ? this.l1i : this.l1d).insert(t, regime, vmid);
  }

  /** Removes what `pred` selects from every level; returns the number of entries removed. */
  invalidate(pred: (e: TlbEntry) => boolean): number {
    return this.l1i.invalidate(pred) + this.l1d.invalidate(pred) + this.l2.invalidate(pred);
  }
}

function hit(level: 'l1' | 'l2', e: TlbEntry, va: bigint, cycles: number): TlbLookup {
  const off = (va & VA56) - e.vaBase;
  return { level, translation: e.t, entry: e, ipa: e.ipaBase + off, pa: e.paBase + off, cycles };
}

// ---------------------------------------------------------------------------------------------
// TLBI

export interface TlbiContext {
  /** The current VMID (VTTBR_EL2.VMID). */
  readonly vmid: number;
  /** TCR_EL1.AS: 16-bit ASIDs; with 8-bit ASIDs Xt[63:56] is ignored. */
  readonly asid16: boolean;
}

/** The TLBI operations `tlbi` knows, without their IS suffix. */
export const TLBI_OPS = [
  'VMALLE1', 'VAE1', 'VALE1', 'VAAE1', 'VAALE1', 'ASIDE1', 'IPAS2E1', 'IPAS2LE1',
  'VMALLS12E1', 'ALLE1', 'ALLE2', 'VAE2', 'VALE2',
] as const;
export type TlbiOp = (typeof TLBI_OPS)[number];

/** Xt[43:0] = VA[55:12]. */
export function tlbiVa(xt: bigint): bigint {
  return (xt & ((1n << 44n) - 1n)) << 12n;
}
/** Xt[63:48] = ASID (Xt[63:56] ignored with 8-bit ASIDs). */
export function tlbiAsid(xt: bigint, asid16: boolean): number {
  return Number(xt >> 48n) & (asid16 ? 0xffff : 0xff);
}
/** Xt[35:0] = IPA[47:12] (Armv8.0, 48-bit IPA). */
export function tlbiIpa(xt: bigint): bigint {
  return (xt & ((1n << 36n) - 1n)) << 12n;
}

/** Does entry `e` cover the 4 KiB page `p4` (VA[55:12])? */
function covers(e: TlbEntry, p4: number): boolean {
  return e.vpn === Math.floor(p4 / 2 ** (e.shift - PAGE4K_SHIFT));
}

/**
 * The predicate selecting exactly what a TLBI removes from these TLBs (leaf, combined stage 1+2
 * entries). Scopes (Arm ARM D5.10 / C5.5), "current VMID" meaning `ctx.vmid`:
 * - VMALLE1: EL1&0 entries of the current VMID, every ASID, global or not.
 * - VAE1, VALE1: EL1&0, current VMID, entries covering VA that are global or of ASID.
 * - VAAE1, VAALE1: EL1&0, current VMID, entries covering VA, any ASID.
 * - ASIDE1: EL1&0, current VMID, non-global entries of ASID (globals survive).
 * - IPAS2E1, IPAS2LE1: EL1&0, current VMID, entries built with stage 2 whose stage 2 page/block
 *   contains IPA. (The architecture only requires stage-2-only entries to go and has software
 *   follow with VMALLE1 for combined ones; removing the combined entries derived from that stage 2
 *   entry is a permitted over-invalidation, and the one the stage 2 change makes stale.)
 * - VMALLS12E1: EL1&0 entries of the current VMID (stage 1 and stage 2: all are combined here).
 * - ALLE1: every EL1&0 entry, every VMID.
 * - ALLE2: every EL2 entry.  VAE2, VALE2: EL2 entries covering VA.
 * The "L" (last level) forms differ only in walk caches, which these TLBs do not hold.
 */
export function tlbiPredicate(op: string, xt: bigint, ctx: TlbiContext): (e: TlbEntry) => boolean {
  const base = baseOp(op);
  const el10 = (e: TlbEntry) => e.regime === 'el10' && e.vmid === ctx.vmid;
  switch (base) {
    case 'VMALLE1':
    case 'VMALLS12E1':
      return el10;
    case 'VAE1':
    case 'VALE1': {
      const p4 = vpn4k(tlbiVa(xt)), asid = tlbiAsid(xt, ctx.asid16);
      return (e) => el10(e) && (e.asid === undefined || e.asid === asid) && covers(e, p4);
    }
    case 'VAAE1':
    case 'VAALE1': {
      const p4 = vpn4k(tlbiVa(xt));
      return (e) => el10(e) && covers(e, p4);
    }
    case 'ASIDE1': {
      const asid = tlbiAsid(xt, ctx.asid16);
      return (e) => el10(e) && e.asid === asid;
    }
    case 'IPAS2E1':
    case 'IPAS2LE1': {
      const ipa = tlbiIpa(xt);
      return (e) => {
        const s2 = e.t.s2PageSize;
        if (!el10(e) || s2 === 0 || e.t.vmid === undefined) return false;
        const mask = ~(BigInt(s2) - 1n);
        return (e.t.ipa & mask) === (ipa & mask);
      };
    }
    case 'ALLE1':
      return (e) => e.regime === 'el10';
    case 'ALLE2':
      return (e) => e.regime === 'el2';
    case 'VAE2':
    case 'VALE2': {
      const p4 = vpn4k(tlbiVa(xt));
      return (e) => e.regime === 'el2' && covers(e, p4);
    }
  }
}

/** A TLBI operation's name without its IS (Inner Shareable) suffix; throws on an unknown one. */
export function baseOp(op: string): TlbiOp {
  const u = op.toUpperCase();
  const b = u.endsWith('IS') ? u.slice(0, -2) : u;
  if (!(TLBI_OPS as readonly string[]).includes(b)) throw new Error(`TLBI ${op}: not a known operation`);
  return b as TlbiOp;
}

/**
 * Executes `TLBI op, Xt` on the hierarchy (every level). The IS (Inner Shareable) forms are the
 * same as the local ones on this one-CPU machine. Counts the operation in `tlbiCounts[op]`
 * (upper case, as given) and returns the number of entries removed. Throws on an unknown op
 * (the decoder only hands over the operations listed in TLBI_OPS, with or without IS).
 */
export function tlbi(hierarchy: TlbHierarchy, op: string, xt: bigint, ctx: TlbiContext): number {
  const pred = tlbiPredicate(op, xt, ctx);
  const key = op.toUpperCase();
  hierarchy.tlbiCounts[key] = (hierarchy.tlbiCounts[key] ?? 0) + 1;
  return hierarchy.invalidate(pred);
}
