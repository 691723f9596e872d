// The MMU of the cycle model (src/mmu/mmu.ts): TLB hierarchy in front of the
// walker, walk caches and the nested TLB, costs through the data-cache
// hierarchy, and what TLBIs leave behind. Page tables as in the walker tests.
import { describe, expect, it } from 'vitest';
import { CacheHierarchy } from '../src/mem/cache.js';
import { Mmu, Translated } from '../src/mmu/mmu.js';
import type { Stage1Regime, Stage2Regime } from '../src/mmu/regime.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { AF, Mem, nested, OUT, S2RW, S2_OFFSET, s1Regime, Tables, VA } from './helpers/page-tables.js';

/** An MMU over `mem`, with `set` overrides of the cortex-a57 preset. */
function mmuOver(mem: Mem, ...set: string[]): Mmu {
  const timing = applyOverrides(loadTiming('cortex-a57'), set);
  return new Mmu(timing, new CacheHierarchy(timing), mem.read);
}

/** One load at `va` at EL1; returns the PA and what the walk fetched. */
function load(mmu: Mmu, va: bigint, s1: Stage1Regime, s2?: Stage2Regime) {
  const before = { ...mmu.walks, s1: [...mmu.walks.fetchesByLevel.s1], s2: [...mmu.walks.fetchesByLevel.s2] };
  // the CPU's addresses are signed-64 Numbers (TTBR1 addresses negative, and exact)
  const pa = mmu.translate(Number(BigInt.asIntN(64, va)), 'read', 1, s1, s2, s2?.vmid ?? 0, new Translated());
  return {
    pa: BigInt(pa),
    walked: mmu.walks.count - before.count,
    fetches: mmu.walks.fetches - before.fetches,
    s1: mmu.walks.fetchesByLevel.s1.map((v, i) => v - before.s1[i]!),
    s2: mmu.walks.fetchesByLevel.s2.map((v, i) => v - before.s2[i]!),
  };
}

const NO_WALK_CACHES = 'walkCache.enabled=false';
const VA2 = VA + 0x1000n;
const OUT2 = OUT + 0x1000n;

/** 4-level guest over 4-level host (4K), with VA and VA2 (same 2M region) mapped to OUT and OUT2. */
function nested44() {
  const n = nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: 3 });
  n.t1.map(VA2 & ~0xfffn, OUT2, 3, AF);
  n.t2.map(OUT2, OUT2 + S2_OFFSET, 3, AF | S2RW);
  return n;
}

describe('walk counts through the MMU model, cold TLB, walk caches off (DESIGN.md §4.1)', () => {
  it('native 4 levels: 4; then a TLB hit: no walk', () => {
    const mem = new Mem();
    const t = new Tables(mem, 12, 0, 48);
    t.map(VA & ~0xfffn, OUT, 3, AF);
    const mmu = mmuOver(mem, NO_WALK_CACHES);
    expect(load(mmu, VA, s1Regime(t.root))).toMatchObject({ pa: OUT | 0xabcn, walked: 1, fetches: 4, s1: [1, 1, 1, 1] });
    expect(load(mmu, VA, s1Regime(t.root))).toMatchObject({ walked: 0, fetches: 0 });
    expect(mmu.tlb.l1d.stats).toMatchObject({ hits: 1, misses: 1 });
    expect(mmu.walks.fetchesPerWalk).toEqual({ 4: 1 });
  });

  it('4+4 levels: 24, and again 24 for a second page of the same 2M region', () => {
    const n = nested44();
    const mmu = mmuOver(n.mem, NO_WALK_CACHES);
    expect(load(mmu, VA, n.s1, n.s2)).toMatchObject({ pa: OUT + S2_OFFSET | 0xabcn, fetches: 24, s1: [1, 1, 1, 1], s2: [5, 5, 5, 5] });
    expect(load(mmu, VA2, n.s1, n.s2)).toMatchObject({ pa: OUT2 + S2_OFFSET | 0xabcn, fetches: 24 });
    expect(mmu.walks.fetchesByStage).toEqual({ s1: 8, s2: 40 });
  });

  it('4+3 (40-bit IPA, concatenated start tables): 19; 3+3 with 2M blocks: 15; 2+2 with 64K: 8', () => {
    const a = nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 1, inputBits: 40, sl0: 1, leaf: 3, concat: 2 });
    expect(load(mmuOver(a.mem, NO_WALK_CACHES), VA, a.s1, a.s2).fetches).toBe(19);
    const b = nested({ g: 12, start: 0, inputBits: 48, leaf: 2 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: 2 });
    expect(load(mmuOver(b.mem, NO_WALK_CACHES), VA, b.s1, b.s2).fetches).toBe(15);
    const va = 0x2_1234_5678n;
    const c = nested({ g: 16, start: 2, inputBits: 42, leaf: 3 }, { g: 16, start: 2, inputBits: 42, sl0: 1, leaf: 3 }, va);
    expect(load(mmuOver(c.mem, NO_WALK_CACHES), va, c.s1, c.s2).fetches).toBe(8);
  });
});

