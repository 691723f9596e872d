// The CPU: registers, PSTATE, the host-side TLB in front of the address space,
// the decoded-instruction cache and the run loop. Instruction semantics are
// generated from spec/isa into src/generated/executor.ts and use only the
// methods here.
import { ArchException, EC } from './exception.js';
import { Access, HostFill, PAGE_SIZE, type AccessTiming, type AddressSpace, type Page } from './memory.js';
import { REG_SLOTS, SP, MASK32 } from './regs.js';
import type { SysCtx } from './sysctx.js';
import { sysResetValues, SLOT } from '../generated/sysregs.js';
import { Block, MAX_BLOCK, HOT_BLOCK, type InlineSource } from './block.js';

export type Exec = (c: Cpu) => void;
/** Turns an instruction word into its executable form, its cost in cycles, and whether a basic block ends with it. */
export type Decoder = ((word: number) => { exec: Exec; cost: number; endsBlock: boolean }) & {
  /** The instructions' inline forms, for compiled blocks (src/core/block.ts); without it they call the closures. */
  inline?: InlineSource<Cpu>;
};
/** What the CPU keeps in Page.decoded. */
type PageBlocks = (Block<Cpu> | undefined)[];

const TWO32 = 4294967296;

/** ConditionHolds(cc) for flags N, Z, C, V (each 0 or 1). */
function conditionHolds(cc: number, n: number, z: number, c: number, v: number): boolean {
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = z === 1; break;
    case 1: r = c === 1; break;
    case 2: r = n === 1; break;
    case 3: r = v === 1; break;
    case 4: r = c === 1 && z === 0; break;
    case 5: r = n === v; break;
    case 6: r = n === v && z === 0; break;
    default: return true;
  }
  return cc & 1 ? !r : r;
}
/** Per value of the flags as the bits NZCV, the conditions (bit cc) that hold. */
const COND_TRUE = Uint16Array.from({ length: 16 }, (_, f) => {
  let bits = 0;
  for (let cc = 0; cc < 16; cc++) if (conditionHolds(cc, (f >> 3) & 1, (f >> 2) & 1, (f >> 1) & 1, f & 1)) bits |= 1 << cc;
  return bits;
});
const HOST_TLB = 256;
/** Distinct blocks kept per decoder (blocksOf): the kernel (35k instructions of text, the workloads included) and the vmm (10k) make fewer; a guest that keeps generating code empties it now and then. */
const BLOCK_CACHE_LIMIT = 1 << 15;

/**
 * Blocks by their words, per decoder. A block is a function of its words and the decoder alone
 * (its code reads the PC at run time and the machine through its parameter), so the same code at
 * another address, in another page (a process exec'd again, a copy-on-write copy) or in the next
 * run on this thread (an experiment's next point) runs the block already decoded, warmed up and
 * compiled: compiling a block and having V8 optimize it costs as much as thousands of its runs.
 */
const BLOCKS = new WeakMap<Decoder, Map<string, Block<Cpu>>>();
function blocksOf(d: Decoder): Map<string, Block<Cpu>> {
  let m = BLOCKS.get(d);
  if (m === undefined) BLOCKS.set(d, (m = new Map()));
  return m;
}

/** The host-side TLB of one EL (see Cpu). */
class HostTlbBank {
  readonly rTag = new Float64Array(HOST_TLB).fill(NaN);
  readonly wTag = new Float64Array(HOST_TLB).fill(NaN);
  readonly rPage: (Page | undefined)[] = new Array(HOST_TLB).fill(undefined);
  readonly wPage: (Page | undefined)[] = new Array(HOST_TLB).fill(undefined);
  /** The TLB model's L1 D entry (slot) each page came from; -1: none. */
  readonly rEntry = new Int32Array(HOST_TLB).fill(-1);
  readonly wEntry = new Int32Array(HOST_TLB).fill(-1);
  /** Pages code is fetched from, with their TLB model's L1 I entry (slot; -1: none). */
  readonly fTag = new Float64Array(HOST_TLB).fill(NaN);
  readonly fPage: (Page | undefined)[] = new Array(HOST_TLB).fill(undefined);
  readonly fEntry = new Int32Array(HOST_TLB).fill(-1);
  /**
   * The indices filled since the last flush, each once (`listed` marks them): a flush visits
   * these, not all 256 of each kind (a context switch flushes, and fills only a few between).
   */
  private readonly filled = new Int32Array(HOST_TLB);
  private readonly listed = new Uint8Array(HOST_TLB);
  private count = 0;

