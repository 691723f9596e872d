// Walk caches (DESIGN.md §4; issue 4 item 3): what lets a TLB miss skip some of
// its descriptor fetches.
//   - `WalkCache`, one per stage: table descriptors of levels 0-2, each keyed by
//     the input-address bits above the region it maps. A walk starts below the
//     deepest level cached for its address (Arm's "intermediate caching"; the
//     page walk caches of Bhargava et al., ASPLOS 2008).
//   - `NestedTlb`: IPA -> PA of the stage 1 descriptor fetches of a nested walk,
//     so a hit skips that fetch's whole stage 2 walk.
// Both are fully associative with LRU replacement (a last-use stamp per entry).
// Entries live in typed-array columns, found through a small hash of their key
// (tag, level, address prefix): a lookup or an insertion allocates nothing.
// The TLBIs that may remove them: `walkCacheScope`.
import type { TlbiRecord } from './tlbi.js';
import { POW2, TWO32, modPow2 } from './pow2.js';
import { chainInsert, chainRemove } from './hash-chain.js';

/** What a walk cache entry is tagged with (for the TLBI scopes). */
export interface WalkTag {
  readonly stage: 1 | 2;
  /** Stage 1: 'el10' or 'el2'; stage 2: 'el10'. */
  readonly regime: 'el10' | 'el2';
  /** EL1&0 and stage 2: the VMID; EL2: 0. */
  readonly vmid: number;
  /** Stage 1 EL1&0: the ASID and TTBR half (table descriptors carry no nG, so every entry is tagged); else 0. */
  readonly asid: number;
  readonly half: number;
  readonly granuleBits: number;
  /** A nested TLB entry: a last-level (IPA -> PA) result, which IPAS2LE1 removes; walk cache entries are intermediate. */
  readonly leaf?: true;
}

export interface WalkCacheStats {
  /** Lookups that let the walk skip at least one level, by the level of the deepest descriptor found. */
  hits: number;
  misses: number;
  hitsByLevel: number[];
}

/** Input address bits below a level-`level` descriptor's region: log2 of the region size. */
function regionShift(granuleBits: number, level: number): number {
  return (3 - level) * (granuleBits - 3) + granuleBits;
}

/**
 * The small part of a tag as one integer (`k2`): stage, regime, TTBR half, granule, level, leaf.
 * `tagBits` leaves the level out (the lookup adds each level it probes).
 */
export function tagBits(stage: 1 | 2, el2: boolean, half: number, granuleBits: number): number {
  return (stage - 1) | ((el2 ? 1 : 0) << 1) | (half << 2) | (((granuleBits - 12) >> 1) << 3);
}
const LEVEL_SHIFT = 5;
const LEAF_BIT = 1 << 7;
/** The VMID and ASID of a tag as one integer (`k3`). */
export const idBits = (vmid: number, asid: number) => vmid * 65536 + asid;



