// The TLB model: hits and misses, LRU and seeded-random replacement, set indexing, ASID / VMID /
// regime tagging, blocks, the L1/L2 hierarchy, and the exact scope of every TLBI form.
import { describe, expect, it } from 'vitest';
import { loadTiming } from '../src/spec/timing.js';
import { Tlb, TlbHierarchy, tlbConfig, tlbi, tlbiAsid, tlbiIpa, tlbiVa, type TlbRegime } from '../src/mmu/tlb.js';
import type { Perms, Translation } from '../src/mmu/walker.js';

const ALL: Perms = { r: true, w: true, x: true };
const K4 = 0x1000, M2 = 0x20_0000;

interface TrOpts {
  va: bigint;
  pa?: bigint;
  ipa?: bigint;
  size?: number;
  asid?: number; // undefined: global
  vmid?: number; // undefined: no stage 2
  s2Size?: number;
}
function tr(o: TrOpts): Translation {
  const ipa = o.ipa ?? o.va + 0x4000_0000n;
  const pa = o.pa ?? ipa + (o.vmid !== undefined ? 0x1000_0000n : 0n);
  const size = o.size ?? K4;
  const s2 = o.vmid !== undefined ? o.s2Size ?? size : 0;
  return {
    va: o.va, ipa, pa, pageSize: size, s1PageSize: size, s2PageSize: s2,
    s1Level: 3, s2Level: o.vmid !== undefined ? 3 : -1,
    s1Perms: { user: ALL, priv: ALL }, s2Perms: ALL, perms: { user: ALL, priv: ALL },
    attrs: { attrIndx: 0, sh: 0, ns: false, s2MemAttr: -1, s2Sh: -1 },
    asid: o.asid, global: o.asid === undefined, vmid: o.vmid,
    fetches: { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0], total: 0 },
  };
}
const page = (n: number) => BigInt(n) * 0x1000n;