  /** Index i is being filled (of any kind). */
  note(i: number): void {
    if (this.listed[i] === 0) {
      this.listed[i] = 1;
      this.filled[this.count++] = i;
    }
  }

  /**
   * Empties every index filled since the last flush; with `global`, keeps the upper-half pages
   * (negative page numbers) whose TLB model entry it says matches every ASID (an L1 D slot for
   * data, an L1 I slot for fetches). An index keeps its place in `filled` while a kind stays.
   */
  flush(global: ((entry: number, fetch: boolean) => boolean) | null): void {
    const stays = (tag: number, entry: number, fetch: boolean) => global !== null && tag < 0 && entry >= 0 && global(entry, fetch);
    let kept = 0;
    for (let k = 0; k < this.count; k++) {
      const i = this.filled[k]!;
      if (!stays(this.rTag[i]!, this.rEntry[i]!, false)) this.rTag[i] = NaN;
      if (!stays(this.wTag[i]!, this.wEntry[i]!, false)) this.wTag[i] = NaN;
      if (!stays(this.fTag[i]!, this.fEntry[i]!, true)) this.fTag[i] = NaN;
      if (this.rTag[i] === this.rTag[i] || this.wTag[i] === this.wTag[i] || this.fTag[i] === this.fTag[i]) this.filled[kept++] = i; // a tag is not NaN
      else this.listed[i] = 0;
    }
    this.count = kept;
  }
}

export class Cpu implements SysCtx {
  readonly r = new BigUint64Array(REG_SLOTS);
  readonly u32 = new Uint32Array(this.r.buffer);
  readonly i32 = new Int32Array(this.r.buffer);
  /** Address of the current instruction (signed-64 interpretation; exact for canonical VAs). */
  pc = 0;
  /** Address of the next instruction; branches and exceptions set it. */
  npc = 0;
  n = 0; z = 0; c = 0; v = 0;
  /** PSTATE.EL; change it with setEl, which switches the banked stack pointer. */
  el = 0;
  /** PSTATE.SP: 0 = SP_EL0, 1 = SP_ELx. */
  spsel = 0;
  /** PSTATE.{D,A,I,F} as bits 3..0 (DAIF register bits 9:6). */
  daif = 0;
  /** PSTATE.IL: set by an illegal exception return; the next instruction takes an Illegal State exception. */
  il = 0;
  /** Stack pointers of the ELs not in use (slot SP holds the current one), indexed by EL. */
  private readonly spBank = new BigUint64Array(3);
  instructions = 0;
  cycles = 0;
  /** The block being executed and its first PC (retired/elapsed count its instructions that already ran). */
  private block: Block<Cpu> | null = null;
  private blockPc = 0;
  /** Exclusive monitor: the reserved address, NaN when open. */
  exclusive = NaN;
  sys: BigUint64Array = sysResetValues();

  private fetchVpn = NaN;
  private fetchPage: Page | undefined;
  /** The TLB model's L1 I entry (slot) for the fetch page; -1: none. */
  private fetchEntry = -1;
  /** What the address space's lookups report (reset before each). */
  private readonly fill = new HostFill();
  /** The memory system's cycle model; null: an access costs only its instruction class. */
  timing: AccessTiming | null = null;

  /** The blocks this CPU's decoder built, by their words (blocksOf). */
  private readonly blockCache: Map<string, Block<Cpu>>;

  constructor(public space: AddressSpace, private readonly decoder: Decoder) {
    this.blockCache = blocksOf(decoder);
  }

  // --- flags (register slots from core/regs.ts) ---
  // BigInt arithmetic stays in machine words only while values go from slots
  // straight into slots; passing a BigInt through a call allocates. So the
  // flag computations read the 32-bit halves of slots as Numbers.

