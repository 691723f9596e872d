// Page tables built in a Map-backed memory for the walker and MMU model tests:
// one stage's tables (`Tables`), register builders, and a guest stage 1 nested
// over a host stage 2 (`nested`).
import { decodeEl10, decodeStage2, type GranuleBits, type Stage1Regime, type Stage2Regime } from '../../src/mmu/regime.js';
import { isFault, type Translation, type WalkFault, type WalkResult } from '../../src/mmu/walker.js';

export const RAM = 0x4000_0000n, RAM_SIZE = 0x8000_0000n; // 2 GiB of "RAM": [0x4000_0000, 0xc000_0000)
export const AF = 1n << 10n;
export const S2RW = 3n << 6n;

export class Mem {
  readonly m = new Map<bigint, bigint>();
  next = RAM + 0x100_0000n;
  read = (pa: number): bigint => {
    const a = BigInt(pa);
    if (a < RAM || a >= RAM + RAM_SIZE) throw new Error(`no memory at 0x${a.toString(16)}`);
    return this.m.get(a) ?? 0n;
  };
  alloc(bytes: bigint): bigint {
    this.next = (this.next + bytes - 1n) & ~(bytes - 1n);
    const a = this.next;
    this.next += bytes;
    return a;
  }
}

/** Builds one stage's tables. `xlate` maps a table address (IPA for a nested stage 1) to the PA where it is stored. */
export class Tables {
  readonly pages: bigint[] = [];
  readonly root: bigint;
  constructor(
    readonly mem: Mem,
    readonly g: GranuleBits,
    readonly startLevel: number,
    readonly inputBits: number,
    concat = 1,
    readonly xlate: (a: bigint) => bigint = (a) => a,
    readonly alloc: (bytes: bigint) => bigint = (b) => mem.alloc(b),
  ) {
    const size = BigInt(concat) << BigInt(g);
    this.root = alloc(size);
    for (let i = 0n; i < BigInt(concat); i++) this.pages.push(this.root + (i << BigInt(g)));
  }
  private lo(level: number) { return BigInt((3 - level) * (this.g - 3) + this.g); }
  /** Address (table space) of the descriptor for `input` at `level`, creating tables above it. */
  entry(input: bigint, level: number): bigint {
    let table = this.root;
    for (let l = this.startLevel; ; l++) {
      const width = l === this.startLevel ? BigInt(this.inputBits) - this.lo(l) : BigInt(this.g - 3);
      const addr = table + ((input >> this.lo(l)) & ((1n << width) - 1n)) * 8n;
      if (l === level) return addr;
      const d = this.mem.m.get(this.xlate(addr)) ?? 0n;
      if ((d & 3n) === 3n) table = d & 0xffff_ffff_f000n & ~((1n << BigInt(this.g)) - 1n);
      else {
        table = this.alloc(1n << BigInt(this.g));
        this.pages.push(table);
        this.mem.m.set(this.xlate(addr), table | 3n);
      }
    }
  }
  set(input: bigint, level: number, desc: bigint) { this.mem.m.set(this.xlate(this.entry(input, level)), desc); }
  /** Maps `input` to `output` with a block (level < 3) or page (level 3). */
  map(input: bigint, output: bigint, level: number, attrs: bigint) {
    this.set(input, level, output | attrs | (level === 3 ? 3n : 1n));
  }
}

// register builders
export const tcrEl1 = (o: { t0sz?: number; t1sz?: number; tg0?: number; tg1?: number; ips?: number; epd0?: boolean; epd1?: boolean; as?: boolean; a1?: boolean; tbi0?: boolean }) =>
  BigInt(o.t0sz ?? 16) | (BigInt(o.tg0 ?? 0) << 14n) | (BigInt(o.t1sz ?? 16) << 16n) | (BigInt(o.tg1 ?? 2) << 30n) |
  (BigInt(o.ips ?? 4) << 32n) | (o.epd0 ? 1n << 7n : 0n) | (o.epd1 ? 1n << 23n : 0n) | (o.as ? 1n << 36n : 0n) |
  (o.a1 ? 1n << 22n : 0n) | (o.tbi0 ? 1n << 37n : 0n);