describe('Tlb: one level', () => {
  it('counts hits and misses by access kind', () => {
    const t = new Tlb({ entries: 4, replacement: 'lru', name: 't' });
    expect(t.lookup(page(1), 'el10', 1, 0, 'read')).toBeUndefined();
    t.insert(tr({ va: page(1), asid: 1 }), 'el10', 0);
    expect(t.lookup(page(1) + 0x123n, 'el10', 1, 0, 'write')?.t.va).toBe(page(1));
    expect(t.lookup(page(1), 'el10', 1, 0, 'fetch')).toBeDefined();
    expect(t.lookup(page(2), 'el10', 1, 0, 'instruction')).toBeUndefined();
    expect(t.stats.hits).toBe(2);
    expect(t.stats.misses).toBe(2);
    expect(t.stats.byKind.hits).toEqual({ instruction: 1, read: 0, write: 1 });
    expect(t.stats.byKind.misses).toEqual({ instruction: 1, read: 1, write: 0 });
  });

  it('evicts the least recently used entry (fully associative)', () => {
    const t = new Tlb({ entries: 4, replacement: 'lru', name: 't' });
    for (let i = 0; i < 4; i++) t.insert(tr({ va: page(i) }), 'el10', 0);
    // touch 0 and 2: the order from least recent is 1, 3, 0, 2
    t.lookup(page(0), 'el10', 0, 0);
    t.lookup(page(2), 'el10', 0, 0);
    t.insert(tr({ va: page(10) }), 'el10', 0);
    expect(t.peek(page(1), 'el10', 0, 0)).toBeUndefined();
    t.insert(tr({ va: page(11) }), 'el10', 0);
    expect(t.peek(page(3), 'el10', 0, 0)).toBeUndefined();
    t.insert(tr({ va: page(12) }), 'el10', 0);
    expect(t.peek(page(0), 'el10', 0, 0)).toBeUndefined();
    for (const p of [2, 10, 11, 12]) expect(t.peek(page(p), 'el10', 0, 0)).toBeDefined();
    expect(t.size).toBe(4);
    expect(t.stats.evictions).toBe(3);
  });

  it('re-inserting the same page replaces the entry instead of duplicating it', () => {
    const t = new Tlb({ entries: 4, replacement: 'lru', name: 't' });
    t.insert(tr({ va: page(1), pa: 0x8000_0000n }), 'el10', 0);
    t.insert(tr({ va: page(1), pa: 0x9000_0000n }), 'el10', 0);
    expect(t.size).toBe(1);
    expect(t.peek(page(1), 'el10', 0, 0)?.paBase).toBe(0x9000_0000n);
  });

  it('indexes sets by the page number: only pages of one set compete', () => {
    // 8 entries, 2 ways: 4 sets; pages 0, 4, 8 share set 0; page 1 is in set 1
    const t = new Tlb({ entries: 8, ways: 2, replacement: 'lru', name: 't' });
    expect(t.sets).toBe(4);
    t.insert(tr({ va: page(1) }), 'el10', 0);
    t.insert(tr({ va: page(0) }), 'el10', 0);
    t.insert(tr({ va: page(4) }), 'el10', 0);
    t.insert(tr({ va: page(8) }), 'el10', 0); // set 0 full: evicts page 0 (LRU)
    expect(t.peek(page(0), 'el10', 0, 0)).toBeUndefined();
    expect(t.peek(page(4), 'el10', 0, 0)).toBeDefined();
    expect(t.peek(page(8), 'el10', 0, 0)).toBeDefined();
    expect(t.peek(page(1), 'el10', 0, 0)).toBeDefined(); // other set untouched
    expect(t.size).toBe(3);
    const sets = [...t.all()].map((e) => e.vpn % t.sets).sort();
    expect(sets).toEqual([0, 0, 1]);
  });

  it('rejects a geometry whose ways do not divide the entries', () => {
    expect(() => new Tlb({ entries: 10, ways: 4, replacement: 'lru', name: 'bad' })).toThrow(/ways/);
  });

  it('random replacement is reproducible with a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const t = new Tlb({ entries: 8, replacement: 'random', seed, name: 'r' });
      for (let i = 0; i < 64; i++) t.insert(tr({ va: page(i) }), 'el10', 0);
      return [...t.all()].map((e) => e.vpn).sort((a, b) => a - b);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).toHaveLength(8);
    const seeds = [1, 2, 3, 4, 5].map((s) => run(s).join());
    expect(new Set(seeds).size).toBeGreaterThan(1);
    // not LRU/FIFO: something older than the last 8 survives for some seed
    expect(seeds.some((s) => s !== [56, 57, 58, 59, 60, 61, 62, 63].join())).toBe(true);
  });

  it('global pages match any ASID; non-global only their own', () => {
    const t = new Tlb({ entries: 8, replacement: 'lru', name: 't' });
    t.insert(tr({ va: page(1) }), 'el10', 0); // global
    t.insert(tr({ va: page(2), asid: 5 }), 'el10', 0);
    for (const a of [0, 5, 9, 0xffff]) expect(t.peek(page(1), 'el10', a, 0)).toBeDefined();
    expect(t.peek(page(2), 'el10', 5, 0)).toBeDefined();
    expect(t.peek(page(2), 'el10', 6, 0)).toBeUndefined();
  });

  it('different VMIDs never match, global or not; regimes never match each other', () => {
    const t = new Tlb({ entries: 8, replacement: 'lru', name: 't' });
    t.insert(tr({ va: page(1), vmid: 1 }), 'el10', 1);
    t.insert(tr({ va: page(2), asid: 3, vmid: 1 }), 'el10', 1);
    t.insert(tr({ va: page(3) }), 'el10', 4); // stage 2 off, tagged with the current VMID 4
    expect(t.peek(page(1), 'el10', 0, 1)).toBeDefined();
    expect(t.peek(page(1), 'el10', 0, 2)).toBeUndefined();
    expect(t.peek(page(2), 'el10', 3, 2)).toBeUndefined();
    expect(t.peek(page(3), 'el10', 0, 4)).toBeDefined();
    expect(t.peek(page(3), 'el10', 0, 0)).toBeUndefined();
    expect(t.peek(page(1), 'el2', 0, 1)).toBeUndefined();
    t.insert(tr({ va: page(9) }), 'el2', 0);
    expect(t.peek(page(9), 'el2', 0, 77)).toBeDefined(); // EL2 ignores the VMID
    expect(t.peek(page(9), 'el10', 0, 0)).toBeUndefined();
  });

  it('a 2 MiB entry serves any 4K page inside it, with the right PA, in a set-associative TLB', () => {
    const t = new Tlb({ entries: 16, ways: 4, replacement: 'lru', name: 't' });
    const base = 0x4020_0000n, pa = 0x8060_0000n;
    t.insert(tr({ va: base + 0x3456n, pa: pa + 0x3456n, size: M2, asid: 2 }), 'el10', 0);
    t.insert(tr({ va: page(3) }), 'el10', 0); // a 4K page elsewhere
    for (const off of [0n, 0x1000n, 0x12_3456n, 0x1f_ffffn]) {
      const e = t.lookup(base + off, 'el10', 2, 0);
      expect(e?.shift).toBe(21);
      expect(e!.paBase + off).toBe(pa + off);
    }
    expect(t.peek(base - 1n, 'el10', 2, 0)).toBeUndefined();
    expect(t.peek(base + BigInt(M2), 'el10', 2, 0)).toBeUndefined();
    expect(t.peek(page(3), 'el10', 2, 0)).toBeDefined();
  });

  it('tags VAs by bits 55:0 (TTBR1 addresses distinct from TTBR0 ones)', () => {
    const t = new Tlb({ entries: 8, replacement: 'lru', name: 't' });
    t.insert(tr({ va: 0xffff_0000_0000_1000n, ipa: 0x4000_1000n }), 'el10', 0);
    expect(t.peek(0xffff_0000_0000_1000n, 'el10', 0, 0)).toBeDefined();
    expect(t.peek(0x0000_0000_0000_1000n, 'el10', 0, 0)).toBeUndefined();
  });
});

