// The CPU: registers, PSTATE, the host-side TLB in front of the address space,
// the decoded-instruction cache and the run loop. Instruction semantics are
// generated from spec/isa into src/generated/executor.ts and use only the
// methods here.
import { ArchException, EC } from './exception.js';
import { Access, PAGE_SIZE, type AddressSpace, type Page } from './memory.js';
import { REG_SLOTS, SP, T0, T1, T2, MASK32 } from './regs.js';
import type { SysCtx } from './sysctx.js';
import { sysResetValues } from '../generated/sysregs.js';

export type Exec = (c: Cpu) => void;
/** Turns an instruction word into its executable form and its cost in cycles. */
export type Decoder = (word: number) => { exec: Exec; cost: number };

const TWO32 = 4294967296;
const HOST_TLB = 256;

export class Cpu implements SysCtx {
  readonly r = new BigUint64Array(REG_SLOTS);
  readonly u32 = new Uint32Array(this.r.buffer);
  readonly i32 = new Int32Array(this.r.buffer);
  /** Address of the current instruction (signed-64 interpretation; exact for canonical VAs). */
  pc = 0;
  /** Address of the next instruction; branches and exceptions set it. */
  npc = 0;
  n = 0; z = 0; c = 0; v = 0;
  el = 0;
  instructions = 0;
  cycles = 0;
  /** Exclusive monitor: the reserved address, NaN when open. */
  exclusive = NaN;
  sys: BigUint64Array = sysResetValues();

  private readonly tags = [new Float64Array(HOST_TLB).fill(NaN), new Float64Array(HOST_TLB).fill(NaN), new Float64Array(HOST_TLB).fill(NaN)];
  private readonly pages: (Page | undefined)[][] = [new Array(HOST_TLB), new Array(HOST_TLB), new Array(HOST_TLB)];
  private fetchVpn = NaN;
  private fetchPage: Page | undefined;

  constructor(public space: AddressSpace, private readonly decoder: Decoder) {}

  // --- registers (slots from core/regs.ts) ---
  /** Value of slot `s` as a 64- or 32-bit operand. */
  get(s: number, sf: number): bigint {
    return sf ? this.r[s] : this.r[s] & MASK32;
  }
  /** Writes slot `s`; a 32-bit write zeroes the upper half. */
  set(s: number, sf: number, v: bigint): void {
    this.r[s] = sf ? v : v & MASK32;
  }
  /** Signed value of slot `s`. */
  sget(s: number, sf: number): bigint {
    return sf ? BigInt.asIntN(64, this.r[s]) : BigInt.asIntN(32, this.r[s]);
  }

  /** a + b + cin, optionally setting NZCV, for 64 (sf=1) or 32 bits; returns the truncated result. */
  addc(a: bigint, b: bigint, cin: number, sf: number, flags: number): bigint {
    const r = this.r, u = this.u32;
    if (sf) {
      r[T0] = a; r[T1] = b; r[T2] = cin ? a + b + 1n : a + b;
      if (flags) {
        const rh = u[2 * T2 + 1];
        this.n = rh >>> 31;
        this.z = (rh | u[2 * T2]) === 0 ? 1 : 0;
        this.c = (cin ? r[T2] <= r[T0] : r[T2] < r[T0]) ? 1 : 0;
        this.v = ((u[2 * T0 + 1] ^ rh) & (u[2 * T1 + 1] ^ rh)) >>> 31;
      }
      return r[T2];
    }
    r[T0] = a; r[T1] = b;
    const al = u[2 * T0], bl = u[2 * T1];
    const sum = al + bl + cin;
    const res = sum >>> 0;
    if (flags) {
      this.n = res >>> 31;
      this.z = res === 0 ? 1 : 0;
      this.c = sum > 0xffffffff ? 1 : 0;
      this.v = ((al ^ res) & (bl ^ res)) >>> 31;
    }
    return BigInt(res);
  }

  /** Sets N and Z from a result (C and V cleared), as the logical instructions do. */
  nz(v: bigint, sf: number): void {
    this.r[T0] = v;
    const u = this.u32;
    const top = sf ? u[2 * T0 + 1] : u[2 * T0];
    this.n = top >>> 31;
    this.z = (sf ? top | u[2 * T0] : top) === 0 ? 1 : 0;
    this.c = 0;
    this.v = 0;
  }

