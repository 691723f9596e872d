// Walk caches (DESIGN.md §4; issue 4 item 3): what lets a TLB miss skip some of
// its descriptor fetches.
//   - `WalkCache`, one per stage: table descriptors of levels 0-2, each keyed by
//     the input-address bits above the region it maps. A walk starts below the
//     deepest level cached for its address (Arm's "intermediate caching"; the
//     page walk caches of Bhargava et al., ASPLOS 2008).
//   - `NestedTlb`: IPA -> PA of the stage 1 descriptor fetches of a nested walk,
//     so a hit skips that fetch's whole stage 2 walk.
// Both are fully associative with LRU replacement (a Map's insertion order is its
// recency order). The TLBIs that may remove them: `walkCacheScope`.
import { baseOp, tlbiAsid, tlbiIpa, tlbiVa, type TlbiContext } from './tlb.js';

/** A cached table descriptor: the next table's address, and the table attributes accumulated down to it. */
export interface CachedTable {
  /** Level of the table descriptor (0..2); the walk goes on at level + 1. */
  readonly level: number;
  /** Address of the next-level table (an IPA for stage 1 under stage 2, else a PA). */
  readonly next: number;
  readonly apTableRO: boolean;
  readonly apTableNoEl0: boolean;
  readonly xnTable: boolean;
  readonly pxnTable: boolean;
}

/** What a walk cache entry is tagged with (for lookups and for the TLBI scopes). */
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

interface Entry extends CachedTable {
  stamp: number;
  readonly tag: WalkTag;
  /** Input address range this descriptor maps: [base, base + size). */
  readonly base: bigint;
  readonly size: bigint;
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

function tagKey(t: WalkTag): string {
  return `${t.stage}${t.regime}/${t.vmid}/${t.asid}/${t.half}/${t.granuleBits}`;
}

/** Fully associative, LRU (a last-use stamp per entry: a hit costs no reordering), keyed by tag, level and address prefix. */
abstract class LruCache<E extends { readonly tag: WalkTag; readonly base: bigint; readonly size: bigint; stamp: number }> {
  protected readonly map = new Map<string, E>();
  private clock = 0;
  constructor(readonly capacity: number) {}

  protected get(key: string): E | undefined {
    const e = this.map.get(key);
    if (e) e.stamp = ++this.clock;
    return e;
  }

  protected put(key: string, e: E): void {
    if (!this.map.has(key) && this.map.size >= this.capacity) {
      let victim: string | undefined, oldest = Infinity;
      for (const [k, x] of this.map) if (x.stamp < oldest) { oldest = x.stamp; victim = k; }
      this.map.delete(victim!);
    }
    e.stamp = ++this.clock;
    this.map.set(key, e);
  }

  get size(): number {
    return this.map.size;
  }

  /** Removes the entries `pred` selects; returns how many. */
  invalidate(pred: (tag: WalkTag, base: bigint, size: bigint) => boolean): number {
    let n = 0;
    for (const [k, e] of this.map) {
      if (pred(e.tag, e.base, e.size)) {
        this.map.delete(k);
        n++;
      }
    }
    return n;
  }
}

export class WalkCache extends LruCache<Entry> {
  readonly stats: WalkCacheStats = { hits: 0, misses: 0, hitsByLevel: [0, 0, 0, 0] };

  /**
   * The deepest cached table descriptor for `input` (the input address's bits below the regime's
   * input size, as a Number) at levels startLevel..2, counting a hit or a miss.
   */
  lookup(tag: WalkTag, input: number, startLevel: number): CachedTable | undefined {
    const t = tagKey(tag);
    for (let level = 2; level >= startLevel; level--) {
      const e = this.get(`${t}/${level}/${Math.floor(input / 2 ** regionShift(tag.granuleBits, level))}`);
      if (e) {
        this.stats.hits++;
        this.stats.hitsByLevel[level]++;
        return e;
      }
    }
    this.stats.misses++;
    return undefined;
  }