describe('walk caches and the nested TLB', () => {
  it('native: a second miss in the same 2M region fetches only the level 3 descriptor', () => {
    const mem = new Mem();
    const t = new Tables(mem, 12, 0, 48);
    t.map(VA & ~0xfffn, OUT, 3, AF);
    t.map(VA2 & ~0xfffn, OUT2, 3, AF);
    const mmu = mmuOver(mem);
    expect(load(mmu, VA, s1Regime(t.root)).s1).toEqual([1, 1, 1, 1]);
    expect(load(mmu, VA2, s1Regime(t.root))).toMatchObject({ pa: OUT2 | 0xabcn, fetches: 1, s1: [0, 0, 0, 1] });
    expect(mmu.s1Cache!.stats).toEqual({ hits: 1, misses: 1, hitsByLevel: [0, 0, 1, 0] });
  });

  it('4+4: the first walk already reuses stage 2 table entries; the second makes 2 fetches', () => {
    const n = nested44();
    const mmu = mmuOver(n.mem);
    // the guest tables share one 2M IPA region: after the first stage 2 walk (4 fetches), each
    // other table's stage 2 walk starts at level 3; the final IPA (another 2M region, same 1G) at level 2
    expect(load(mmu, VA, n.s1, n.s2)).toMatchObject({ fetches: 13, s1: [1, 1, 1, 1], s2: [1, 1, 2, 5] });
    expect(mmu.s2Cache!.stats.hitsByLevel).toEqual([0, 1, 3, 0]);
    // second page: stage 1 resumes at level 3, whose table's IPA the nested TLB holds; the
    // final IPA's stage 2 walk resumes at level 3
    expect(load(mmu, VA2, n.s1, n.s2)).toMatchObject({ pa: OUT2 + S2_OFFSET | 0xabcn, fetches: 2, s1: [0, 0, 0, 1], s2: [0, 0, 0, 1] });
    expect(mmu.s1Cache!.stats.hitsByLevel).toEqual([0, 0, 1, 0]);
    expect(mmu.nested!.stats.hits).toBe(1);
  });

  it('without the nested TLB the level 3 table fetch pays a (cached) stage 2 walk', () => {
    const n = nested44();
    const mmu = mmuOver(n.mem, 'nestedTlb.enabled=false');
    load(mmu, VA, n.s1, n.s2);
    expect(load(mmu, VA2, n.s1, n.s2)).toMatchObject({ fetches: 3, s1: [0, 0, 0, 1], s2: [0, 0, 0, 2] });
    expect(mmu.nested).toBeUndefined();
  });

  it('walkCache.s1.enabled=false leaves stage 1 walks whole', () => {
    const n = nested44();
    const mmu = mmuOver(n.mem, 'walkCache.s1.enabled=false');
    load(mmu, VA, n.s1, n.s2);
    expect(load(mmu, VA2, n.s1, n.s2).s1).toEqual([1, 1, 1, 1]);
  });
});