describe('TlbHierarchy', () => {
  const cfg = { l1i: { entries: 4, latency: 1 }, l1d: { entries: 2, latency: 1 }, l2: { entries: 16, ways: 4, latency: 7 } };

  it('presets have the §3.3 geometry', () => {
    const a57 = new TlbHierarchy(tlbConfig(loadTiming('cortex-a57')));
    expect([a57.l1i.entries, a57.l1i.ways, a57.l1d.entries, a57.l1d.ways, a57.l2.entries, a57.l2.ways]).toEqual([48, 48, 32, 32, 1024, 4]);
    const n1 = new TlbHierarchy(tlbConfig(loadTiming('neoverse-n1')));
    expect([n1.l1i.entries, n1.l1d.entries, n1.l2.entries, n1.l2.ways, n1.l2.sets]).toEqual([48, 48, 1280, 5, 256]);
  });

  it('looks up L1 then L2; an L2 hit refills the L1; costs per level', () => {
    const h = new TlbHierarchy(cfg);
    const m = h.lookup(page(1), 'el10', 0, 0, 'read');
    expect(m).toMatchObject({ level: 'miss', cycles: 8 });
    h.insert(tr({ va: page(1), pa: 0x8000_1000n }), 'el10', 0, 'read');
    const a = h.lookup(page(1) + 0x10n, 'el10', 0, 0, 'read');
    expect(a).toMatchObject({ level: 'l1', cycles: 1, pa: 0x8000_1010n });
    // fill the 2-entry L1 D so page 1 leaves it; L2 still holds it
    h.insert(tr({ va: page(2) }), 'el10', 0, 'write');
    h.insert(tr({ va: page(3) }), 'el10', 0, 'write');
    expect(h.l1d.peek(page(1), 'el10', 0, 0)).toBeUndefined();
    const b = h.lookup(page(1) + 0x20n, 'el10', 0, 0, 'write');
    expect(b).toMatchObject({ level: 'l2', cycles: 8, pa: 0x8000_1020n });
    expect(h.l1d.peek(page(1), 'el10', 0, 0)).toBeDefined(); // refilled
    expect(h.lookup(page(1), 'el10', 0, 0, 'read').level).toBe('l1');
    // the instruction side has its own L1: first an L2 hit, then an L1 I hit
    expect(h.lookup(page(1), 'el10', 0, 0, 'fetch').level).toBe('l2');
    expect(h.lookup(page(1), 'el10', 0, 0, 'instruction').level).toBe('l1');
    expect(h.l1i.stats.byKind.misses.instruction).toBe(1);
    expect(h.l1i.stats.byKind.hits.instruction).toBe(1);
    expect(h.l2.stats.hits).toBe(2);
    expect(h.l2.stats.misses).toBe(1);
  });
});