  /**
   * AddWithCarry(X[n], X[m] or NOT X[m] when sub, cin) at 64 (sf = 1) or 32 bits:
   * the result into slot d, NZCV set.
   */
  adds(d: number, n: number, m: number, sub: number, cin: number, sf: number): void {
    if (sf) this.adds64(d, n, m, sub, cin);
    else this.adds32(d, n, m, sub, cin);
  }
  /** AddWithCarry(a, b or NOT b, cin) in two 32-bit words (no BigInt): the carry out of the low word goes into the high one. */
  private adds64(d: number, n: number, m: number, sub: number, cin: number): void {
    const u = this.u32;
    const al = u[2 * n]!, ah = u[2 * n + 1]!;
    const bl = sub ? ~u[2 * m]! >>> 0 : u[2 * m]!, bh = sub ? ~u[2 * m + 1]! >>> 0 : u[2 * m + 1]!;
    const lo = al + bl + cin;
    const hi = ah + bh + (lo >= TWO32 ? 1 : 0);
    const rl = lo >>> 0, rh = hi >>> 0;
    u[2 * d] = rl;
    u[2 * d + 1] = rh;
    this.n = rh >>> 31;
    this.z = (rl | rh) === 0 ? 1 : 0;
    this.c = hi >= TWO32 ? 1 : 0;
    this.v = ((ah ^ rh) & (bh ^ rh)) >>> 31;
  }
  /** 32-bit AddWithCarry of W[n] and W[m] (inverted when sub). */
  private adds32(d: number, n: number, m: number, sub: number, cin: number): void {
    const u = this.i32, a = u[2 * n], b = sub ? ~u[2 * m]! : u[2 * m]!;
    const r = (a + b + cin) | 0;
    this.n = r >>> 31;
    this.z = r === 0 ? 1 : 0;
    this.c = (cin ? (r >>> 0) <= (a >>> 0) : (r >>> 0) < (a >>> 0)) ? 1 : 0;
    this.v = ((a ^ r) & (b ^ r)) >>> 31;
    u[2 * d] = r;
    u[2 * d + 1] = 0;
  }
  /** N and Z from the 64- or 32-bit value in slot s, C and V cleared (flag-setting logical instructions). */
  logicFlags(s: number, sf: number): void {
    const u = this.u32, lo = u[2 * s], hi = sf ? u[2 * s + 1] : 0;
    this.n = (sf ? hi : lo) >>> 31;
    this.z = (lo | hi) === 0 ? 1 : 0;
    this.c = 0;
    this.v = 0;
  }

  /** Condition code test (cond field 0..15): a bit of the flags' row of COND_TRUE, small enough to inline into every compiled block. */
  cond(cc: number): boolean {
    return ((COND_TRUE[(this.n << 3) | (this.z << 2) | (this.c << 1) | this.v]! >>> cc) & 1) === 1;
  }

  get nzcv(): number { return (this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28); }
  set nzcv(f: number) { this.n = (f >>> 31) & 1; this.z = (f >>> 30) & 1; this.c = (f >>> 29) & 1; this.v = (f >>> 28) & 1; }

  // --- addresses ---
  /** Slot `s` plus `off` as an address: the signed-64 value as a Number, exact within ±2^53. */
  ea(s: number, off: number): number {
    // small, for V8 to inline into compiled blocks: SP and large values take eaSlow
    const hi = this.i32[2 * s + 1]!;
    if (s === SP || hi < -0x200000 || hi >= 0x200000) return this.eaSlow(s, off);
    return hi * TWO32 + this.u32[2 * s]! + off;
  }
  private eaSlow(s: number, off: number): number {
    if (s === SP && (this.u32[2 * SP] & 15) !== 0) this.checkSpAlignment();
    const hi = this.i32[2 * s + 1]!;
    if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + this.u32[2 * s]! + off;
    return this.addr(this.r[s] + BigInt(off));
  }
  /** A 64-bit address value as a Number; addresses beyond ±2^53 are never canonical, so they fault. */
  addr(v: bigint): number {
    const s = BigInt.asIntN(64, v);
    if (s >= -(2n ** 53n) && s < 2n ** 53n) return Number(s);
    throw new ArchException(this.el === 0 ? EC.DABT_LOWER : EC.DABT_SAME, 0b000100 /* translation fault, level 0 */, -1, BigInt.asUintN(64, v));
  }
  /** An SP-based access with SP not 16-byte aligned faults when SCTLR_ELx.SA (SA0 at EL0) is set. */
  private checkSpAlignment(): void {
    const sctlr = this.el === 2 ? this.sys[SLOT.SCTLR_EL2] : this.sys[SLOT.SCTLR_EL1];
    if ((sctlr >> (this.el === 0 ? 4n : 3n)) & 1n) throw new ArchException(EC.SP_ALIGN, 0);
  }
  /** Writes an address Number (exact, |a| < 2^53) into slot s as its 64-bit value, without a BigInt. */
  setAddr(s: number, a: number): void {
    this.u32[2 * s] = a >>> 0;
    this.i32[2 * s + 1] = Math.floor(a / TWO32);
  }
  /** Branches to the address held in slot s. */
  jump(s: number): void {
    const hi = this.i32[2 * s + 1];
    if (hi >= -0x200000 && hi < 0x200000) this.npc = hi * TWO32 + this.u32[2 * s];
    else this.branchTo(this.r[s]);
  }
  /**
   * Branches to a 64-bit target. One no Number can hold exactly (beyond ±2^53, never a
   * canonical address) becomes NaN, and the fetch from it takes the instruction abort.
   */
  branchTo(v: bigint): void {
    const s = BigInt.asIntN(64, v);
    if (s >= -(2n ** 53n) && s < 2n ** 53n) { this.npc = Number(s); return; }
    this.npc = NaN;
    this.wildTarget = BigInt.asUintN(64, v);
  }
  private wildTarget = 0n;

