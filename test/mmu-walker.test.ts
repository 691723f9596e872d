// The VMSAv8-64 walker on page tables built in a Map-backed memory: walk
// counts (DESIGN.md §4.1), faults at every level of each stage with their
// syndromes, blocks, permissions, and bad tables.
import { describe, expect, it } from 'vitest';
import { EC } from '../src/core/exception.js';
import { decodeEl2, decodeStage2, type GranuleBits, type Stage1Regime } from '../src/mmu/regime.js';
import { checkAccess, faultException, isFault, walk, type Access } from '../src/mmu/walker.js';
import { AF, bad, levelBits, Mem, nested, ok, OUT, S2RW, S2_OFFSET, s1Regime, Tables, TG0, VA, vtcr } from './helpers/page-tables.js';

describe('walk counts with nothing cached (DESIGN.md §4.1)', () => {
  it('native 4-level stage 1: 4 fetches, one per level', () => {
    const mem = new Mem();
    const t = new Tables(mem, 12, 0, 48);
    t.map(VA & ~0xfffn, OUT, 3, AF);
    const r = ok(walk(VA, 'read', 1, s1Regime(t.root), mem.read));
    expect(r.pa).toBe(OUT | 0xabcn);
    expect(r.fetches.s1).toEqual([1, 1, 1, 1]);
    expect(r.fetches.total).toBe(4);
    expect(r.pageSize).toBe(4096);
  });

  it('4-level stage 1 over 4-level stage 2 (4K, 44-bit IPA, SL0 = 2): 24', () => {
    const n = nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: 3 });
    expect(n.s2.startLevel).toBe(0);
    const r = ok(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(r.ipa).toBe(OUT | 0xabcn);
    expect(r.pa).toBe(OUT + S2_OFFSET | 0xabcn);
    expect(r.fetches.s1).toEqual([1, 1, 1, 1]);
    expect(r.fetches.s2).toEqual([5, 5, 5, 5]);
    expect(r.fetches.total).toBe(24);
    expect(r.vmid).toBe(5);
  });

  it('4-level stage 1 over 3-level stage 2 (40-bit IPA, 2 concatenated start tables): 19', () => {
    const n = nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 1, inputBits: 40, sl0: 1, leaf: 3, concat: 2 });
    expect(n.s2.startLevel).toBe(1);
    expect(n.s2.concat).toBe(2);
    const r = ok(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(r.pa).toBe(OUT + S2_OFFSET | 0xabcn);
    expect(r.fetches.s2).toEqual([0, 5, 5, 5]);
    expect(r.fetches.total).toBe(19);
  });

  it('3+3 levels: 39-bit VA over 39-bit IPA with 4K pages: 15', () => {
    const va = 0x12_3456_7abcn;
    const n = nested({ g: 12, start: 1, inputBits: 39, leaf: 3 }, { g: 12, start: 1, inputBits: 39, sl0: 1, leaf: 3 }, va);
    const r = ok(walk(va, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(r.pa).toBe(OUT + S2_OFFSET | 0xabcn);
    expect(r.fetches.s1).toEqual([0, 1, 1, 1]);
    expect(r.fetches.s2).toEqual([0, 4, 4, 4]);
    expect(r.fetches.total).toBe(15);
  });

  it('3+3 levels: 2M blocks in both stages of 4-level regimes: 15, pageSize 2M', () => {
    const n = nested({ g: 12, start: 0, inputBits: 48, leaf: 2 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: 2 });
    const r = ok(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(r.pa).toBe(OUT + S2_OFFSET + (VA & 0x1f_ffffn));
    expect(r.fetches.s1).toEqual([1, 1, 1, 0]);
    expect(r.fetches.s2).toEqual([4, 4, 4, 0]);
    expect(r.fetches.total).toBe(15);
    expect(r.pageSize).toBe(2 * 1024 * 1024);
  });

  it('64K granule, 42-bit VA over 42-bit IPA (2+2 levels): 8', () => {
    const va = 0x2_1234_5678n;
    const n = nested({ g: 16, start: 2, inputBits: 42, leaf: 3 }, { g: 16, start: 2, inputBits: 42, sl0: 1, leaf: 3 }, va);
    expect(n.s1.halves[0].startLevel).toBe(2);
    expect(n.s2.startLevel).toBe(2);
    const r = ok(walk(va, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(r.pa).toBe(OUT + S2_OFFSET + (va & 0xffffn));
    expect(r.fetches.s1).toEqual([0, 0, 1, 1]);
    expect(r.fetches.s2).toEqual([0, 0, 3, 3]);
    expect(r.fetches.total).toBe(8);
    expect(r.pageSize).toBe(65536);
  });

  it('16K granule 48-bit VA: 4 levels, a 2-entry level 0 table', () => {
    const mem = new Mem();
    const va = 0xffff_f123_4567n & ((1n << 48n) - 1n);
    const t = new Tables(mem, 14, 0, 48);
    t.map(va & ~0x3fffn, OUT, 3, AF);
    const s1 = s1Regime(t.root, { tg0: 2 });
    expect(s1.halves[0].startLevel).toBe(0);
    const r = ok(walk(va, 'read', 1, s1, mem.read));
    expect(r.fetches.s1).toEqual([1, 1, 1, 1]);
    expect(r.pa).toBe(OUT + (va & 0x3fffn));
  });
});

describe('regime decoding', () => {
  it('stage 1 start level from TnSZ for each granule', () => {
    const cases: [number, number, number][] = [
      [0, 16, 0], [0, 24, 0], [0, 25, 1], [0, 30, 1], [0, 33, 1], [0, 34, 2], [0, 39, 2],
      [2, 16, 0], [2, 17, 1], [2, 27, 1], [2, 28, 2], [2, 38, 2], [2, 39, 3],
      [1, 16, 1], [1, 22, 2], [1, 34, 2], [1, 35, 3], [1, 39, 3],
    ];
    for (const [tg0, t0sz, level] of cases) expect([tg0, t0sz, s1Regime(0n, { tg0, t0sz }).halves[0].startLevel]).toEqual([tg0, t0sz, level]);
  });

  it('stage 2 concatenated start tables: 4K level 1 with 40..43-bit IPA → 2..16 tables', () => {
    for (const [t0sz, concat] of [[24, 2], [23, 4], [22, 8], [21, 16], [25, 1]]) {
      const s2 = decodeStage2({ VTCR_EL2: vtcr(t0sz, 1), VTTBR_EL2: 0n });
      expect(s2.fault).toBeUndefined();
      expect(s2.concat).toBe(concat);
    }
    expect(decodeStage2({ VTCR_EL2: vtcr(30, 0), VTTBR_EL2: 0n }).concat).toBe(16); // 34-bit at level 2
    expect(decodeStage2({ VTCR_EL2: vtcr(29, 0), VTTBR_EL2: 0n }).fault).toBe('translation'); // 32 tables
  });

  it('reserved or inconsistent stage 2 configurations fault at level 0', () => {
    const reserved = [
      vtcr(20, 3), // 4K SL0 = 3
      vtcr(20, 1), // 44-bit IPA at level 1 needs 32 tables
      vtcr(30, 2), // 34-bit IPA at level 0: less than 2 entries
      vtcr(22, 3, 16), // 64K: level 0 does not exist
      vtcr(22, 2, 16), // 64K level 1 with PAMax 44: fine? no — needs more than 1 entry: 42-42 = 0
      vtcr(16, 2), // 48-bit IPA > PAMax 44
      vtcr(20, 3, 14), // 16K level 0
    ];
    for (const v of reserved) expect([v, decodeStage2({ VTCR_EL2: v, VTTBR_EL2: 0n }).fault]).toEqual([v, 'translation']);
    // level 0 with 4K needs PAMax > 42
    expect(decodeStage2({ VTCR_EL2: vtcr(24, 2), VTTBR_EL2: 0n }, { paBits: 40 }).fault).toBe('translation');
    expect(decodeStage2({ VTCR_EL2: vtcr(24, 1), VTTBR_EL2: 0n }, { paBits: 40 }).fault).toBeUndefined();
    // 64K level 1 needs PAMax > 42
    expect(decodeStage2({ VTCR_EL2: vtcr(20, 2, 16), VTTBR_EL2: 0n }).fault).toBeUndefined();
    expect(decodeStage2({ VTCR_EL2: vtcr(22, 2, 16, 3), VTTBR_EL2: 0n }, { paBits: 42 }).fault).toBe('translation');
  });

  it('a stage 2 fault from the regime is reported on the walk, with the IPA, to EL2', () => {
    const s2 = decodeStage2({ VTCR_EL2: vtcr(20, 3), VTTBR_EL2: 0n });
    const f = bad(walk(0x1000n, 'read', 1, s1Regime(0n, {}, { sctlr: 0n }), new Mem().read, s2));
    expect(f).toMatchObject({ kind: 'translation', level: 0, stage: 2, s1ptw: false, ipa: 0x1000n });
  });

  it('TTBR and VTTBR bases above the output size: address size fault at level 0', () => {
    const mem = new Mem();
    const f = bad(walk(VA, 'read', 1, s1Regime(1n << 44n, { ips: 4 }), mem.read));
    expect(f).toMatchObject({ kind: 'address-size', level: 0, stage: 1 });
    expect(faultException(f, 1).iss).toBe(0x00);
    const s2 = decodeStage2({ VTCR_EL2: vtcr(24, 1, 12, 2), VTTBR_EL2: 1n << 40n });
    const g = bad(walk(0x4000_0000n, 'write', 0, s1Regime(0n, {}, { sctlr: 0n }), mem.read, s2));
    expect(g).toMatchObject({ kind: 'address-size', level: 0, stage: 2, ipa: 0x4000_0000n });
    const e = faultException(g, 0);
    expect([e.ec, e.iss, e.targetEl, e.ipa]).toEqual([EC.DABT_LOWER, 0x40, 2, 0x4000_0000n]);
  });

  it('ASIDs of 8 or 16 bits from the TTBR that TCR.A1 selects; VMID from VTTBR', () => {
    const T = 0xabcdn << 48n;
    expect(s1Regime(T).halves[0].asid).toBe(0xcd);
    expect(s1Regime(T, { as: true }).halves[0].asid).toBe(0xabcd);
    expect(s1Regime(0n, { as: true, a1: true }, { ttbr1: T }).halves[1]!.asid).toBe(0xabcd);
    expect(decodeStage2({ VTCR_EL2: vtcr(24, 1), VTTBR_EL2: 0x42n << 48n }).vmid).toBe(0x42);
  });
});

/** A native 4K 48-bit regime with VA mapped by a page; helpers to poke descriptors. */
function native(leaf = 3, attrs = AF) {
  const mem = new Mem();
  const t = new Tables(mem, 12, 0, 48);
  const size = 1n << BigInt(levelBits(12, leaf));
  t.map(VA & ~(size - 1n), OUT, leaf, attrs);
  return { mem, t, s1: s1Regime(t.root, { ips: 4 }) };
}

describe('stage 1 faults at every level, with ESR ISS', () => {
  for (const level of [0, 1, 2, 3]) {
    it(`translation fault at level ${level} (invalid descriptor)`, () => {
      const { mem, t, s1 } = native();
      t.set(VA, level, 0n);
      const f = bad(walk(VA, 'write', 0, s1, mem.read));
      expect(f).toMatchObject({ kind: 'translation', level, stage: 1, s1ptw: false });
      expect(f.fetches.total).toBe(level + 1);
      const e = faultException(f, 0);
      expect([e.ec, e.iss, e.targetEl, e.far, e.ipa]).toEqual([EC.DABT_LOWER, 0x44 + level, -1, VA, undefined]);
      const i = faultException(bad(walk(VA, 'fetch', 1, s1, mem.read)), 1);
      expect([i.ec, i.iss]).toEqual([EC.IABT_SAME, 0x04 + level]);
    });

    it(`address size fault at level ${level} (output address above IPS)`, () => {
      const { mem, t, s1 } = native(level === 0 ? 3 : level);
      const d = mem.m.get(t.entry(VA, level))!;
      t.set(VA, level, d | (1n << 45n));
      const f = bad(walk(VA, 'read', 1, s1, mem.read));
      expect(f).toMatchObject({ kind: 'address-size', level, stage: 1 });
      expect(faultException(f, 1).iss).toBe(level);
    });

    it(`synchronous external abort on the walk at level ${level} (table outside RAM)`, () => {
      const { mem, t, s1 } = native();
      let r: Stage1Regime = s1;
      if (level === 0) r = s1Regime(0x1000n, { ips: 4 });
      else t.set(VA, level - 1, 0x10_0000_0000n | 3n);
      const f = bad(walk(VA, 'read', 1, r, mem.read));
      expect(f).toMatchObject({ kind: 'external', level, stage: 1 });
      expect(faultException(f, 1).iss).toBe(0x14 + level);
    });
  }

  for (const level of [1, 2, 3]) {
    it(`access flag fault at level ${level}`, () => {
      const { mem, s1 } = native(level, 0n);
      const f = bad(walk(VA, 'write', 1, s1, mem.read));
      expect(f).toMatchObject({ kind: 'access-flag', level, stage: 1 });
      expect(faultException(f, 1).iss).toBe(0x48 + level);
    });

    it(`permission fault at level ${level}`, () => {
      const { mem, s1 } = native(level, AF | (1n << 7n)); // read-only
      const f = bad(walk(VA, 'write', 1, s1, mem.read));
      expect(f).toMatchObject({ kind: 'permission', level, stage: 1 });
      const e = faultException(f, 1);
      expect([e.ec, e.iss, e.far]).toEqual([EC.DABT_SAME, 0x4c + level, VA]);
    });
  }

  it('access flag fault takes priority over a permission fault', () => {
    const { mem, s1 } = native(3, 1n << 7n);
    expect(bad(walk(VA, 'write', 1, s1, mem.read)).kind).toBe('access-flag');
  });

  it('VA outside the TTBR0 range, or EPD0 = 1: translation fault at level 0 with no fetch', () => {
    const { mem, t } = native();
    const f = bad(walk(1n << 48n, 'read', 1, s1Regime(t.root), mem.read));
    expect(f).toMatchObject({ kind: 'translation', level: 0 });
    expect(f.fetches.total).toBe(0);
    expect(bad(walk(VA, 'read', 1, s1Regime(t.root, { epd0: true }), mem.read))).toMatchObject({ kind: 'translation', level: 0 });
    expect(bad(walk(0x8000_0000_0000_0000n, 'read', 1, s1Regime(t.root, { epd1: true }), mem.read))).toMatchObject({ kind: 'translation', level: 0 });
  });

  it('TBI0 ignores the top byte; without it a tagged VA faults', () => {
    const { mem, t } = native();
    const tagged = VA | (0x5an << 56n);
    expect(ok(walk(tagged, 'read', 1, s1Regime(t.root, { tbi0: true }), mem.read)).pa).toBe(OUT | 0xabcn);
    expect(bad(walk(tagged, 'read', 1, s1Regime(t.root), mem.read)).kind).toBe('translation');
  });

  it('TTBR1 half for VAs with bit 55 set (39-bit, 4K)', () => {
    const mem = new Mem();
    const t = new Tables(mem, 12, 1, 39);
    const va = 0xffff_ffc0_1234_5678n;
    t.map(va & ((1n << 39n) - 1n) & ~0xfffn, OUT, 3, AF | (1n << 11n));
    const s1 = s1Regime(0n, { t1sz: 25, epd0: true }, { ttbr1: t.root | (7n << 48n) });
    const r = ok(walk(va, 'read', 1, s1, mem.read));
    expect(r.pa).toBe(OUT | 0x678n);
    expect([r.global, r.asid]).toEqual([false, 0]); // ASID from TTBR0 (A1 = 0)
    const s1b = s1Regime(0n, { t1sz: 25, epd0: true, a1: true }, { ttbr1: t.root | (7n << 48n) });
    expect(ok(walk(va, 'read', 1, s1b, mem.read)).asid).toBe(7);
    expect(bad(walk(0xffff_ff00_0000_0000n, 'read', 1, s1, mem.read))).toMatchObject({ kind: 'translation', level: 0 });
  });

  it('MMU off: flat mapping; a VA above PAMax is an address size fault at level 0', () => {
    const s1 = s1Regime(0n, {}, { sctlr: 0n });
    const r = ok(walk(0x4000_1234n, 'fetch', 1, s1, new Mem().read));
    expect([r.pa, r.fetches.total, r.global]).toEqual([0x4000_1234n, 0, true]);
    expect(bad(walk(1n << 44n, 'read', 1, s1, new Mem().read))).toMatchObject({ kind: 'address-size', level: 0 });
  });
});

describe('blocks', () => {
  const cases: [GranuleBits, number, number, number][] = [
    // granule, inputBits, start level, block level
    [12, 48, 0, 1], [12, 48, 0, 2], [14, 48, 0, 2], [16, 48, 1, 2], [16, 42, 2, 2],
  ];
  for (const [g, bits, start, level] of cases) {
    const size = 2 ** levelBits(g, level);
    it(`${g === 12 ? '4K' : g === 14 ? '16K' : '64K'} granule: ${size / 2 ** 20}M block at level ${level}`, () => {
      const mem = new Mem();
      const t = new Tables(mem, g, start, bits);
      const va = 0x0123_4567_89abn & ((1n << BigInt(bits)) - 1n);
      const out = 0x8000_0000_0000n & ((1n << 44n) - 1n) | (1n << 43n);
      t.map(va & ~(BigInt(size) - 1n), out, level, AF | (1n << 11n) | (1n << 6n));
      const s1 = s1Regime(t.root | (0x33n << 48n), { t0sz: 64 - bits, tg0: TG0[g] });
      const r = ok(walk(va, 'read', 0, s1, mem.read));
      expect(r.pa).toBe(out + (va & (BigInt(size) - 1n)));
      expect([r.pageSize, r.s1Level, r.global, r.asid]).toEqual([size, level, false, 0x33]);
      expect(r.fetches.total).toBe(level - start + 1);
    });
  }

  const disallowed: [GranuleBits, number, number, number][] = [
    [12, 48, 0, 0], [14, 48, 0, 0], [14, 48, 0, 1], [16, 48, 1, 1], [12, 48, 0, 3], [14, 48, 0, 3], [16, 42, 2, 3],
  ];
  for (const [g, bits, start, level] of disallowed) {
    it(`granule 2^${g}: a block encoding at level ${level} is a translation fault at level ${level}`, () => {
      const mem = new Mem();
      const t = new Tables(mem, g, start, bits);
      t.set(VA & ((1n << BigInt(bits)) - 1n), level, OUT | AF | 1n);
      const s1 = s1Regime(t.root, { t0sz: 64 - bits, tg0: TG0[g] });
      expect(bad(walk(VA & ((1n << BigInt(bits)) - 1n), 'read', 1, s1, mem.read))).toMatchObject({ kind: 'translation', level, stage: 1 });
    });
  }
});

describe('stage 1 permissions', () => {
  const ap = (v: number) => AF | (BigInt(v) << 6n);
  const can = (attrs: bigint, access: Access, el: 0 | 1, o: { wxn?: boolean; table?: bigint } = {}) => {
    const { mem, t } = native(3, attrs);
    if (o.table) t.set(VA, 2, mem.m.get(t.entry(VA, 2))! | o.table);
    const s1 = s1Regime(t.root, {}, { sctlr: o.wxn ? 1n | (1n << 19n) : 1n });
    const r = walk(VA, access, el, s1, mem.read);
    if (isFault(r)) {
      expect(r).toMatchObject({ kind: 'permission', level: 3 });
      return false;
    }
    expect(checkAccess(r, access, el)).toBeUndefined();
    return true;
  };

  it('AP[2:1] for EL0 and EL1 reads and writes', () => {
    // AP 00: EL1 RW, EL0 none; 01: RW both; 10: EL1 RO; 11: RO both
    const table = [0, 1, 2, 3].map((v) => [can(ap(v), 'read', 1), can(ap(v), 'write', 1), can(ap(v), 'read', 0), can(ap(v), 'write', 0)]);
    expect(table).toEqual([
      [true, true, false, false],
      [true, true, true, true],
      [true, false, false, false],
      [true, false, true, false],
    ]);
  });

  it('UXN stops EL0 fetches, PXN stops EL1 fetches, EL0-writable memory is PXN', () => {
    const UXN = 1n << 54n, PXN = 1n << 53n;
    expect([can(ap(3), 'fetch', 0), can(ap(3), 'fetch', 1)]).toEqual([true, true]);
    expect([can(ap(3) | UXN, 'fetch', 0), can(ap(3) | UXN, 'fetch', 1)]).toEqual([false, true]);
    expect([can(ap(3) | PXN, 'fetch', 0), can(ap(3) | PXN, 'fetch', 1)]).toEqual([true, false]);
    expect([can(ap(1), 'fetch', 0), can(ap(1), 'fetch', 1)]).toEqual([true, false]);
  });

  it('WXN: writable memory is execute-never', () => {
    expect([can(ap(0), 'fetch', 1, { wxn: true }), can(ap(2), 'fetch', 1, { wxn: true })]).toEqual([false, true]);
    expect([can(ap(1), 'fetch', 0, { wxn: true }), can(ap(3), 'fetch', 0, { wxn: true })]).toEqual([false, true]);
  });

  it('hierarchical table attributes: APTable, UXNTable, PXNTable', () => {
    expect(can(ap(1), 'write', 1, { table: 1n << 62n })).toBe(false);
    expect(can(ap(1), 'read', 0, { table: 1n << 61n })).toBe(false);
    expect(can(ap(1), 'read', 1, { table: 1n << 61n })).toBe(true);
    expect(can(ap(3), 'fetch', 0, { table: 1n << 60n })).toBe(false);
    expect(can(ap(2), 'fetch', 1, { table: 1n << 59n })).toBe(false);
    expect(can(ap(2), 'fetch', 1, { table: 1n << 60n })).toBe(true);
  });

  it('a fetch permission fault is an instruction abort with IFSC; checkAccess reproduces it on a cached result', () => {
    const { mem, s1 } = native(3, ap(1) | (1n << 54n));
    const f = bad(walk(VA, 'fetch', 0, s1, mem.read));
    const e = faultException(f, 0);
    expect([e.ec, e.iss, e.far]).toEqual([EC.IABT_LOWER, 0x0f, VA]);
    const t = ok(walk(VA, 'read', 0, s1, mem.read));
    expect(checkAccess(t, 'fetch', 0)).toMatchObject({ kind: 'permission', level: 3, stage: 1 });
    expect(t.perms.user).toEqual({ r: true, w: true, x: false });
  });

  it('the EL2 regime: AP[1] ignored, XN at bit 54, no ASID', () => {
    const mem = new Mem();
    const t = new Tables(mem, 12, 0, 48);
    t.map(VA & ~0xfffn, OUT, 3, AF | (1n << 11n) | (1n << 53n));
    const el2 = decodeEl2({ SCTLR_EL2: 1n, TCR_EL2: 16n | (4n << 16n), TTBR0_EL2: t.root });
    const r = ok(walk(VA, 'fetch', 2, el2, mem.read));
    expect([r.global, r.asid, r.perms.priv]).toEqual([true, undefined, { r: true, w: true, x: true }]);
    t.map(VA & ~0xfffn, OUT, 3, AF | (1n << 7n) | (1n << 54n));
    const f = bad(walk(VA, 'write', 2, el2, mem.read));
    const e = faultException(f, 2);
    expect([e.ec, e.iss]).toEqual([EC.DABT_SAME, 0x4f]);
    expect(bad(walk(VA, 'fetch', 2, el2, mem.read)).kind).toBe('permission');
    expect(bad(walk(1n << 55n, 'read', 2, el2, mem.read))).toMatchObject({ kind: 'translation', level: 0 });
  });
});

describe('stage 2 faults at every level, with ESR ISS and the IPA', () => {
  // the final IPA in another 512G region than the guest's tables, so a stage 2 fault on it at any level leaves the tables mapped
  const OUT = 0x100_4000_0000n;
  const setup = () => nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: 3 }, VA, OUT);

  for (const level of [0, 1, 2, 3]) {
    it(`translation fault at stage 2 level ${level} on a stage 1 table fetch (S1PTW)`, () => {
      const n = setup();
      const l2root = n.t1.pages[1]; // the guest's level 1 table
      n.t2.set(l2root, level, 0n);
      const f = bad(walk(VA, 'write', 0, n.s1, n.mem.read, n.s2));
      expect(f).toMatchObject({ kind: 'translation', level, stage: 2, s1ptw: true });
      // above level 3 the stage 2 entry also covers the guest's root table, which faults first
      expect(f.ipa! >> 12n).toBe((level === 3 ? l2root : n.t1.root) >> 12n);
      expect(f.fetches.s1).toEqual(level === 3 ? [1, 0, 0, 0] : [0, 0, 0, 0]);
      const e = faultException(f, 0);
      // WnR = 0: the walk is a read
      expect([e.ec, e.iss, e.targetEl, e.far]).toEqual([EC.DABT_LOWER, 0x84 + level, 2, VA]);
      const i = faultException(bad(walk(VA, 'fetch', 1, n.s1, n.mem.read, n.s2)), 1);
      expect([i.ec, i.iss, i.targetEl]).toEqual([EC.IABT_LOWER, 0x84 + level, 2]);
    });

    it(`translation fault at stage 2 level ${level} on the final IPA`, () => {
      const n = setup();
      n.t2.set(OUT, level, 0n);
      const f = bad(walk(VA, 'write', 1, n.s1, n.mem.read, n.s2));
      expect(f).toMatchObject({ kind: 'translation', level, stage: 2, s1ptw: false, ipa: OUT | 0xabcn });
      const e = faultException(f, 1);
      expect([e.ec, e.iss, e.targetEl, e.ipa]).toEqual([EC.DABT_LOWER, 0x44 + level, 2, OUT | 0xabcn]);
    });

    it(`address size fault at stage 2 level ${level}`, () => {
      const n = setup();
      const d = n.mem.m.get(n.t2.entry(OUT, level))!;
      n.t2.set(OUT, level, d | (1n << 44n));
      expect(bad(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2))).toMatchObject({ kind: 'address-size', level, stage: 2, s1ptw: false });
    });

    it(`external abort on the stage 2 walk at level ${level}`, () => {
      const n = setup();
      let s2 = n.s2;
      if (level === 0) s2 = decodeStage2({ VTCR_EL2: vtcr(20, 2), VTTBR_EL2: 0x2000n });
      else n.t2.set(n.t1.root, level - 1, 0x10_0000_0000n | 3n);
      const f = bad(walk(VA, 'read', 1, n.s1, n.mem.read, s2));
      expect(f).toMatchObject({ kind: 'external', level, stage: 2, s1ptw: true });
      expect(faultException(f, 1).iss).toBe(0x94 + level);
    });

    it(`external abort on the stage 1 walk at level ${level} (stage 2 maps the table to no memory)`, () => {
      const n = setup();
      const table = level === 0 ? n.t1.root : n.t1.pages[level];
      n.t2.map(table & ~0xfffn, 0xc000_0000n, 3, AF | S2RW);
      const f = bad(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
      expect(f).toMatchObject({ kind: 'external', level, stage: 1, s1ptw: false });
      const e = faultException(f, 1);
      expect([e.iss, e.targetEl, e.ipa]).toEqual([0x14 + level, -1, undefined]);
    });
  }

  for (const level of [1, 2, 3]) {
    it(`access flag and permission faults at stage 2 level ${level}`, () => {
      const n = nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: level }, VA, OUT);
      const size = 1n << BigInt(levelBits(12, level));
      const base = OUT & ~(size - 1n);
      n.t2.map(base, base + S2_OFFSET, level, S2RW);
      expect(bad(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2))).toMatchObject({ kind: 'access-flag', level, stage: 2, s1ptw: false });
      n.t2.map(base, base + S2_OFFSET, level, AF | (1n << 6n)); // read-only
      const r = ok(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
      expect(r.s2Level).toBe(level);
      const f = bad(walk(VA, 'write', 1, n.s1, n.mem.read, n.s2));
      expect(f).toMatchObject({ kind: 'permission', level, stage: 2, ipa: OUT | 0xabcn });
      const e = faultException(f, 1);
      expect([e.ec, e.iss, e.targetEl]).toEqual([EC.DABT_LOWER, 0x4c + level, 2]);
      expect(checkAccess(r, 'write', 1)).toMatchObject({ kind: 'permission', level, stage: 2 });
    });
  }

  it('stage 2 XN stops fetches; S2AP without read stops a stage 1 table fetch (S1PTW permission fault)', () => {
    const n = setup();
    n.t2.map(OUT, OUT + S2_OFFSET, 3, AF | S2RW | (1n << 54n));
    const f = bad(walk(VA, 'fetch', 1, n.s1, n.mem.read, n.s2));
    expect(f).toMatchObject({ kind: 'permission', level: 3, stage: 2 });
    expect(faultException(f, 1).ec).toBe(EC.IABT_LOWER);
    n.t2.map(n.t1.pages[2], n.t1.pages[2] + S2_OFFSET, 3, AF | (1n << 7n)); // write-only
    const g = bad(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(g).toMatchObject({ kind: 'permission', level: 3, stage: 2, s1ptw: true, ipa: n.t1.pages[2] + (g.ipa! & 0xfffn) });
    expect(faultException(g, 1).iss).toBe(0x8f);
  });

  it('a stage 1 permission fault is reported before stage 2 translates the output', () => {
    const n = setup();
    n.t1.map(VA & ~0xfffn, OUT, 3, AF | (1n << 7n));
    n.t2.set(OUT, 3, 0n);
    expect(bad(walk(VA, 'write', 1, n.s1, n.mem.read, n.s2))).toMatchObject({ kind: 'permission', stage: 1 });
  });

  it('a stage 2 fault on the final IPA of a fetch from EL2-less EL1 is an instruction abort to EL2 with HPFAR-ready IPA', () => {
    const n = setup();
    n.t2.set(OUT, 2, 0n);
    const e = faultException(bad(walk(VA, 'fetch', 1, n.s1, n.mem.read, n.s2)), 1);
    expect([e.ec, e.iss, e.targetEl, e.far, e.ipa]).toEqual([EC.IABT_LOWER, 0x06, 2, VA, OUT | 0xabcn]);
  });

  it('walks the 16th concatenated stage 2 start table (43-bit IPA at level 1)', () => {
    const mem = new Mem();
    const t2 = new Tables(mem, 12, 1, 43, 16);
    const ipa = (1n << 43n) - 0x1000n;
    t2.map(ipa, OUT, 3, AF | S2RW);
    const s2 = decodeStage2({ VTCR_EL2: vtcr(21, 1), VTTBR_EL2: t2.root });
    const r = ok(walk(ipa | 0x10n, 'read', 1, s1Regime(0n, {}, { sctlr: 0n }), mem.read, s2));
    expect([r.pa, r.fetches.s2]).toEqual([OUT | 0x10n, [0, 1, 1, 1]]);
    expect(bad(walk(1n << 43n, 'read', 1, s1Regime(0n, {}, { sctlr: 0n }), mem.read, s2))).toMatchObject({ kind: 'translation', level: 0, stage: 2 });
  });
});