describe('TLBIs and stale entries', () => {
  function native() {
    const mem = new Mem();
    const t = new Tables(mem, 12, 0, 48);
    t.map(VA & ~0xfffn, OUT, 3, AF);
    t.map(VA2 & ~0xfffn, OUT2, 3, AF);
    return { mem, t, s1: s1Regime(t.root) };
  }
  const vaOp = (va: bigint) => va >> 12n;
  const ctx = { vmid: 0, asid16: false };

  it('a PTE change without a TLBI keeps using the cached translation; after TLBI VAE1 the new one', () => {
    const { mem, t, s1 } = native();
    const mmu = mmuOver(mem);
    expect(load(mmu, VA, s1).pa).toBe(OUT | 0xabcn);
    t.map(VA & ~0xfffn, OUT + 0x10_0000n, 3, AF); // remap, no TLBI
    expect(load(mmu, VA, s1)).toMatchObject({ pa: OUT | 0xabcn, walked: 0 }); // stale, as the architecture allows
    mmu.tlbi('VAE1IS', vaOp(VA), ctx);
    expect(load(mmu, VA, s1)).toMatchObject({ pa: OUT + 0x10_0000n | 0xabcn, walked: 1 });
  });

  it('VALE1 keeps the walk cache (the next walk is 1 fetch); VAE1 removes it (4 fetches)', () => {
    const { mem, s1 } = native();
    const mmu = mmuOver(mem);
    load(mmu, VA, s1);
    mmu.tlbi('VALE1', vaOp(VA), ctx);
    expect(load(mmu, VA, s1).fetches).toBe(1);
    mmu.tlbi('VAE1', vaOp(VA), ctx);
    expect(load(mmu, VA, s1).fetches).toBe(4);
    expect(mmu.tlb.tlbiCounts).toEqual({ VALE1: 1, VAE1: 1 });
  });

  it('TTBR1 (kernel) addresses: VAE1 by the VA removes their walk cache entries too', () => {
    const mem = new Mem();
    const t = new Tables(mem, 12, 0, 48);
    const kva = 0xffff_8000_1234_5abcn;
    t.map(kva & ~0xfffn, OUT, 3, AF);
    const s1 = s1Regime(0n, { epd0: true }, { ttbr1: t.root });
    const mmu = mmuOver(mem);
    expect(load(mmu, kva, s1)).toMatchObject({ pa: OUT | 0xabcn, fetches: 4 });
    mmu.tlbi('VALE1', vaOp(kva) & ((1n << 44n) - 1n), ctx);
    expect(load(mmu, kva, s1).fetches).toBe(1);
    mmu.tlbi('VAE1', vaOp(kva) & ((1n << 44n) - 1n), ctx);
    expect(load(mmu, kva, s1).fetches).toBe(4);
  });

  it('IPAS2LE1 drops the nested TLB entry only; IPAS2E1 the stage 2 walk cache too; VMALLS12E1 everything of the VMID', () => {
    const n = nested44();
    const mmu = mmuOver(n.mem);
    load(mmu, VA, n.s1, n.s2);
    const s2Entries = mmu.s2Cache!.size, nestedEntries = mmu.nested!.size;
    const tableIpa = n.t1.pages[3]!; // the guest's level 3 table
    const c5 = { vmid: 5, asid16: false };
    mmu.tlbi('IPAS2LE1IS', tableIpa >> 12n, c5);
    expect([mmu.s2Cache!.size, mmu.nested!.size]).toEqual([s2Entries, nestedEntries - 1]);
    mmu.tlbi('IPAS2E1IS', tableIpa >> 12n, c5);
    expect(mmu.s2Cache!.size).toBeLessThan(s2Entries);
    mmu.tlbi('VMALLS12E1', 0n, { vmid: 4, asid16: false }); // another VMID: nothing
    expect(mmu.s1Cache!.size).toBeGreaterThan(0);
    mmu.tlbi('VMALLS12E1', 0n, c5);
    expect([mmu.s1Cache!.size, mmu.s2Cache!.size, mmu.nested!.size, mmu.tlb.l2.size]).toEqual([0, 0, 0, 0]);
  });
});

describe('costs', () => {
  it('a walk costs its fetches through the data caches: cold DRAM, then L1 hits; TLB hits cost their latency', () => {
    const { mem, t } = (() => {
      const m = new Mem();
      const tt = new Tables(m, 12, 0, 48);
      tt.map(VA & ~0xfffn, OUT, 3, AF);
      tt.map(VA2 & ~0xfffn, OUT2, 3, AF);
      return { mem: m, t: tt };
    })();
    const mmu = mmuOver(mem, NO_WALK_CACHES);
    const r = new Translated();
    mmu.translate(Number(VA), 'read', 1, s1Regime(t.root), undefined, 0, r);
    // L1 + L2 TLB lookups (0 + 8), then 4 descriptor fetches from DRAM (200 each)
    expect(r.cycles).toBe(8 + 4 * 200);
    expect(mmu.cycles).toEqual({ tlb: 8, walkS1: 800, walkS2: 0 });
    // the second page's walk reads the same 3 upper descriptors (now L1 hits) and a level 3 descriptor in the same line
    mmu.translate(Number(VA2), 'read', 1, s1Regime(t.root), undefined, 0, r);
    expect(r.cycles).toBe(8 + 4 * 4);
    mmu.translate(Number(VA2), 'read', 1, s1Regime(t.root), undefined, 0, r);
    expect(r.cycles).toBe(0); // L1 TLB hit
  });
});

describe('tags instead of flushes', () => {
  it('switching ASID (TTBR0) or VMID needs no TLBI: each context gets its own translation', () => {
    const mem = new Mem();
    const a = new Tables(mem, 12, 0, 48), b = new Tables(mem, 12, 0, 48);
    a.map(VA & ~0xfffn, OUT, 3, AF | (1n << 11n)); // nG: tagged with the ASID
    b.map(VA & ~0xfffn, OUT2, 3, AF | (1n << 11n));
    const mmu = mmuOver(mem);
    const asA = s1Regime(a.root | (1n << 48n)), asB = s1Regime(b.root | (2n << 48n));
    expect(load(mmu, VA, asA).pa).toBe(OUT | 0xabcn);
    expect(load(mmu, VA, asB).pa).toBe(OUT2 | 0xabcn);
    expect(load(mmu, VA, asA)).toMatchObject({ pa: OUT | 0xabcn, walked: 0 });
    expect(load(mmu, VA, asB)).toMatchObject({ pa: OUT2 | 0xabcn, walked: 0 });
    // the same ASID under another VMID is another context too
    expect(BigInt(mmu.translate(Number(VA), 'read', 1, asB, undefined, 7, new Translated()))).toBe(OUT2 | 0xabcn);
    expect(mmu.walks.count).toBe(3);
  });
});
