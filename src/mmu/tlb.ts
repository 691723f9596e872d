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
import type { Access, Perms, Translation, WalkOut } from './walker.js';
import { TLBI_OPS, baseOp, decodeTlbi, tlbiAsid, tlbiIpa, tlbiVa, type TlbiContext, type TlbiOp, type TlbiRecord } from './tlbi.js';
import type { Timing } from '../spec/timing.js';
import { setMaskOf, setOf } from '../mem/set-index.js';
import { POW2, TWO32, modPow2 } from './pow2.js';
import { chainInsert, chainRemove } from './hash-chain.js';

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

const PAGES44 = 2 ** 44;

/** VA[55:12] of a VA given as a signed-64 Number (as the CPU holds addresses): the key `lookupPage` takes. */
export function pageNumber(va: number): number {
  const p = Math.floor(va / 4096);
  if (p >= 0 && p < PAGES44) return p; // the lower half: no wrap-around
  // p mod 2^44; a negative multiple of 2^44 (VA[55:12] = 0 with VA[63:56] all ones) gives 2^44, as it always has
  const m = modPow2(p, PAGES44);
  return p < 0 && m === 0 ? PAGES44 : m;
}

/** VA[55:12] as a number (44 bits: exact in a double). */
function vpn4k(va: bigint): number {
  return Number((va & VA56) >> 12n);
}

/** Counter index of each access kind (`touch` takes the index itself). */
export const KIND_INDEX = { instruction: 0, read: 1, write: 2 } as const;
/** The walker's access codes (READ, WRITE, FETCH) as KIND_INDEX's. */
export const KIND_OF_ACCESS: readonly (0 | 1 | 2)[] = [1, 2, 0];


const EL10 = 0, EL2 = 1;
const regimeCode = (r: TlbRegime) => (r === 'el2' ? EL2 : EL10);

/**
 * One TLB level. Entries live in typed-array columns indexed by slot (set * ways + way: an entry
 * keeps its slot until it leaves), so a lookup or a fill allocates nothing and an entry is named
 * by its slot number. Each set also keeps its entries' order (`order`), which random replacement
 * indexes; `seq` orders entries as a lookup prefers them when several match (the oldest filled).
 */
export class Tlb {
  readonly name: string;
  readonly entries: number;
  readonly ways: number;
  readonly sets: number;
  /** setMaskOf(sets). */
  private readonly setMask: number;
  readonly replacement: Replacement;
  /** Hits then misses, by kind (KIND_INDEX): plain numbers, since the fast path counts every access. */
  private readonly counts = new Float64Array(6);
  private evictions = 0;
  private invalidations = 0;

  // tags
  readonly vpn: Float64Array;
  readonly shift: Uint8Array;
  readonly regime: Uint8Array;
  readonly vmid: Int32Array;
  /** -1: global. */
  readonly asid: Int32Array;
  /**
   * Last use of each entry (LRU replacement evicts the oldest). A stamp costs a hit one write, where
   * a recency list relinks on every hit to another page than the last (measured slower: hits, host
   * TLB hits included, far outnumber the fills that scan a set's stamps).
   */
  private readonly stamp: Float64Array;
  private readonly seq: Float64Array;
  private readonly valid: Uint8Array;
  // the translation: its VA (two words), IPA and PA, the page's PA, and what checks and TLBIs need
  private readonly vaHi: Uint32Array;
  private readonly vaLo: Uint32Array;
  private readonly ipa: Float64Array;
  private readonly pa: Float64Array;
  readonly paPage: Float64Array;
  readonly s1Size: Float64Array;
  readonly s2Size: Float64Array;
  readonly s1Level: Int8Array;
  readonly s2Level: Int8Array;
  /** Permission bits (walker.ts permissionFault). */
  readonly perms: Uint16Array;
  private readonly attrs: Int8Array;
  /** The translation's own ASID (-1: global) and stage 2 VMID (-1: none). */
  private readonly tAsid: Int32Array;
  readonly tVmid: Int32Array;
  /** The Translation as inserted by `insert` (kept for `entry`); undefined after a fill from a walk. */
  private readonly orig: (Translation | undefined)[];