  // --- memory ---
  // The host-side TLB: per access kind, a direct-mapped table from virtual
  // page number to the page the address space resolved it to, and the TLB
  // model's entry that translation came from. It only ever holds what the
  // model's L1 TLBs hold (the machine drops copies of evicted entries), so a
  // host hit is an L1 hit, reported to `timing` to keep the model's LRU exact.
  // One bank per EL, since permissions and the regime depend on it: taking an
  // exception or returning switches banks instead of flushing.
  private readonly banks = [new HostTlbBank(), new HostTlbBank(), new HostTlbBank()];
  /** The current EL's bank (its arrays are also in the fields below, for the fast paths). */
  private bank = this.banks[0]!;
  private rTag = this.banks[0]!.rTag;
  private wTag = this.banks[0]!.wTag;
  private rPage = this.banks[0]!.rPage;
  private wPage = this.banks[0]!.wPage;
  private rEntry = this.banks[0]!.rEntry;
  private wEntry = this.banks[0]!.wEntry;
  private fTag = this.banks[0]!.fTag;

  /**
   * The TLB model entry of the last rpage/wpage host hit, for `timing` to count; -1 after a
   * host miss, whose lookup in the address space counted the access already.
   */
  private hitEntry = -1;

  /** Looks a page up in the address space, with `fill` reset; charges the translation's cycles, a faulting one's too. */
  private lookupPage(vpn: number, access: Access, a: number): Page {
    const f = this.fill;
    f.entry = -1;
    f.writable = false;
    f.cycles = 0;
    try {
      return this.space.lookup(vpn, access, a, f);
    } finally {
      this.cycles += f.cycles;
    }
  }

  /** The page for a read at a; device pages are never cached. */
  private rpage(a: number): Page {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & (HOST_TLB - 1);
    if (this.rTag[i] === vpn) {
      this.hitEntry = this.rEntry[i]!;
      return this.rPage[i]!;
    }
    this.hitEntry = -1;
    const p = this.lookupPage(vpn, Access.Read, a);
    if (!p.mmio) {
      const e = this.fill.entry;
      this.bank.note(i);
      this.rTag[i] = vpn; this.rPage[i] = p; this.rEntry[i] = e;
      // the same translation serves writes when it allows them (not to code: stores to it must come to wpage)
      if (this.fill.writable && !p.decoded) { this.wTag[i] = vpn; this.wPage[i] = p; this.wEntry[i] = e; }
    }
    return p;
  }
  /** The page for a write at a. A page holding decoded code is never cached for writes, so stores to it come here and invalidate the code. */
  private wpage(a: number): Page {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & (HOST_TLB - 1);
    if (this.wTag[i] === vpn) {
      this.hitEntry = this.wEntry[i]!;
      return this.wPage[i]!;
    }
    this.hitEntry = -1;
    const p = this.lookupPage(vpn, Access.Write, a);
    if (p.decoded) this.invalidateCode(p);
    else if (!p.mmio) { this.bank.note(i); this.wTag[i] = vpn; this.wPage[i] = p; this.wEntry[i] = this.fill.entry; }
    return p;
  }
  /** Drops the host-side TLB (after any change of mappings or translation regime). */
  flushHostTlb(): void {
    for (const b of this.banks) b.flush(null);
    this.fetchVpn = NaN;
  }
  /**
   * Drops the host-side TLB entries (every bank) but those of the upper half (negative page
   * numbers) whose TLB model entry `global` says matches every ASID: what a change of ASID leaves
   * valid. `global` gets an L1 D slot for data, an L1 I slot for fetches (`fetch`).
   */
  flushHostTlbKeepingGlobal(global: (entry: number, fetch: boolean) => boolean): void {
    for (const b of this.banks) b.flush(global);
    this.fetchVpn = NaN;
  }