describe('TLBI', () => {
  const VA_A = 0x40_0000n, VA_B = 0x80_0000n;

  it('decodes Xt as the architecture does', () => {
    const xt = (0x1234n << 48n) | (0xffff_0000_1234_5000n >> 12n & ((1n << 44n) - 1n));
    expect(tlbiVa(xt)).toBe(0x00ff_0000_1234_5000n);
    expect(tlbiAsid(xt, true)).toBe(0x1234);
    expect(tlbiAsid(xt, false)).toBe(0x34);
    expect(tlbiIpa((1n << 63n) | (0x8_1234_5678n >> 0n))).toBe(0x8_1234_5678n << 12n);
    expect(tlbiIpa(0xff_ffff_ffffn)).toBe(0xf_ffff_ffffn << 12n);
  });

  /**
   * A population covering every tag: regime, VMID, ASID (incl. global), VA. Names say what each is.
   * All entries are in the L1 D and the L2 (the test checks every level).
   */
  function populate() {
    const h = new TlbHierarchy({ l1i: { entries: 32, latency: 1 }, l1d: { entries: 32, latency: 1 }, l2: { entries: 64, ways: 8, latency: 5 } });
    const E: Record<string, { va: bigint; regime: TlbRegime; asid: number; vmid: number; ipa?: bigint }> = {
      // VMID 1 (current), stage 2 on
      'v1.a1.A': { va: VA_A, regime: 'el10', asid: 1, vmid: 1, ipa: 0x10_0000n },
      'v1.a2.A': { va: VA_A, regime: 'el10', asid: 2, vmid: 1, ipa: 0x11_0000n },
      'v1.g.A': { va: VA_A + 0x1000n, regime: 'el10', asid: -1, vmid: 1, ipa: 0x12_0000n },
      'v1.a1.B': { va: VA_B, regime: 'el10', asid: 1, vmid: 1, ipa: 0x13_0000n },
      'v1.g.B': { va: VA_B + 0x1000n, regime: 'el10', asid: -1, vmid: 1, ipa: 0x14_0000n },
      // VMID 2, same VAs and ASIDs and IPAs
      'v2.a1.A': { va: VA_A, regime: 'el10', asid: 1, vmid: 2, ipa: 0x10_0000n },
      'v2.g.A': { va: VA_A + 0x1000n, regime: 'el10', asid: -1, vmid: 2, ipa: 0x12_0000n },
      // EL2 regime, same VAs
      'el2.A': { va: VA_A, regime: 'el2', asid: -1, vmid: 0 },
      'el2.B': { va: VA_B, regime: 'el2', asid: -1, vmid: 0 },
    };
    for (const e of Object.values(E)) {
      const t = tr({
        va: e.va,
        asid: e.asid < 0 ? undefined : e.asid,
        ...(e.ipa !== undefined ? { ipa: e.ipa, vmid: e.vmid } : { ipa: e.va }),
      });
      h.insert(t, e.regime, e.vmid, 'read');
    }
    // lookups see one entry per (VA, VMID, ASID) tag; a name survives if its L1 D and L2 entries are still there
    const survivors = () =>
      Object.entries(E)
        .filter(([, e]) => {
          const asid = e.asid < 0 ? 999 : e.asid; // 999 matches only globals
          const inL1 = h.l1d.peek(e.va, e.regime, asid, e.vmid) !== undefined;
          const inL2 = h.l2.peek(e.va, e.regime, asid, e.vmid) !== undefined;
          expect(inL1).toBe(inL2);
          return inL1;
        })
        .map(([n]) => n)
        .sort();
    expect(survivors()).toHaveLength(Object.keys(E).length);
    return { h, E, survivors };
  }

  const ctx = { vmid: 1, asid16: true };
  const vaOp = (va: bigint, asid = 0) => (BigInt(asid) << 48n) | ((va >> 12n) & ((1n << 44n) - 1n));
  const sorted = (a: string[]) => [...a].sort();
  const ALL_NAMES = ['v1.a1.A', 'v1.a2.A', 'v1.g.A', 'v1.a1.B', 'v1.g.B', 'v2.a1.A', 'v2.g.A', 'el2.A', 'el2.B'];
  const without = (...gone: string[]) => sorted(ALL_NAMES.filter((n) => !gone.includes(n)));

  for (const op of ['VMALLE1', 'VMALLE1IS', 'VMALLS12E1', 'VMALLS12E1IS']) {
    it(`${op}: every EL1&0 entry of the current VMID goes; other VMIDs and EL2 stay`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, 0n, ctx);
      expect(survivors()).toEqual(sorted(['v2.a1.A', 'v2.g.A', 'el2.A', 'el2.B']));
      expect(h.tlbiCounts[op]).toBe(1);
    });
  }

  for (const op of ['VAE1', 'VAE1IS', 'VALE1', 'VALE1IS']) {
    it(`${op}: the VA's entries of that ASID and global ones, current VMID only`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, vaOp(VA_A, 1), ctx);
      expect(survivors()).toEqual(without('v1.a1.A'));
      // the global entry at VA_A + 4K goes when named with any ASID
      tlbi(h, op, vaOp(VA_A + 0x1000n, 7), ctx);
      expect(survivors()).toEqual(without('v1.a1.A', 'v1.g.A'));
    });
  }

  it('VAE1 with 8-bit ASIDs ignores Xt[63:56]', () => {
    const { h, survivors } = populate();
    tlbi(h, 'VAE1', vaOp(VA_A, 0xab02), { vmid: 1, asid16: false });
    expect(survivors()).toEqual(without('v1.a2.A'));
  });

  for (const op of ['VAAE1', 'VAAE1IS', 'VAALE1', 'VAALE1IS']) {
    it(`${op}: the VA's entries of every ASID, current VMID only`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, vaOp(VA_A, 9), ctx);
      expect(survivors()).toEqual(without('v1.a1.A', 'v1.a2.A'));
      tlbi(h, op, vaOp(VA_B + 0x1000n), ctx);
      expect(survivors()).toEqual(without('v1.a1.A', 'v1.a2.A', 'v1.g.B'));
    });
  }

  for (const op of ['ASIDE1', 'ASIDE1IS']) {
    it(`${op}: non-global entries of the ASID, current VMID; globals stay`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, 1n << 48n, ctx);
      expect(survivors()).toEqual(without('v1.a1.A', 'v1.a1.B'));
    });
  }

  for (const op of ['IPAS2E1', 'IPAS2E1IS', 'IPAS2LE1', 'IPAS2LE1IS']) {
    it(`${op}: entries whose stage 2 page holds the IPA, current VMID only`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, 0x10_0000n >> 12n, ctx);
      expect(survivors()).toEqual(without('v1.a1.A')); // v2.a1.A has the same IPA in VMID 2
      tlbi(h, op, (0x12_0000n + 0xfffn) >> 12n, ctx); // the same page, by another address in it
      expect(survivors()).toEqual(without('v1.a1.A', 'v1.g.A'));
    });
  }

  it('IPAS2E1: an entry from a 2 MiB stage 2 block goes for any IPA in the block; stage-1-only entries stay', () => {
    const h = new TlbHierarchy(tlbConfig(loadTiming('cortex-a57')));
    h.insert(tr({ va: 0x1000n, ipa: 0x4000_5000n, vmid: 1, s2Size: M2 }), 'el10', 1, 'read');
    h.insert(tr({ va: 0x2000n, ipa: 0x4000_5000n }), 'el10', 1, 'read'); // stage 2 off (but VMID-tagged)
    tlbi(h, 'IPAS2E1IS', 0x401f_f000n >> 12n, ctx);
    expect(h.l2.peek(0x1000n, 'el10', 0, 1)).toBeUndefined();
    expect(h.l2.peek(0x2000n, 'el10', 0, 1)).toBeDefined();
    expect(h.l1d.peek(0x2000n, 'el10', 0, 1)).toBeDefined();
  });

  for (const op of ['ALLE1', 'ALLE1IS']) {
    it(`${op}: every EL1&0 entry of every VMID; EL2 stays`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, 0n, ctx);
      expect(survivors()).toEqual(sorted(['el2.A', 'el2.B']));
    });
  }

  for (const op of ['ALLE2', 'ALLE2IS']) {
    it(`${op}: every EL2 entry; EL1&0 stays`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, 0n, ctx);
      expect(survivors()).toEqual(without('el2.A', 'el2.B'));
    });
  }

  for (const op of ['VAE2', 'VAE2IS', 'VALE2', 'VALE2IS']) {
    it(`${op}: the EL2 entry for the VA; EL1&0 entries at the same VA stay`, () => {
      const { h, survivors } = populate();
      tlbi(h, op, vaOp(VA_A, 1), ctx);
      expect(survivors()).toEqual(without('el2.A'));
    });
  }

  it('a VA TLBI naming any 4K page inside a 2 MiB entry removes it', () => {
    const h = new TlbHierarchy(tlbConfig(loadTiming('neoverse-n1')));
    h.insert(tr({ va: 0x20_0000n, size: M2, asid: 3 }), 'el10', 0, 'read');
    h.insert(tr({ va: 0x40_0000n, size: M2, asid: 3 }), 'el10', 0, 'read');
    expect(tlbi(h, 'VAE1IS', vaOp(0x3f_f000n, 3), { vmid: 0, asid16: false })).toBe(2); // L1 D + L2
    expect(h.l2.peek(0x20_0000n, 'el10', 3, 0)).toBeUndefined();
    expect(h.l2.peek(0x40_0000n, 'el10', 3, 0)).toBeDefined();
  });

  it('rejects an unknown operation', () => {
    const { h } = populate();
    expect(() => tlbi(h, 'VMALLE2', 0n, ctx)).toThrow(/not a known/);
  });
});