  private readonly order: Int32Array;
  private readonly setCount: Int32Array;
  /**
   * The valid entries by page number and size: hash chains (`head` per bucket, `link` per slot), so
   * a lookup or a fill compares the entries of its page only, not every way of a set (the L1 TLBs
   * are one set of 32 or 48).
   */
  private readonly head: Int32Array;
  private readonly link: Int32Array;
  private readonly bucketBits: number;
  private clock = 0;
  private seqClock = 0;
  private rng: number;
  /** Entries per page-size shift; `shifts` lists the shifts with entries, ascending. */
  private readonly shiftCount = new Int32Array(64);
  private shifts: number[] = [];
  private count = 0;

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
    this.setMask = setMaskOf(this.sets);
    this.replacement = opts.replacement;
    this.rng = (opts.seed ?? 1) >>> 0 || 1;
    const n = opts.entries;
    this.vpn = new Float64Array(n);
    this.shift = new Uint8Array(n);
    this.regime = new Uint8Array(n);
    this.vmid = new Int32Array(n);
    this.asid = new Int32Array(n);
    this.stamp = new Float64Array(n);
    this.seq = new Float64Array(n);
    this.valid = new Uint8Array(n);
    this.vaHi = new Uint32Array(n);
    this.vaLo = new Uint32Array(n);
    this.ipa = new Float64Array(n);
    this.pa = new Float64Array(n);
    this.paPage = new Float64Array(n);
    this.s1Size = new Float64Array(n);
    this.s2Size = new Float64Array(n);
    this.s1Level = new Int8Array(n);
    this.s2Level = new Int8Array(n);
    this.perms = new Uint16Array(n);
    this.attrs = new Int8Array(5 * n);
    this.tAsid = new Int32Array(n);
    this.tVmid = new Int32Array(n);
    this.orig = new Array<Translation | undefined>(n).fill(undefined);
    this.order = new Int32Array(n);
    this.setCount = new Int32Array(this.sets);
    let bits = 4;
    while (1 << bits < 2 * n) bits++;
    this.bucketBits = bits;
    this.head = new Int32Array(1 << bits).fill(-1);
    this.link = new Int32Array(n).fill(-1);
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
    const s = this.lookupSlot(vpn4k(va), regimeCode(regime), asid, vmid, KIND_INDEX[accessKind(kind)]);
    return s < 0 ? undefined : this.entry(s);
  }

  /** `lookup` by the 4 KiB page number VA[55:12] (see `pageNumber`), regime code and KIND_INDEX: the slot, or -1. */
  lookupSlot(p4: number, regime: number, asid: number, vmid: number, kind: number): number {
    const s = this.find(p4, regime, asid, vmid);
    if (s >= 0) {
      this.stamp[s] = ++this.clock;
      this.counts[kind]!++;
    } else {
      this.counts[3 + kind]!++;
    }
    return s;
  }

  /** Called with each entry an insertion displaces, by slot, with its 4 KiB page number (-1: a larger page): the CPU's host-side TLB must drop its copies. */
  onEvict: ((slot: number, vpn4k: number) => void) | null = null;

  /**
   * A hit served by the CPU's host-side TLB from a copy of the entry in `slot`: counted as a hit
   * of this level and made most recently used, exactly as if `lookup` had found it. `kind` is KIND_INDEX's.
   */
  touch(slot: number, kind: number): void {
    this.stamp[slot] = ++this.clock;
    this.counts[kind]!++;
  }

  /** Like `lookup` without counting or touching the replacement state. */
  peek(va: bigint, regime: TlbRegime, asid: number, vmid: number): TlbEntry | undefined {
    const s = this.find(vpn4k(va), regimeCode(regime), asid, vmid);
    return s < 0 ? undefined : this.entry(s);
  }

  /** Whether the entry in `slot` is global (matches every ASID). */
  isGlobal(slot: number): boolean {
    return this.asid[slot] === -1;
  }

  private find(p4: number, regime: number, asid: number, vmid: number): number {
    if (this.count === 0) return -1;
    const shifts = this.shifts, el2 = regime === EL2, vpns = this.vpn, link = this.link;
    for (let j = 0; j < shifts.length; j++) {
      const s = shifts[j]!;
      const vpn = s === PAGE4K_SHIFT ? p4 : Math.floor(p4 / POW2[s - PAGE4K_SHIFT]!);
      // the page's entries, in any order: `seq` decides between matches
      let best = -1;
      for (let i = this.head[this.bucket(vpn, s)]!; i >= 0; i = link[i]!) {
        if (vpns[i] === vpn && this.shift[i] === s && this.regime[i] === regime && (el2 || this.vmid[i] === vmid)
          && (this.asid[i] === -1 || this.asid[i] === asid) && (best < 0 || this.seq[i]! < this.seq[best]!)) best = i;
      }
      if (best >= 0) return best;
    }
    return -1;
  }

  /** The hash bucket of page number `vpn` (up to 44 bits) of size 2^shift. */
  private bucket(vpn: number, shift: number): number {
    const h = Math.imul((vpn >>> 0) ^ Math.imul((vpn / TWO32) >>> 0, 0x27d4eb2f) ^ Math.imul(shift, 0x85ebca6b), 0x9e3779b1);
    return (h ^ (h >>> 15)) >>> (32 - this.bucketBits);
  }

  /** Takes the entry in slot s off its bucket's chain. */
  private unchain(s: number): void {
    chainRemove(this.head, this.link, this.bucket(this.vpn[s]!, this.shift[s]!), s);
  }

  /**
   * Inserts a translation for `regime`, tagged with `vmid` (EL1&0; default: the translation's
   * stage 2 VMID, else 0). An entry with the same tags is replaced; otherwise, in a full set, the
   * least recently used entry (LRU) or a seeded-random one is evicted. Returns the entry.
   */
  insert(t: Translation, regime: TlbRegime = 'el10', vmid: number = t.vmid ?? 0): TlbEntry {
    const shift = log2(t.pageSize);
    const va = BigInt.asUintN(64, t.va);
    const vaHi = Number(va >> 32n), vaLo = Number(va & 0xffffffffn);
    const s = this.fillTranslation(vaHi, vaLo, regime === 'el2' ? EL2 : EL10, vmid, shift, t.asid ?? -1, Number(t.ipa), Number(t.pa));
    this.s1Size[s] = t.s1PageSize;
    this.s2Size[s] = t.s2PageSize;
    this.s1Level[s] = t.s1Level;
    this.s2Level[s] = t.s2Level;
    const bits = (p: Perms) => (p.r ? 1 : 0) | (p.w ? 2 : 0) | (p.x ? 4 : 0);
    this.perms[s] = bits(t.s1Perms.user) | (bits(t.s1Perms.priv) << 3) | (bits(t.s2Perms) << 6);
    const a = 5 * s;
    this.attrs[a] = t.attrs.attrIndx;
    this.attrs[a + 1] = t.attrs.sh;
    this.attrs[a + 2] = t.attrs.ns ? 1 : 0;
    this.attrs[a + 3] = t.attrs.s2MemAttr;
    this.attrs[a + 4] = t.attrs.s2Sh;
    this.tAsid[s] = t.asid ?? -1;
    this.tVmid[s] = t.vmid ?? -1;
    this.orig[s] = t;
    return this.entry(s);
  }

  /** Inserts a walk's result (`o`) for the VA given as its two words; returns the slot. */
  fill(o: WalkOut, vaHi: number, vaLo: number, regime: number, vmid: number): number {
    const s = this.fillTranslation(vaHi, vaLo, regime, vmid, o.pageShift, o.global ? -1 : o.asid, o.ipa, o.pa);
    this.s1Size[s] = o.s1Size;
    this.s2Size[s] = o.s2Size;
    this.s1Level[s] = o.s1Level;
    this.s2Level[s] = o.s2Level;
    this.perms[s] = o.perms;
    const a = 5 * s;
    this.attrs[a] = o.attrIndx;
    this.attrs[a + 1] = o.sh;
    this.attrs[a + 2] = o.ns ? 1 : 0;
    this.attrs[a + 3] = o.s2MemAttr;
    this.attrs[a + 4] = o.s2Sh;
    this.tAsid[s] = o.global ? -1 : o.asid;
    this.tVmid[s] = o.vmid;
    this.orig[s] = undefined;
    return s;
  }

  /** Places an entry and writes its tags and addresses (the caller writes the rest); returns its slot. */
  private fillTranslation(vaHi: number, vaLo: number, regime: number, vmid: number, shift: number, tAsid: number, ipa: number, pa: number): number {
    // VA[55:shift]; the offset of the VA in its page (shift <= 32 in Armv8.0: 1 GiB blocks at most)
    const h = vaHi & 0xffffff;
    const vpn = shift <= 32 ? h * POW2[32 - shift]! + Math.floor(vaLo / POW2[shift]!) : Math.floor(h / POW2[shift - 32]!);
    const off = shift <= 32 ? modPow2(vaLo, POW2[shift]!) : modPow2(h, POW2[shift - 32]!) * TWO32 + vaLo;
    const s = this.place(vpn, shift, regime, regime === EL2 ? 0 : vmid, regime === EL2 ? -1 : tAsid);
    this.vaHi[s] = vaHi;
    this.vaLo[s] = vaLo;
    this.ipa[s] = ipa;
    this.pa[s] = pa;
    this.paPage[s] = pa - off;
    return s;
  }

  /** Inserts a copy of another level's entry (an L1 refill from the L2); returns the slot. */
  copy(from: Tlb, j: number): number {
    const s = this.place(from.vpn[j]!, from.shift[j]!, from.regime[j]!, from.vmid[j]!, from.asid[j]!);
    this.vaHi[s] = from.vaHi[j]!;
    this.vaLo[s] = from.vaLo[j]!;
    this.ipa[s] = from.ipa[j]!;
    this.pa[s] = from.pa[j]!;
    this.paPage[s] = from.paPage[j]!;
    this.s1Size[s] = from.s1Size[j]!;
    this.s2Size[s] = from.s2Size[j]!;
    this.s1Level[s] = from.s1Level[j]!;
    this.s2Level[s] = from.s2Level[j]!;
    this.perms[s] = from.perms[j]!;
    for (let k = 0; k < 5; k++) this.attrs[5 * s + k] = from.attrs[5 * j + k]!;
    this.tAsid[s] = from.tAsid[j]!;
    this.tVmid[s] = from.tVmid[j]!;
    this.orig[s] = from.orig[j];
    return s;
  }

  /** The slot for an entry with these tags: the one with the same tags, a free way of its set, or the victim. */
  private place(vpn: number, shift: number, regime: number, vmid: number, asid: number): number {
    const set = setOf(vpn, this.sets, this.setMask), base = set * this.ways, n = this.setCount[set]!;
    const stamp = ++this.clock, seq = ++this.seqClock;
    // the entry with the same tags (at most one): it stays on its chain; a new one joins one
    let s = -1, joins = true;
    const vpns = this.vpn, link = this.link, b = this.bucket(vpn, shift);
    for (let i = this.head[b]!; i >= 0; i = link[i]!) {
      if (vpns[i] === vpn && this.shift[i] === shift && this.regime[i] === regime && this.vmid[i] === vmid && this.asid[i] === asid) s = i;
    }
    if (s >= 0) {
      this.onEvict?.(s, this.shift[s] === PAGE4K_SHIFT ? this.vpn[s]! : -1);
      joins = false;
    } else if (n < this.ways) {
      s = base;
      while (this.valid[s] === 1) s++;
      this.valid[s] = 1;
      this.order[base + n] = s;
      this.setCount[set] = n + 1;
      this.count++;
      this.addShift(shift);
    } else {
      if (this.replacement === 'lru') {
        // the set is full: every slot holds an entry; the least recently used one (stamps are unique)
        const stamps = this.stamp, end = base + this.ways;
        s = base;
        for (let i = base + 1; i < end; i++) if (stamps[i]! < stamps[s]!) s = i;
      } else {
        s = this.order[base + (this.nextRandom() % this.ways)]!;
      }
      this.onEvict?.(s, this.shift[s] === PAGE4K_SHIFT ? this.vpn[s]! : -1);
      this.evictions++;
      this.unchain(s);
      if (this.shift[s] !== shift) {
        this.removeShift(this.shift[s]!);
        this.addShift(shift);
      }
    }
    this.vpn[s] = vpn;
    this.shift[s] = shift;
    if (joins) chainInsert(this.head, link, b, s);
    this.regime[s] = regime;
    this.vmid[s] = vmid;
    this.asid[s] = asid;
    this.stamp[s] = stamp;
    this.seq[s] = seq;
    return s;
  }

  /** Removes every entry `pred` selects (by slot); returns how many. */
  invalidate(pred: (t: Tlb, slot: number) => boolean): number {
    let removed = 0;
    for (let set = 0; set < this.sets; set++) {
      const base = set * this.ways, n = this.setCount[set]!;
      let kept = 0;
      for (let k = 0; k < n; k++) {
        const i = this.order[base + k]!;
        if (pred(this, i)) {
          this.removeShift(this.shift[i]!);
          this.unchain(i);
          this.valid[i] = 0;
          this.orig[i] = undefined;
        } else {
          this.order[base + kept++] = i;
        }
      }
      this.setCount[set] = kept;
      removed += n - kept;
    }
    this.count -= removed;
    this.invalidations += removed;
    return removed;
  }

  /** Every valid entry (set by set, in way order). */
  *all(): IterableIterator<TlbEntry> {
    for (let set = 0; set < this.sets; set++) {
      for (let k = 0; k < this.setCount[set]!; k++) yield this.entry(this.order[set * this.ways + k]!);
    }
  }

  /** A read-only view of the entry in `slot` (allocated: for tests and reports, not the fast path). */
  entry(s: number): TlbEntry {
    const shift = this.shift[s]!;
    const vpn = this.vpn[s]!;
    const va = (BigInt(this.vaHi[s]!) << 32n) | BigInt(this.vaLo[s]!);
    const off = this.pa[s]! - this.paPage[s]!;
    return {
      t: this.orig[s] ?? this.translation(s, va),
      regime: this.regime[s] === EL2 ? 'el2' : 'el10', vmid: this.vmid[s]!, asid: this.asid[s] === -1 ? undefined : this.asid[s],
      shift, vpn, vaBase: BigInt(vpn) << BigInt(shift), ipaBase: BigInt(this.ipa[s]! - off), paBase: BigInt(this.paPage[s]!), paPage: this.paPage[s]!,
    };
  }

  private translation(s: number, va: bigint): Translation {
    const p = this.perms[s]!;
    const perms = (b: number): Perms => ({ r: (b & 1) !== 0, w: (b & 2) !== 0, x: (b & 4) !== 0 });
    const s1Perms = { user: perms(p), priv: perms(p >>> 3) }, s2Perms = perms(p >>> 6);
    const and = (a: Perms, b: Perms): Perms => ({ r: a.r && b.r, w: a.w && b.w, x: a.x && b.x });
    const a = 5 * s;
    return {
      va, ipa: BigInt(this.ipa[s]!), pa: BigInt(this.pa[s]!), pageSize: 2 ** this.shift[s]!, s1PageSize: this.s1Size[s]!, s2PageSize: this.s2Size[s]!,
      s1Level: this.s1Level[s]!, s2Level: this.s2Level[s]!, s1Perms, s2Perms, perms: { user: and(s1Perms.user, s2Perms), priv: and(s1Perms.priv, s2Perms) },
      attrs: { attrIndx: this.attrs[a]!, sh: this.attrs[a + 1]!, ns: this.attrs[a + 2] === 1, s2MemAttr: this.attrs[a + 3]!, s2Sh: this.attrs[a + 4]! },
      asid: this.tAsid[s] === -1 ? undefined : this.tAsid[s], global: this.tAsid[s] === -1, vmid: this.tVmid[s] === -1 ? undefined : this.tVmid[s],
      fetches: { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0], total: 0 },
    };
  }

  /** The VA (unsigned 64-bit) and IPA of the translation in `slot` (for the permission faults of a hit). */
  vaOf(s: number): bigint {
    return (BigInt(this.vaHi[s]!) << 32n) | BigInt(this.vaLo[s]!);
  }
  ipaOf(s: number): number {
    return this.ipa[s]!;
  }

  private addShift(s: number): void {
    if (this.shiftCount[s]!++ === 0) {
      const out: number[] = [];
      for (let k = 0; k < 64; k++) if (this.shiftCount[k]! > 0) out.push(k);
      this.shifts = out;
    }
  }

  private removeShift(s: number): void {
    if (--this.shiftCount[s]! === 0) this.shifts = this.shifts.filter((k) => k !== s);
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

/** The result of a hierarchy lookup (`TlbHierarchy.find`): where it hit, the L1 slot, its cost. Reused. */
export class TlbHit {
  /** 1 (L1), 2 (L2, refilled into the L1), 0 (miss). */
  level = 0;
  /** The L1 slot holding the translation; -1 on a miss. */
  slot = -1;
  cycles = 0;
}

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
    const k = KIND_INDEX[accessKind(kind)];
    const r = this.find(vpn4k(va), regimeCode(regime), asid, vmid, k, new TlbHit());
    if (r.level === 0) return { level: 'miss', translation: undefined, cycles: r.cycles };
    const e = (k === 0 ? this.l1i : this.l1d).entry(r.slot);
    const off = (va & VA56) - e.vaBase;
    return { level: r.level === 1 ? 'l1' : 'l2', translation: e.t, entry: e, ipa: e.ipaBase + off, pa: e.paBase + off, cycles: r.cycles };
  }

  /** `lookup` by the 4 KiB page number VA[55:12] (`pageNumber`), regime code (0 EL1&0, 1 EL2) and KIND_INDEX, into `r`. */
  find(p4: number, regime: number, asid: number, vmid: number, kind: number, r: TlbHit): TlbHit {
    const l1 = kind === 0 ? this.l1i : this.l1d;
    const l1latency = kind === 0 ? this.config.l1i.latency : this.config.l1d.latency;
    const s1 = l1.lookupSlot(p4, regime, asid, vmid, kind);
    if (s1 >= 0) {
      r.level = 1;
      r.slot = s1;
      r.cycles = l1latency;
      return r;
    }
    r.cycles = l1latency + this.config.l2.latency;
    const s2 = this.l2.lookupSlot(p4, regime, asid, vmid, kind);
    r.level = s2 >= 0 ? 2 : 0;
    r.slot = s2 >= 0 ? l1.copy(this.l2, s2) : -1;
    return r;
  }

  /** Fills the L2 and the L1 for `kind` with a walk's result; returns the L1 entry. */
  insert(t: Translation, regime: TlbRegime, vmid: number, kind: Access | TlbAccessKind): TlbEntry {
    this.l2.insert(t, regime, vmid);
    return (accessKind(kind) === 'instruction' ? this.l1i : this.l1d).insert(t, regime, vmid);
  }

  /** Fills the L2 and the L1 for KIND_INDEX `kind` with a walk's result (`o`) for the VA's words; returns the L1 slot. */
  fill(o: WalkOut, vaHi: number, vaLo: number, regime: number, vmid: number, kind: number): number {
    this.l2.fill(o, vaHi, vaLo, regime, vmid);
    return (kind === 0 ? this.l1i : this.l1d).fill(o, vaHi, vaLo, regime, vmid);
  }

  /** Removes what `pred` selects from every level; returns the number of entries removed. */
  invalidate(pred: (t: Tlb, slot: number) => boolean): number {
    return this.l1i.invalidate(pred) + this.l1d.invalidate(pred) + this.l2.invalidate(pred);
  }
}