describe('bad tables never crash or hang', () => {
  it('a table descriptor pointing at its own table: at most 4 fetches per stage, then a fault or a result', () => {
    const mem = new Mem();
    const root = mem.alloc(0x1000n);
    const idx = (l: number) => (VA >> BigInt(39 - 9 * l)) & 0x1ffn;
    for (let l = 0; l < 4; l++) mem.m.set(root + idx(l) * 8n, root | 3n);
    const f = bad(walk(VA, 'read', 1, s1Regime(root), mem.read));
    expect(f).toMatchObject({ kind: 'access-flag', level: 3 });
    expect(f.fetches.total).toBe(4);
    for (let l = 0; l < 4; l++) mem.m.set(root + idx(l) * 8n, root | 3n | AF);
    const r = ok(walk(VA, 'read', 1, s1Regime(root), mem.read));
    expect([r.pa, r.fetches.total]).toEqual([root | 0xabcn, 4]);
  });

  it('a stage 2 loop under a stage 1 walk also terminates', () => {
    const n = nested({ g: 12, start: 0, inputBits: 48, leaf: 3 }, { g: 12, start: 0, inputBits: 44, sl0: 2, leaf: 3 });
    const root = n.t2.root;
    for (let a = 0n; a < 0x1000n; a += 8n) n.mem.m.set(root + a, root | 3n);
    const f = bad(walk(VA, 'read', 1, n.s1, n.mem.read, n.s2));
    expect(f).toMatchObject({ kind: 'access-flag', level: 3, stage: 2, s1ptw: true });
    expect(f.fetches.total).toBe(4);
  });

  it('a reserved descriptor (block encoding at level 3) is a translation fault', () => {
    const { mem, t, s1 } = native();
    t.set(VA, 3, OUT | AF | 1n);
    expect(faultException(bad(walk(VA, 'read', 1, s1, mem.read)), 1).iss).toBe(0x07);
  });

  it('a descriptor pointing outside RAM is an external abort, and random descriptors never throw', () => {
    const { mem, t, s1 } = native();
    t.set(VA, 1, 0xdead_0000_0000n | 3n);
    const f = bad(walk(VA, 'read', 1, s1, mem.read));
    expect(f.kind === 'address-size' || f.kind === 'external').toBe(true);
    let x = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < 500; i++) {
      x = BigInt.asUintN(64, x * 6364136223846793005n + 1442695040888963407n);
      t.set(VA, i % 4, x);
      const r = walk(VA ^ BigInt(i), (['read', 'write', 'fetch'] as const)[i % 3], (i % 2) as 0 | 1, s1, mem.read);
      if (isFault(r)) faultException(r, 1);
    }
  });
});