  /** Caches `d` for `input` (as for lookup); `high` is the address bits above it (TTBR1's ones), for the TLBI scopes. */
  insert(tag: WalkTag, input: number, high: bigint, d: CachedTable): void {
    const shift = regionShift(tag.granuleBits, d.level);
    const prefix = Math.floor(input / 2 ** shift);
    this.put(`${tagKey(tag)}/${d.level}/${prefix}`, {
      level: d.level, next: d.next, apTableRO: d.apTableRO, apTableNoEl0: d.apTableNoEl0, xnTable: d.xnTable, pxnTable: d.pxnTable,
      tag, base: high | BigInt(prefix * 2 ** shift), size: 2n ** BigInt(shift), stamp: 0,
    });
  }
}

interface NestedEntry {
  stamp: number;
  readonly tag: WalkTag;
  readonly base: bigint;
  readonly size: bigint;
  readonly pa: number;
}

const PAGE = 4096n;

/** IPA -> PA, per 4 KiB IPA page, of the tables that stage 1 walks read under stage 2. */
export class NestedTlb extends LruCache<NestedEntry> {
  readonly stats = { hits: 0, misses: 0 };

  lookup(vmid: number, ipa: number): number | undefined {
    const e = this.get(`${vmid}/${Math.floor(ipa / 4096)}`);
    if (e) this.stats.hits++;
    else this.stats.misses++;
    return e ? e.pa + (ipa % 4096) : undefined;
  }

  insert(vmid: number, ipa: number, pa: number): void {
    const page = Math.floor(ipa / 4096);
    const tag: WalkTag = { stage: 2, regime: 'el10', vmid, asid: 0, half: 0, granuleBits: 12, leaf: true };
    this.put(`${vmid}/${page}`, { tag, base: BigInt(page * 4096), size: PAGE, pa: pa - (ipa % 4096), stamp: 0 });
  }
}

const covers = (base: bigint, size: bigint, a: bigint) => a >= base && a < base + size;

/**
 * What a TLBI removes from the walk caches and the nested TLB (Arm ARM D5.10: the non-"L"
 * forms invalidate cached copies of every level; the last-level forms VALE1, VAALE1, VALE2
 * leave intermediate entries, and IPAS2LE1 touches only the nested TLB's last-level IPA->PA
 * results). The VA forms ignore the ASID, since table entries have no nG (a permitted
 * over-invalidation). Returns undefined when the operation leaves walk caches alone.
 */
export function walkCacheScope(op: string, xt: bigint, ctx: TlbiContext): ((tag: WalkTag, base: bigint, size: bigint) => boolean) | undefined {
  const b = baseOp(op);
  const s1el10 = (t: WalkTag) => t.stage === 1 && t.regime === 'el10' && t.vmid === ctx.vmid;
  switch (b) {
    case 'VMALLE1':
      return (t) => s1el10(t);
    case 'VAE1':
    case 'VAAE1': {
      const va = tlbiVa(xt);
      return (t, base, size) => s1el10(t) && covers(base, size, va);
    }
    case 'ASIDE1': {
      const asid = tlbiAsid(xt, ctx.asid16);
      return (t) => s1el10(t) && t.asid === asid;
    }
    case 'IPAS2E1':
    case 'IPAS2LE1': {
      const ipa = tlbiIpa(xt);
      const last = b === 'IPAS2LE1';
      return (t, base, size) => t.stage === 2 && t.vmid === ctx.vmid && covers(base, size, ipa) && (!last || t.leaf === true);
    }
    case 'VMALLS12E1':
      return (t) => t.regime === 'el10' && t.vmid === ctx.vmid;
    case 'ALLE1':
      return (t) => t.regime === 'el10';
    case 'ALLE2':
      return (t) => t.regime === 'el2';
    case 'VAE2': {
      const va = tlbiVa(xt);
      return (t, base, size) => t.regime === 'el2' && covers(base, size, va);
    }
    default:
      return undefined;
  }
}