  /**
   * Drops the host-side copies of an L1 TLB model entry, by slot (it left the L1 TLB): the data
   * copies of an L1 D entry, the fetch copies of an L1 I entry (`fetch`). An entry for one 4 KiB
   * page has its copies at one index, the page number's low bits (`vpn4k`); a larger one (vpn4k
   * -1) may be anywhere.
   */
  dropHostCopies(slot: number, vpn4k: number, fetch: boolean): void {
    const from = vpn4k < 0 ? 0 : vpn4k & (HOST_TLB - 1);
    const to = vpn4k < 0 ? HOST_TLB : from + 1;
    if (fetch && this.fetchEntry === slot) this.fetchVpn = NaN;
    for (const b of this.banks) {
      for (let i = from; i < to; i++) {
        if (fetch) {
          if (b.fEntry[i] === slot) b.fTag[i] = NaN;
          continue;
        }
        if (b.rEntry[i] === slot) b.rTag[i] = NaN;
        if (b.wEntry[i] === slot) b.wTag[i] = NaN;
      }
    }
  }
  private invalidateCode(p: Page): void {
    p.decoded = null;
    this.fetchVpn = NaN;
  }

  /** Any read, as a value: page-crossing, device and first-touch accesses come here. */
  read(a: number, size: number): bigint {
    const off = a & (PAGE_SIZE - 1);
    if (off + size > PAGE_SIZE) return this.readSplit(a, size);
    const p = this.rpage(a);
    if (p.mmio) return p.mmio.read(p.mmioBase + off, size);
    if (this.timing !== null) this.cycles += this.timing.data(this.hitEntry, p, off, false);
    const v = p.view;
    switch (size) {
      case 1: return BigInt(v.getUint8(off));
      case 2: return BigInt(v.getUint16(off, true));
      case 4: return BigInt(v.getUint32(off, true));
      default: return v.getBigUint64(off, true);
    }
  }
  write(a: number, size: number, val: bigint): void {
    const off = a & (PAGE_SIZE - 1);
    if (off + size > PAGE_SIZE) return this.writeSplit(a, size, val);
    const p = this.wpage(a);
    if (p.mmio) return p.mmio.write(p.mmioBase + off, size, BigInt.asUintN(size * 8, val));
    if (this.timing !== null) this.cycles += this.timing.data(this.hitEntry, p, off, true);
    const v = p.view;
    switch (size) {
      case 1: v.setUint8(off, Number(val & 0xffn)); break;
      case 2: v.setUint16(off, Number(val & 0xffffn), true); break;
      case 4: v.setUint32(off, Number(val & MASK32), true); break;
      default: v.setBigUint64(off, val, true);
    }
  }
  /**
   * Load into slot t: size bytes, zero-extended, or sign-extended to 32 or 64 bits (sx = 32 | 64).
   * The fast path, small enough for V8 to inline into a compiled block, is a host-TLB hit within
   * one page; everything else goes through loadSlow.
   */
  load(t: number, a: number, size: number, sx: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & (HOST_TLB - 1);
    const off = a & (PAGE_SIZE - 1);
    if (this.rTag[i] !== vpn || off + size > PAGE_SIZE) { this.loadSlow(t, a, size, sx); return; }
    const p = this.rPage[i]!;
    if (this.timing !== null) this.cycles += this.timing.data(this.rEntry[i]!, p, off, false);
    this.loadFrom(p.view, off, t, size, sx);
  }
  /** A load across pages, from a device, or missing the host TLB. */
  private loadSlow(t: number, a: number, size: number, sx: number): void {
    const off = a & (PAGE_SIZE - 1);
    if (off + size > PAGE_SIZE) { this.loadValue(t, this.read(a, size), size, sx); return; }
    const p = this.rpage(a);
    if (p.mmio) { this.loadValue(t, p.mmio.read(p.mmioBase + off, size), size, sx); return; }
    // the lookup counted the access (entry -1)
    if (this.timing !== null) this.cycles += this.timing.data(-1, p, off, false);
    this.loadFrom(p.view, off, t, size, sx);
  }
  /** The value at `off` of a RAM page's view into slot t (as `load`). */
  private loadFrom(v: DataView, off: number, t: number, size: number, sx: number): void {
    const u = this.u32;
    if (size === 8) { u[2 * t] = v.getUint32(off, true); u[2 * t + 1] = v.getUint32(off + 4, true); return; }
    let lo: number;
    if (sx === 0) {
      lo = size === 4 ? v.getUint32(off, true) : size === 2 ? v.getUint16(off, true) : v.getUint8(off);
      u[2 * t] = lo;
      u[2 * t + 1] = 0;
      return;
    }
    lo = size === 4 ? v.getInt32(off, true) : size === 2 ? v.getInt16(off, true) : v.getInt8(off);
    u[2 * t] = lo;
    this.i32[2 * t + 1] = sx === 64 ? lo >> 31 : 0;
  }
  private loadValue(t: number, v: bigint, size: number, sx: number): void {
    if (sx) v = BigInt.asIntN(size * 8, v);
    this.r[t] = sx === 32 ? v & MASK32 : v;
  }
  /** Store the low `size` bytes of slot t (fast path as for load). */
  store(t: number, a: number, size: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & (HOST_TLB - 1);
    const off = a & (PAGE_SIZE - 1);
    if (this.wTag[i] !== vpn || off + size > PAGE_SIZE) { this.write(a, size, this.r[t]); return; }
    const p = this.wPage[i]!;
    if (this.timing !== null) this.cycles += this.timing.data(this.wEntry[i]!, p, off, true);
    this.storeTo(p.view, off, t, size);
  }
  /** The low `size` bytes of slot t to `off` of a RAM page's view. */
  private storeTo(v: DataView, off: number, t: number, size: number): void {
    const u = this.u32;
    if (size === 8) { v.setUint32(off, u[2 * t]!, true); v.setUint32(off + 4, u[2 * t + 1]!, true); }
    else if (size === 4) v.setUint32(off, u[2 * t]!, true);
    else if (size === 2) v.setUint16(off, u[2 * t]!, true);
    else v.setUint8(off, u[2 * t]!);
  }
  private readSplit(a: number, size: number): bigint {
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | this.read(a + i, 1);
    return v;
  }
  private writeSplit(a: number, size: number, val: bigint): void {
    for (let i = 0; i < size; i++) this.write(a + i, 1, (val >> BigInt(8 * i)) & 0xffn);
  }