export const TG0 = { 12: 0, 14: 2, 16: 1 } as const;
export const vtcr = (t0sz: number, sl0: number, g: GranuleBits = 12, ps = 4) => BigInt(t0sz) | (BigInt(sl0) << 6n) | (BigInt(TG0[g]) << 14n) | (BigInt(ps) << 16n);

export function s1Regime(ttbr0: bigint, o: Parameters<typeof tcrEl1>[0] = {}, extra: { ttbr1?: bigint; sctlr?: bigint } = {}): Stage1Regime {
  return decodeEl10({ SCTLR_EL1: extra.sctlr ?? 1n, TCR_EL1: tcrEl1(o), TTBR0_EL1: ttbr0, TTBR1_EL1: extra.ttbr1 ?? 0n });
}

export const ok = (r: WalkResult): Translation => {
  if (isFault(r)) throw new Error(`unexpected fault ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
  return r;
};
export const bad = (r: WalkResult): WalkFault => {
  if (!isFault(r)) throw new Error(`expected a fault, got pa 0x${r.pa.toString(16)}`);
  return r;
};

export const VA = 0x0000_1234_5678_9abcn & ~0xfffn | 0xabcn; // arbitrary 48-bit VA
export const OUT = RAM + 0x2000_0000n; // final data page (PA, or IPA under stage 2)

/** A guest (stage 1) set of tables at IPAs, and a host stage 2 mapping them and the data. */
export interface Nested { mem: Mem; s1: Stage1Regime; s2: Stage2Regime; t1: Tables; t2: Tables }
export const S2_OFFSET = 0x4000_0000n; // IPA x is at PA x + offset (1G-aligned, so 1G stage 2 blocks work)

export function nested(
  s1o: { g: GranuleBits; start: number; inputBits: number; leaf: number },
  s2o: { g: GranuleBits; start: number; inputBits: number; sl0: number; leaf: number; concat?: number },
  va = VA,
  out = OUT,
): Nested {
  const mem = new Mem();
  // guest tables live at IPAs in [RAM, RAM + 0x0800_0000): allocate there, store at +offset
  let guestNext = RAM + 0x0040_0000n;
  const galloc = (b: bigint) => { guestNext = (guestNext + b - 1n) & ~(b - 1n); const a = guestNext; guestNext += b; return a; };
  const t1 = new Tables(mem, s1o.g, s1o.start, s1o.inputBits, 1, (a) => a + S2_OFFSET, galloc);
  t1.map(va & ~((1n << BigInt(levelBits(s1o.g, s1o.leaf))) - 1n), out, s1o.leaf, AF);
  const t2 = new Tables(mem, s2o.g, s2o.start, s2o.inputBits, s2o.concat ?? 1);
  const s2Size = 1n << BigInt(levelBits(s2o.g, s2o.leaf));
  const mapped = new Set<bigint>();
  for (const ipa of [...t1.pages, out]) {
    const base = ipa & ~(s2Size - 1n);
    if (mapped.has(base)) continue;
    mapped.add(base);
    t2.map(base, base + S2_OFFSET, s2o.leaf, AF | S2RW);
  }
  const tg = TG0[s1o.g];
  const s1 = s1Regime(t1.root, { t0sz: 64 - s1o.inputBits, tg0: tg });
  const s2 = decodeStage2({ VTCR_EL2: vtcr(64 - s2o.inputBits, s2o.sl0, s2o.g), VTTBR_EL2: t2.root | (5n << 48n) });
  return { mem, s1, s2, t1, t2 };
}
export const levelBits = (g: number, level: number) => (3 - level) * (g - 3) + g;