  /** Condition code test (cond field 0..15). */
  cond(cc: number): boolean {
    let r: boolean;
    switch (cc >> 1) {
      case 0: r = this.z === 1; break;
      case 1: r = this.c === 1; break;
      case 2: r = this.n === 1; break;
      case 3: r = this.v === 1; break;
      case 4: r = this.c === 1 && this.z === 0; break;
      case 5: r = this.n === this.v; break;
      case 6: r = this.n === this.v && this.z === 0; break;
      default: return true;
    }
    return cc & 1 ? !r : r;
  }

  get nzcv(): number { return (this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28); }
  set nzcv(f: number) { this.n = (f >>> 31) & 1; this.z = (f >>> 30) & 1; this.c = (f >>> 29) & 1; this.v = (f >>> 28) & 1; }

  // --- addresses ---
  /** Slot `s` plus `off` as an address: the signed-64 value as a Number, exact within ±2^53. */
  ea(s: number, off: number): number {
    const hi = this.i32[2 * s + 1];
    if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + this.u32[2 * s] + off;
    return this.addr(this.r[s] + BigInt(off));
  }
  /** A 64-bit address value as a Number; addresses beyond ±2^53 are never canonical, so they fault. */
  addr(v: bigint): number {
    const s = BigInt.asIntN(64, v);
    if (s >= -(2n ** 53n) && s < 2n ** 53n) return Number(s);
    throw new ArchException(this.el === 0 ? EC.DABT_LOWER : EC.DABT_SAME, 0b000100 /* translation fault, level 0 */, -1, BigInt.asUintN(64, v));
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
  page(a: number, access: Access): Page {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & (HOST_TLB - 1);
    if (this.tags[access][i] === vpn) return this.pages[access][i]!;
    const p = this.space.lookup(vpn, access, a);
    // A page holding decoded code is never write-cached, so stores to it come here and invalidate it.
    if (access === Access.Write && p.decoded) this.invalidateCode(p);
    else { this.tags[access][i] = vpn; this.pages[access][i] = p; }
    return p;
  }
  /** Drops the host-side TLB (after any change of mappings or translation regime). */
  flushHostTlb(): void {
    for (const t of this.tags) t.fill(NaN);
    this.fetchVpn = NaN;
  }
  private invalidateCode(p: Page): void {
    p.decoded = null;
    p.cost = null;
    this.fetchVpn = NaN;
  }

  read(a: number, size: number): bigint {
    const off = a & (PAGE_SIZE - 1);
    if (off + size > PAGE_SIZE) return this.readSplit(a, size);
    const v = this.page(a, Access.Read).view;
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
    const v = this.page(a, Access.Write).view;
    switch (size) {
      case 1: v.setUint8(off, Number(val & 0xffn)); break;
      case 2: v.setUint16(off, Number(val & 0xffffn), true); break;
      case 4: v.setUint32(off, Number(val & MASK32), true); break;
      default: v.setBigUint64(off, val, true);
    }
  }
  /** Load into slot t: size bytes, zero-extended, or sign-extended to 32 or 64 bits (sx = 32 | 64). */
  load(t: number, a: number, size: number, sx: number): void {
    const off = a & (PAGE_SIZE - 1);
    const u = this.u32;
    if (off + size > PAGE_SIZE) { this.loadValue(t, this.readSplit(a, size), size, sx); return; }
    const v = this.page(a, Access.Read).view;
    let lo: number;
    switch (size) {
      case 8: u[2 * t] = v.getUint32(off, true); u[2 * t + 1] = v.getUint32(off + 4, true); return;
      case 4: lo = v.getUint32(off, true); break;
      case 2: lo = v.getUint16(off, true); break;
      default: lo = v.getUint8(off);
    }
    if (sx) this.loadValue(t, BigInt(lo), size, sx);
    else { u[2 * t] = lo; u[2 * t + 1] = 0; }
  }
  private loadValue(t: number, v: bigint, size: number, sx: number): void {
    if (sx) v = BigInt.asIntN(size * 8, v);
    this.r[t] = sx === 32 ? v & MASK32 : v;
  }
  /** Store the low `size` bytes of slot t. */
  store(t: number, a: number, size: number): void {
    const off = a & (PAGE_SIZE - 1);
    if (off + size > PAGE_SIZE) { this.writeSplit(a, size, this.r[t]); return; }
    const v = this.page(a, Access.Write).view;
    const u = this.u32;
    switch (size) {
      case 8: v.setUint32(off, u[2 * t], true); v.setUint32(off + 4, u[2 * t + 1], true); break;
      case 4: v.setUint32(off, u[2 * t], true); break;
      case 2: v.setUint16(off, u[2 * t], true); break;
      default: v.setUint8(off, u[2 * t]);
    }
  }
  private readSplit(a: number, size: number): bigint {
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | this.read(a + i, 1);
    return v;
  }
  private writeSplit(a: number, size: number, val: bigint): void {
    for (let i = 0; i < size; i++) this.write(a + i, 1, (val >> BigInt(8 * i)) & 0xffn);
  }

  // --- system registers (SysCtx) ---
  /** Hooks let core state back a system register; the run-time environment installs them. */
  hooks: { read(h: string): bigint; write(h: string, v: bigint): void; op(op: string, v: bigint): void } = {
    read: (h) => { throw new Error(`system register hook ${h} is not modelled`); },
    write: (h) => { throw new Error(`system register hook ${h} is not modelled`); },
    op: () => {},
  };
  readHook(h: string): bigint {
    if (h === 'NZCV') return BigInt(this.nzcv >>> 0);
    if (h === 'CurrentEL') return BigInt(this.el << 2);
    return this.hooks.read(h);
  }
  writeHook(h: string, v: bigint): void {
    if (h === 'NZCV') { this.nzcv = Number(v & 0xf0000000n) | 0; return; }
    this.hooks.write(h, v);
  }
  sysOp(op: string, v: bigint): void { this.hooks.op(op, v); }

  // --- execution ---
  /** Runs until `limit` instructions have retired; architectural exceptions go to `onException`. */
  run(limit: number, onException: (e: ArchException) => void): void {
    while (this.instructions < limit && !this.stopped) {
      try {
        this.runInner(limit);
      } catch (e) {
        if (!(e instanceof ArchException)) throw e;
        onException(e);
      }
    }
  }
  /** Set by the environment to end run() early (exit, power-off). */
  stopped = false;

  private runInner(limit: number): void {
    while (this.instructions < limit && !this.stopped) {
      const pc = this.pc;
      const vpn = Math.floor(pc / PAGE_SIZE);
      if (vpn !== this.fetchVpn || (pc & 3) !== 0) this.enterPage(pc, vpn);
      const p = this.fetchPage!;
      const idx = (pc & (PAGE_SIZE - 1)) >>> 2;
      let fn = p.decoded![idx];
      if (fn === undefined) fn = this.decodeAt(p, idx);
      this.npc = pc + 4;
      fn(this);
      this.cycles += p.cost![idx];
      this.instructions++;
      this.pc = this.npc;
    }
  }
  private enterPage(pc: number, vpn: number): void {
    if (Number.isNaN(pc)) throw new ArchException(this.el === 0 ? EC.IABT_LOWER : EC.IABT_SAME, 0b000100 /* translation fault, level 0 */, -1, this.wildTarget);
    if ((pc & 3) !== 0) throw new ArchException(EC.PC_ALIGN, 0, -1, BigInt.asUintN(64, BigInt(pc)));
    const p = this.space.lookup(vpn, Access.Fetch, pc);
    if (!p.decoded) { p.decoded = new Array(PAGE_SIZE / 4); p.cost = new Uint16Array(PAGE_SIZE / 4); }
    // Pages with code lose their write-cache entries so that stores to them invalidate the decoded code.
    const i = vpn & (HOST_TLB - 1);
    if (this.pages[Access.Write][i] === p) this.tags[Access.Write][i] = NaN;
    this.fetchPage = p;
    this.fetchVpn = vpn;
  }
  private decodeAt(p: Page, idx: number): Exec {
    const d = this.decoder(p.view.getUint32(idx * 4, true));
    p.decoded![idx] = d.exec;
    p.cost![idx] = d.cost;
    return d.exec;
  }
  /** Word at the current PC (for reports). */
  wordAt(a: number): number | undefined {
    try { return Number(this.read(a, 4)); } catch { return undefined; }
  }
  get sp(): bigint { return this.r[SP]; }
  set sp(v: bigint) { this.r[SP] = v; }
}