// ---------------------------------------------------------------------------------------------
// TLBI

export { TLBI_OPS, baseOp, decodeTlbi, tlbiAsid, tlbiIpa, tlbiVa, type TlbiContext, type TlbiOp, type TlbiRecord };

/**
 * Whether the entry in slot i of `t` is in a TLBI's scope. These TLBs hold leaf, combined stage
 * 1+2 entries, so the record's stage and level select nothing here: an entry goes when its
 * regime, VMID and ASID match and it covers the address — for an IPA, when it was built with
 * stage 2 and its stage 2 page/block contains the IPA. (For IPAS2E1 the architecture only
 * requires stage-2-only entries to go and has software follow with VMALLE1 for combined ones;
 * removing the combined entries derived from that stage 2 entry is a permitted
 * over-invalidation, and the one the stage 2 change makes stale.)
 */
export function tlbiMatches(r: TlbiRecord, t: Tlb, i: number): boolean {
  if (t.regime[i] !== (r.regime === 'el2' ? EL2 : EL10)) return false;
  if (r.vmid >= 0 && t.vmid[i] !== r.vmid) return false;
  if (r.asid >= 0 && t.asid[i] !== r.asid && (r.nonGlobalOnly || t.asid[i] !== -1)) return false;
  if (r.address === 'va') return t.vpn[i] === Math.floor(r.vaPage / POW2[t.shift[i]! - PAGE4K_SHIFT]!);
  if (r.address === 'ipa') {
    const s2 = t.s2Size[i]!;
    return s2 !== 0 && t.tVmid[i] !== -1 && Math.floor(t.ipaOf(i) / s2) === Math.floor(Number(r.ipa) / s2);
  }
  return true;
}

/**
 * Executes `TLBI op, Xt` on the hierarchy (every level). The IS (Inner Shareable) forms are the
 * same as the local ones on this one-CPU machine. Counts the operation in `tlbiCounts[op]`
 * (upper case, as given) and returns the number of entries removed. Throws on an unknown op
 * (the decoder only hands over the operations listed in TLBI_OPS, with or without IS).
 */
export function tlbi(hierarchy: TlbHierarchy, op: string, xt: bigint, ctx: TlbiContext): number {
  return tlbiRecord(hierarchy, decodeTlbi(op, xt, ctx));
}

/** `tlbi` with the operation already decoded. */
export function tlbiRecord(hierarchy: TlbHierarchy, r: TlbiRecord): number {
  hierarchy.tlbiCounts[r.op] = (hierarchy.tlbiCounts[r.op] ?? 0) + 1;
  return hierarchy.invalidate((t, i) => tlbiMatches(r, t, i));
}