/** Fully associative, LRU: keys (k1 a Number of up to 48 bits, k2 and k3 small integers), stamps, and a hash chain per bucket. */
abstract class LruTable {
  protected readonly k1: Float64Array;
  protected readonly k2: Int32Array;
  protected readonly k3: Float64Array;
  private readonly stamp: Float64Array;
  private readonly valid: Uint8Array;
  private readonly head: Int32Array;
  private readonly link: Int32Array;
  private readonly hashShift: number;
  private clock = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.k1 = new Float64Array(capacity);
    this.k2 = new Int32Array(capacity);
    this.k3 = new Float64Array(capacity);
    this.stamp = new Float64Array(capacity);
    this.valid = new Uint8Array(capacity);
    this.link = new Int32Array(capacity).fill(-1);
    let bits = 4;
    while (1 << bits < 4 * capacity) bits++;
    this.head = new Int32Array(1 << bits).fill(-1);
    this.hashShift = 32 - bits;
  }

  private bucket(k1: number, k2: number, k3: number): number {
    const lo = k1 >>> 0, hi = (k1 / TWO32) >>> 0;
    const h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f), 0x9e3779b1) ^ Math.imul(k2 + 1, 0x85ebca6b) ^ Math.imul(k3 >>> 0, 0xc2b2ae35);
    return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> this.hashShift;
  }

  /** The slot holding the key, or -1 (no replacement state change). */
  protected find(k1: number, k2: number, k3: number): number {
    for (let s = this.head[this.bucket(k1, k2, k3)]!; s >= 0; s = this.link[s]!) {
      if (this.k1[s] === k1 && this.k2[s] === k2 && this.k3[s] === k3) return s;
    }
    return -1;
  }

  /** Makes slot s most recently used. */
  protected use(s: number): void {
    this.stamp[s] = ++this.clock;
  }

  /** The slot for a key being (re)written: its own if present, else a free one, else the LRU entry's. Made most recently used. */
  protected place(k1: number, k2: number, k3: number): number {
    let s = this.find(k1, k2, k3);
    if (s < 0) {
      if (this.count >= this.capacity) {
        let oldest = Infinity;
        for (let i = 0; i < this.capacity; i++) if (this.valid[i] === 1 && this.stamp[i]! < oldest) { oldest = this.stamp[i]!; s = i; }
        this.remove(s);
      }
      s = this.valid.indexOf(0);
      this.valid[s] = 1;
      this.count++;
      this.k1[s] = k1;
      this.k2[s] = k2;
      this.k3[s] = k3;
      chainInsert(this.head, this.link, this.bucket(k1, k2, k3), s);
    }
    this.stamp[s] = ++this.clock;
    return s;
  }

  private remove(s: number): void {
    chainRemove(this.head, this.link, this.bucket(this.k1[s]!, this.k2[s]!, this.k3[s]!), s);
    this.valid[s] = 0;
    this.count--;
  }

  get size(): number {
    return this.count;
  }

  /** The tag and input range of slot s (for the TLBI scopes). */
  protected abstract describe(s: number): { tag: WalkTag; base: bigint; size: bigint };

  /** Removes the entries `pred` selects; returns how many. */
  invalidate(pred: (tag: WalkTag, base: bigint, size: bigint) => boolean): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) {
      if (this.valid[s] !== 1) continue;
      const d = this.describe(s);
      if (pred(d.tag, d.base, d.size)) {
        this.remove(s);
        n++;
      }
    }
    return n;
  }

  protected tagOf(s: number): WalkTag {
    const k2 = this.k2[s]!, k3 = this.k3[s]!;
    const tag: WalkTag = {
      stage: (k2 & 1) === 0 ? 1 : 2, regime: (k2 & 2) === 0 ? 'el10' : 'el2', vmid: Math.floor(k3 / 65536), asid: k3 % 65536,
      half: (k2 >> 2) & 1, granuleBits: 12 + 2 * ((k2 >> 3) & 3),
    };
    return (k2 & LEAF_BIT) !== 0 ? { ...tag, leaf: true } : tag;
  }
}

/** Table attribute bits accumulated down a walk (a cached entry's `flags`). */
export const AP_TABLE_RO = 1, AP_TABLE_NO_EL0 = 2, XN_TABLE = 4, PXN_TABLE = 8;

export class WalkCache extends LruTable {
  readonly stats: WalkCacheStats = { hits: 0, misses: 0, hitsByLevel: [0, 0, 0, 0] };
  /** Of each entry: the level of its table descriptor (0..2; the walk goes on at level + 1), the next table's address (an IPA for stage 1 under stage 2, else a PA), and the table attributes accumulated down to it. */
  readonly level: Uint8Array;
  readonly next: Float64Array;
  readonly flags: Uint8Array;
  /** The input size of the regime (for the TTBR1 range a TLBI VA compares with). */
  private readonly inputBits: Uint8Array;

  constructor(capacity: number) {
    super(capacity);
    this.level = new Uint8Array(capacity);
    this.next = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.inputBits = new Uint8Array(capacity);
  }