  // --- PSTATE and the banked stack pointers ---
  /** Sets PSTATE.EL and PSTATE.SP, moving the stack pointers between slot SP and their banks. */
  setEl(el: number, spsel: number): void {
    const from = this.spsel ? this.el : 0;
    const to = spsel ? el : 0;
    if (from !== to) {
      this.spBank[from] = this.r[SP];
      this.r[SP] = this.spBank[to];
    }
    if (el !== this.el) {
      const b = (this.bank = this.banks[el]!);
      this.rTag = b.rTag; this.wTag = b.wTag; this.rPage = b.rPage; this.wPage = b.wPage; this.rEntry = b.rEntry; this.wEntry = b.wEntry;
      this.fTag = b.fTag;
      this.fetchVpn = NaN; // execute permission depends on the EL: the new EL's bank serves it
    }
    this.el = el;
    this.spsel = spsel;
  }
  /** SP_ELn, wherever it currently lives. */
  spOf(n: number): bigint {
    return (this.spsel ? this.el : 0) === n ? this.r[SP] : this.spBank[n];
  }
  setSpOf(n: number, v: bigint): void {
    if ((this.spsel ? this.el : 0) === n) this.r[SP] = v;
    else this.spBank[n] = v;
  }

  // --- system registers (SysCtx) ---
  /** Hooks of the environment (timers, WFI, TLB maintenance…); PSTATE and stack pointers are served here. */
  hooks: { read(h: string): bigint; write(h: string, v: bigint): void; op(op: string, v: bigint): void } = {
    read: (h) => { throw new Error(`system register hook ${h} is not modelled`); },
    write: (h) => { throw new Error(`system register hook ${h} is not modelled`); },
    op: () => {},
  };
  readHook(h: string): bigint {
    switch (h) {
      case 'NZCV': return BigInt(this.nzcv >>> 0);
      case 'CurrentEL': return BigInt(this.el << 2);
      case 'DAIF': return BigInt(this.daif << 6);
      case 'SPSel': return BigInt(this.spsel);
      case 'SP_EL0': return this.spOf(0);
      case 'SP_EL1': return this.spOf(1);
      default: return this.hooks.read(h);
    }
  }
  writeHook(h: string, v: bigint): void {
    switch (h) {
      case 'NZCV': this.nzcv = Number(v & 0xf0000000n) | 0; return;
      case 'DAIF': this.daif = Number((v >> 6n) & 0xfn); this.nextEvent = 0; return; // an unmasked interrupt may now be taken
      case 'SPSel': this.setEl(this.el, Number(v & 1n)); return;
      case 'SP_EL0': this.setSpOf(0, v); return;
      case 'SP_EL1': this.setSpOf(1, v); return;
      default: this.hooks.write(h, v);
    }
  }
  sysOp(op: string, v: bigint): void { this.hooks.op(op, v); }
  /** Called after an MSR wrote a system register (the environment watches the translation controls). */
  onSysWrite: (name: string) => void = () => {};