  /**
   * The slot of the deepest cached table descriptor for `input` (the input address's bits below
   * the regime's input size, as a Number) at levels startLevel..2, counting a hit or a miss; -1 on a miss.
   * `tag` and `ids` are the tag's `tagBits` and `idBits`.
   */
  lookup(tag: number, ids: number, granuleBits: number, input: number, startLevel: number): number {
    for (let level = 2; level >= startLevel; level--) {
      const s = this.find(Math.floor(input / POW2[regionShift(granuleBits, level)]!), tag | (level << LEVEL_SHIFT), ids);
      if (s >= 0) {
        this.use(s);
        this.stats.hits++;
        this.stats.hitsByLevel[level]!++;
        return s;
      }
    }
    this.stats.misses++;
    return -1;
  }

  /** Caches the table descriptor of `level` for `input` (as for lookup): the next table and the accumulated attribute `flags`. */
  insert(tag: number, ids: number, granuleBits: number, inputBits: number, input: number, level: number, next: number, flags: number): void {
    const s = this.place(Math.floor(input / POW2[regionShift(granuleBits, level)]!), tag | (level << LEVEL_SHIFT), ids);
    this.level[s] = level;
    this.next[s] = next;
    this.flags[s] = flags;
    this.inputBits[s] = inputBits;
  }

  protected describe(s: number): { tag: WalkTag; base: bigint; size: bigint } {
    const tag = this.tagOf(s);
    const shift = regionShift(tag.granuleBits, this.level[s]!);
    // a TTBR1 entry covers its region of the upper VA range: the bits above the input size are ones (to bit 55)
    const ib = BigInt(this.inputBits[s]!);
    const high = tag.stage === 1 && tag.half === 1 ? ((1n << 56n) - 1n) & ~((1n << ib) - 1n) : 0n;
    return { tag, base: high | (BigInt(this.k1[s]!) << BigInt(shift)), size: 1n << BigInt(shift) };
  }
}

/** IPA -> PA, per 4 KiB IPA page, of the tables that stage 1 walks read under stage 2. */
export class NestedTlb extends LruTable {
  readonly stats = { hits: 0, misses: 0 };
  private readonly pa: Float64Array;
  private static readonly TAG = tagBits(2, false, 0, 12) | LEAF_BIT;

  constructor(capacity: number) {
    super(capacity);
    this.pa = new Float64Array(capacity);
  }

  /** The PA of `ipa`, or -1 on a miss. */
  lookup(vmid: number, ipa: number): number {
    const s = this.find(Math.floor(ipa / 4096), NestedTlb.TAG, idBits(vmid, 0));
    if (s < 0) {
      this.stats.misses++;
      return -1;
    }
    this.use(s);
    this.stats.hits++;
    return this.pa[s]! + modPow2(ipa, 4096);
  }

  insert(vmid: number, ipa: number, pa: number): void {
    const s = this.place(Math.floor(ipa / 4096), NestedTlb.TAG, idBits(vmid, 0));
    this.pa[s] = pa - modPow2(ipa, 4096);
  }

  protected describe(s: number): { tag: WalkTag; base: bigint; size: bigint } {
    return { tag: this.tagOf(s), base: BigInt(this.k1[s]!) * 4096n, size: 4096n };
  }
}

const covers = (base: bigint, size: bigint, a: bigint) => a >= base && a < base + size;

/**
 * Whether a walk cache or nested TLB entry (its tag and input range) is in a TLBI's scope
 * (Arm ARM D5.10): the non-"L" forms invalidate cached copies of every level; the last-level
 * forms (VALE1, VAALE1, VALE2, IPAS2LE1) only last-level results, which here are the nested
 * TLB's IPA->PA entries, so intermediate entries survive them. ASIDs matter only to ASIDE1:
 * table entries have no nG, so the VA forms remove every ASID's (a permitted over-invalidation).
 */
export function walkCacheMatches(r: TlbiRecord, tag: WalkTag, base: bigint, size: bigint): boolean {
  if (r.lastLevel && tag.leaf !== true) return false;
  if (r.stage !== 0 && tag.stage !== r.stage) return false;
  if (tag.regime !== r.regime) return false;
  if (r.vmid >= 0 && tag.vmid !== r.vmid) return false;
  if (r.nonGlobalOnly && tag.asid !== r.asid) return false;
  if (r.address === 'va') return covers(base, size, r.va);
  if (r.address === 'ipa') return covers(base, size, r.ipa);
  return true;
}