  // --- execution ---
  /** Runs until `limit` instructions have retired; architectural exceptions go to `onException`. */
  run(limit: number, onException: (e: ArchException) => void): void {
    while (this.instructions < limit && !this.stopped) {
      try {
        this.runInner(limit);
      } catch (e) {
        this.retireBefore();
        if (!(e instanceof ArchException)) throw e;
        onException(e);
      }
    }
  }
  /**
   * After an exception (or a debugger's redirect) in mid-block: charges the block's instructions
   * before the faulting one (at this.pc), which retired. Here rather than around each block, which
   * would cost a catch and a rethrow per exception.
   */
  private retireBefore(): void {
    const b = this.block;
    if (b === null) return;
    const i = (this.pc - this.blockPc) / 4;
    this.instructions += i;
    this.cycles += b.prefix[i]!;
    this.block = null;
  }
  /** Set by the environment to end run() early (exit, power-off). */
  stopped = false;
  /**
   * The cycle count at which the environment wants control between two blocks
   * (a timer deadline, an interrupt that may now be taken); 0 = at the next block.
   */
  nextEvent = Infinity;
  onEvent: () => void = () => { this.nextEvent = Infinity; };

  /**
   * Executes whole basic blocks: their instruction count and static cost are
   * charged in one add. PC is kept exact for every instruction, so PC-relative
   * operands and exceptions in the middle of a block see the right address.
   */
  private runInner(limit: number): void {
    while (!this.stopped) {
      if (this.cycles >= this.nextEvent) {
        this.onEvent();
        if (this.stopped) return;
      }
      const pc = this.pc;
      const vpn = Math.floor(pc / PAGE_SIZE);
      if (vpn !== this.fetchVpn || (pc & 3) !== 0) this.enterPage(pc, vpn);
      else if (this.timing !== null) this.cycles += this.timing.fetch(this.fetchEntry);
      const idx = (pc & (PAGE_SIZE - 1)) >>> 2;
      if (this.il) throw new ArchException(EC.ILLEGAL_STATE, 0);
      const b = (this.fetchPage!.decoded as PageBlocks)[idx] ?? this.buildBlock(this.fetchPage!, idx);
      if (this.instructions + b.n > limit) {
        if (this.instructions >= limit) return;
        this.step(b);
        continue;
      }
      this.npc = pc + 4 * b.n;
      this.block = b;
      this.blockPc = pc;
      // an exception leaves this.block set: run() charges what retired (retireBefore)
      if (b.compiled) b.compiled(this);
      else this.interpret(b, pc);
      this.block = null;
      this.instructions += b.n;
      this.cycles += b.cost;
      this.pc = this.npc;
    }
  }
  private interpret(b: Block<Cpu>, pc: number): void {
    const fns = b.fns;
    this.pc = pc;
    fns[0](this);
    for (let i = 1; i < fns.length; i++) {
      this.pc = pc + 4 * i;
      fns[i](this);
    }
    if (++b.runs === HOT_BLOCK) b.compile(this.decoder.inline);
  }
  /**
   * Instructions retired so far, counting those of the running block that executed before the
   * current one (blocks are charged when they end): what a counter read in mid-block sees.
   */
  get retired(): number {
    return this.block === null ? this.instructions : this.instructions + (this.pc - this.blockPc) / 4;
  }
  /** Cycles so far, in the same sense as `retired`. */
  get elapsed(): number {
    return this.block === null ? this.cycles : this.cycles + this.block.prefix[(this.pc - this.blockPc) / 4]!;
  }

  /** Runs only the first instruction of a block (to stop exactly at an instruction limit). */
  private step(b: Block<Cpu>): void {
    this.npc = this.pc + 4;
    b.fns[0](this);
    this.instructions++;
    this.cycles += b.prefix[1];
    this.pc = this.npc;
  }
  private enterPage(pc: number, vpn: number): void {
    if (Number.isNaN(pc)) throw new ArchException(this.el === 0 ? EC.IABT_LOWER : EC.IABT_SAME, 0b000100 /* translation fault, level 0 */, -1, this.wildTarget);
    if ((pc & 3) !== 0) throw new ArchException(EC.PC_ALIGN, 0, -1, BigInt.asUintN(64, BigInt(pc)));
    const i = vpn & (HOST_TLB - 1);
    const b = this.bank;
    let p: Page, entry: number;
    if (this.fTag[i] === vpn) {
      // a host hit is an L1 I hit, as for data: counted as the lookup would have
      p = b.fPage[i]!;
      entry = b.fEntry[i]!;
      if (this.timing !== null) this.cycles += this.timing.fetch(entry);
    } else {
      p = this.lookupPage(vpn, Access.Fetch, pc);
      if (p.mmio) throw new ArchException(EC.IABT_SAME, 0b010000 /* synchronous external abort */, -1, BigInt.asUintN(64, BigInt(pc)));
      entry = this.fill.entry;
      b.note(i);
      this.fTag[i] = vpn; b.fPage[i] = p; b.fEntry[i] = entry;
    }
    if (!p.decoded) {
      p.decoded = new Array(PAGE_SIZE / 4);
      // A page that now holds code loses its write-cache entries, at whatever VA and EL (aliases
      // included), so that stores to it come to wpage and invalidate the decoded code.
      for (const b of this.banks) for (let i = 0; i < HOST_TLB; i++) if (b.wPage[i] === p) b.wTag[i] = NaN;
    }
    this.fetchPage = p;
    this.fetchVpn = vpn;
    this.fetchEntry = entry;
  }

  /** Decodes the basic block starting at word idx of page p: up to a block-ending instruction, the page end or MAX_BLOCK. */
  private buildBlock(p: Page, idx: number): Block<Cpu> {
    const fns: Exec[] = [];
    const costs: number[] = [];
    const words: number[] = [];
    for (let k = idx; k < PAGE_SIZE / 4 && fns.length < MAX_BLOCK; k++) {
      const w = p.view.getUint32(k * 4, true);
      const d = this.decoder(w);
      fns.push(d.exec);
      costs.push(d.cost);
      words.push(w);
      if (d.endsBlock) break;
    }
    const key = words.join(',');
    let b = this.blockCache.get(key);
    if (b === undefined) {
      // a guest that generates code without end does not grow the cache without end
      if (this.blockCache.size >= BLOCK_CACHE_LIMIT) this.blockCache.clear();
      this.blockCache.set(key, (b = new Block<Cpu>(fns, costs, words)));
    }
    p.decoded![idx] = b;
    return b;
  }
  /** Word at the current PC (for reports). */
  wordAt(a: number): number | undefined {
    // from the page being executed when it is there: no access for the memory model to see
    if (Math.floor(a / PAGE_SIZE) === this.fetchVpn) return this.fetchPage!.view.getUint32(a & (PAGE_SIZE - 1), true);
    try { return Number(this.read(a, 4)); } catch { return undefined; }
  }
  get sp(): bigint { return this.r[SP]; }
  set sp(v: bigint) { this.r[SP] = v; }
}
