// Loads and stores: every addressing form's address computation and writeback,
// access sizes and extensions, XZR/SP operands, the CONSTRAINED UNPREDICTABLE
// cases (as QEMU behaves), the exclusive monitor, alignment faults, and the
// assembler/disassembler against encodings taken from GNU binutils.
import { describe, expect, it } from 'vitest';
import { Cpu } from '../src/core/cpu.js';
import { makeDecoder } from '../src/core/decode.js';
import { EC, ArchException } from '../src/core/exception.js';
import { SP } from '../src/core/regs.js';
import { UserSpace, PROT_READ, PROT_WRITE } from '../src/user/address-space.js';
import { disassemble } from '../src/asm/disasm.js';
import { encodeInstruction } from '../src/asm/encode.js';
import { assemble, runAsm, DATA, type RunResult } from './helpers/run-asm.js';

const M64 = (1n << 64n) - 1n;
/** 64 bytes at DATA: 0x80, 0x81, … 0xbf (every byte has its top bit set). */
const PATTERN = Uint8Array.from({ length: 64 }, (_, i) => 0x80 + i);
const withPattern = (s: UserSpace): void => s.poke(DATA, PATTERN);

function run(lines: string[], init: Record<number, bigint> = {}, setup: (s: UserSpace) => void = withPattern): RunResult {
  return runAsm(lines, init, setup);
}
/** Little-endian value of `n` bytes at `addr`. */
function peek(r: RunResult, addr: number, n: number): bigint {
  const b = r.space.peek(addr, n)!;
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}
/** Little-endian value of the PATTERN bytes [off, off+n). */
function pat(off: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(PATTERN[off + i]);
  return v;
}
const sx = (v: bigint, bits: number): bigint => BigInt.asUintN(64, BigInt.asIntN(bits, v));
const D = BigInt(DATA);

describe('unsigned offset', () => {
  it('loads every size with zero and sign extension', () => {
    const r = run([
      'ldrb w0, [x1, #3]', 'ldrsb w2, [x1, #3]', 'ldrsb x3, [x1, #3]',
      'ldrh w4, [x1, #6]', 'ldrsh w5, [x1, #6]', 'ldrsh x6, [x1, #6]',
      'ldr w7, [x1, #8]', 'ldrsw x8, [x1, #8]', 'ldr x9, [x1, #16]', 'ldr x10, [x1]',
    ], { 0: M64, 1: D, 2: M64, 4: M64, 5: M64, 7: M64 });
    const x = r.cpu.r;
    expect(x[0]).toBe(pat(3, 1));
    expect(x[2]).toBe(sx(pat(3, 1), 8) & 0xffffffffn);
    expect(x[3]).toBe(sx(pat(3, 1), 8));
    expect(x[4]).toBe(pat(6, 2));
    expect(x[5]).toBe(sx(pat(6, 2), 16) & 0xffffffffn);
    expect(x[6]).toBe(sx(pat(6, 2), 16));
    expect(x[7]).toBe(pat(8, 4));
    expect(x[8]).toBe(sx(pat(8, 4), 32));
    expect(x[9]).toBe(pat(16, 8));
    expect(x[10]).toBe(pat(0, 8));
  });

  it('scales the offset by the access size, up to imm12 = 4095', () => {
    const r = run(['ldr x0, [x1, #32760]', 'ldr w2, [x1, #16380]', 'ldrh w3, [x1, #8190]', 'ldrb w4, [x1, #4095]'],
      { 1: D }, (s) => { s.poke(DATA + 32760, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)); s.poke(DATA + 16380, Uint8Array.of(9, 10, 11, 12)); s.poke(DATA + 8190, Uint8Array.of(13, 14)); s.poke(DATA + 4095, Uint8Array.of(15)); });
    expect(r.cpu.r[0]).toBe(0x0807060504030201n);
    expect(r.cpu.r[2]).toBe(0x0c0b0a09n);
    expect(r.cpu.r[3]).toBe(0x0e0dn);
    expect(r.cpu.r[4]).toBe(15n);
  });

  it('stores only the access size', () => {
    const v = 0x1122334455667788n;
    const r = run(['strb w0, [x1, #1]', 'strh w0, [x1, #4]', 'str w0, [x1, #8]', 'str x0, [x1, #16]'], { 0: v, 1: D });
    expect(peek(r, DATA, 1)).toBe(0x80n);
    expect(peek(r, DATA + 1, 1)).toBe(0x88n);
    expect(peek(r, DATA + 2, 1)).toBe(0x82n);
    expect(peek(r, DATA + 4, 2)).toBe(0x7788n);
    expect(peek(r, DATA + 6, 1)).toBe(0x86n);
    expect(peek(r, DATA + 8, 4)).toBe(0x55667788n);
    expect(peek(r, DATA + 12, 1)).toBe(0x8cn);
    expect(peek(r, DATA + 16, 8)).toBe(v);
  });

  it('uses SP as base and XZR as data register', () => {
    const r = run(['str xzr, [sp, #8]', 'ldr xzr, [sp]', 'ldr x0, [sp, #8]', 'strb wzr, [sp]', 'ldrb w1, [sp]'], { [SP]: D, 0: 5n, 1: 5n });
    expect(r.cpu.r[0]).toBe(0n);
    expect(r.cpu.r[1]).toBe(0n);
    expect(r.cpu.r[31]).toBe(0n);
    expect(r.cpu.r[SP]).toBe(D);
  });

  it('reports a data abort with WnR for a store to a read-only page', () => {
    const r = run(['str x0, [x1]'], { 1: D }, (s) => { s.protect(DATA, 4096, PROT_READ); });
    expect(r.exception?.ec).toBe(EC.DABT_LOWER);
    expect(r.exception!.iss & 0x40).toBe(0x40);
  });
});

describe('unscaled offset (LDUR/STUR)', () => {
  it('takes unaligned and negative offsets', () => {
    const r = run(['ldur x0, [x1, #3]', 'ldur w2, [x1, #-1]', 'ldursb x3, [x1, #-256]', 'ldurh w4, [x1, #255]', 'ldursw x5, [x1, #1]', 'ldur x6, [x1]'],
      { 1: D + 256n }, (s) => s.poke(DATA, Uint8Array.from({ length: 520 }, (_, i) => (i * 7 + 0x81) & 0xff)));
    const b = (i: number) => BigInt((i * 7 + 0x81) & 0xff);
    const le = (o: number, n: number) => { let v = 0n; for (let i = n - 1; i >= 0; i--) v = (v << 8n) | b(o + i); return v; };
    expect(r.cpu.r[0]).toBe(le(259, 8));
    expect(r.cpu.r[2]).toBe(le(255, 4));
    expect(r.cpu.r[3]).toBe(sx(le(0, 1), 8));
    expect(r.cpu.r[4]).toBe(le(511, 2));
    expect(r.cpu.r[5]).toBe(sx(le(257, 4), 32));
    expect(r.cpu.r[6]).toBe(le(256, 8));
  });

  it('is what `ldr` with an offset the scaled form cannot encode assembles to', () => {
    expect(disassemble(assemble(['ldr x0, [x1, #-8]'])[0])).toBe('ldur\tx0, [x1, #-8]');
    expect(disassemble(assemble(['ldr x0, [x1, #4]'])[0])).toBe('ldur\tx0, [x1, #4]');
    expect(disassemble(assemble(['ldrh w0, [x1, #1]'])[0])).toBe('ldurh\tw0, [x1, #1]');
    expect(disassemble(assemble(['prfm pldl1keep, [x1, #-8]'])[0])).toBe('prfum\tpldl1keep, [x1, #-8]');
    expect(disassemble(assemble(['ldr x0, [x1, #8]'])[0])).toBe('ldr\tx0, [x1, #8]');
    expect(disassemble(assemble(['ldr x0, [x1, #0]'])[0])).toBe('ldr\tx0, [x1]');
  });
});

describe('pre- and post-index', () => {
  it('writes back the base: pre-index before, post-index after the access', () => {
    const r = run(['ldr x0, [x1, #8]!', 'ldr x2, [x3], #16', 'ldrb w4, [x5, #-1]!', 'ldrsh x6, [x7], #-256', 'str w8, [x9, #255]!', 'strh w8, [x10], #2'],
      { 1: D, 3: D + 8n, 5: D + 4n, 7: D + 6n, 8: 0xdeadbeefn, 9: D + 32n, 10: D + 40n });
    const x = r.cpu.r;
    expect(x[0]).toBe(pat(8, 8));
    expect(x[1]).toBe(D + 8n);
    expect(x[2]).toBe(pat(8, 8));
    expect(x[3]).toBe(D + 24n);
    expect(x[4]).toBe(pat(3, 1));
    expect(x[5]).toBe(D + 3n);
    expect(x[6]).toBe(sx(pat(6, 2), 16));
    expect(x[7]).toBe(D + 6n - 256n);
    expect(x[9]).toBe(D + 32n + 255n);
    expect(peek(r, DATA + 32 + 255, 4)).toBe(0xdeadbeefn);
    expect(x[10]).toBe(D + 42n);
    expect(peek(r, DATA + 40, 2)).toBe(0xbeefn);
  });

  it('writes back with SP as base and wraps around 2^64', () => {
    const r = run(['str x0, [sp, #-16]!', 'ldr x1, [sp], #16', 'ldr x2, [x3], #-8'], { [SP]: D + 64n, 0: 42n, 3: 0n }, (s) => { withPattern(s); s.mapZero(0, 4096, PROT_READ); });
    expect(r.cpu.r[SP]).toBe(D + 64n);
    expect(r.cpu.r[1]).toBe(42n);
    expect(r.cpu.r[3]).toBe(M64 - 7n);
  });

  it('Rn == Rt: a load leaves the written-back address, a store stores the old value (QEMU)', () => {
    const r = run(['ldr x1, [x1, #8]!', 'ldr x2, [x2], #8', 'str x3, [x3, #16]!', 'str x4, [x4], #8'], { 1: D, 2: D, 3: D, 4: D + 8n });
    expect(r.cpu.r[1]).toBe(D + 8n);
    expect(r.cpu.r[2]).toBe(D + 8n);
    expect(r.cpu.r[3]).toBe(D + 16n);
    expect(peek(r, DATA + 16, 8)).toBe(D);
    expect(r.cpu.r[4]).toBe(D + 16n);
    expect(peek(r, DATA + 8, 8)).toBe(D + 8n);
  });

  it('does not write back when the access faults', () => {
    const r = run(['ldr x0, [x1, #8]!'], { 1: 0x7000n, 0: 5n });
    expect(r.exception?.ec).toBe(EC.DABT_LOWER);
    expect(r.exception?.far).toBe(0x7008n);
    expect(r.cpu.r[1]).toBe(0x7000n);
    expect(r.cpu.r[0]).toBe(5n);
  });
});

describe('unprivileged (LDTR/STTR)', () => {
  it('behaves as an ordinary access at EL0', () => {
    const r = run(['ldtr x0, [x1, #8]', 'ldtrsb w2, [x1, #-1]', 'ldtrsh x3, [x1, #2]', 'ldtrsw x4, [x1]', 'ldtrh w5, [x1]', 'ldtrb w6, [x1]', 'sttr w7, [x1, #32]', 'sttrb w7, [x1, #40]', 'sttrh w7, [x1, #48]', 'sttr x7, [x1, #56]'],
      { 1: D + 1n, 7: 0x0123456789abcdefn });
    const x = r.cpu.r;
    expect(x[0]).toBe(pat(9, 8));
    expect(x[2]).toBe(sx(pat(0, 1), 8) & 0xffffffffn);
    expect(x[3]).toBe(sx(pat(3, 2), 16));
    expect(x[4]).toBe(sx(pat(1, 4), 32));
    expect(x[5]).toBe(pat(1, 2));
    expect(x[6]).toBe(pat(1, 1));
    expect(peek(r, DATA + 33, 4)).toBe(0x89abcdefn);
    expect(peek(r, DATA + 41, 2)).toBe(0xefn | (pat(42, 1) << 8n));
    expect(peek(r, DATA + 49, 2)).toBe(0xcdefn);
    expect(peek(r, DATA + 57, 8)).toBe(0x0123456789abcdefn);
  });
});

describe('register offset', () => {
  it('extends and shifts the offset register', () => {
    const r = run([
      'ldr x0, [x1, x2, lsl #3]', 'ldr x3, [x1, x2]', 'ldr x4, [x1, w5, uxtw #3]', 'ldr x6, [x20, w7, sxtw #3]',
      'ldr x8, [x20, x9, sxtx #3]', 'ldrb w10, [x1, x2, lsl #0]', 'ldrh w11, [x1, w5, uxtw #1]', 'ldrsw x12, [x20, w7, sxtw]', 'ldr w13, [x1, xzr]',
    ], { 1: D, 2: 2n, 5: 0xffffffff00000001n, 7: 0x00000000fffffffen, 9: M64, 20: D + 32n });
    const x = r.cpu.r;
    expect(x[0]).toBe(pat(16, 8));
    expect(x[3]).toBe(pat(2, 8));
    expect(x[4]).toBe(pat(8, 8));
    expect(x[6]).toBe(pat(16, 8));
    expect(x[8]).toBe(pat(24, 8));
    expect(x[10]).toBe(pat(2, 1));
    expect(x[11]).toBe(pat(2, 2));
    expect(x[12]).toBe(sx(pat(30, 4), 32));
    expect(x[13]).toBe(pat(0, 4));
  });

  it('wraps a 64-bit offset modulo 2^64', () => {
    const r = run(['ldr x0, [x1, x2, lsl #3]', 'ldrb w3, [x20, x4]', 'str x5, [x1, x6, sxtx #3]'], { 1: D, 2: 0x2000000000000001n, 4: 0xfffffffffffffffdn, 5: 7n, 6: 0xe000000000000004n, 20: D + 8n });
    expect(r.cpu.r[0]).toBe(pat(8, 8));
    expect(r.cpu.r[3]).toBe(pat(5, 1));
    expect(peek(r, DATA + 32, 8)).toBe(7n);
  });

  it('stores through every extend', () => {
    const r = run(['strb w0, [x1, w2, sxtw]', 'strh w0, [x1, w3, uxtw #1]', 'str w0, [x1, x4, lsl #2]', 'str x0, [x1, x5, sxtx]'],
      { 0: 0x1122334455667788n, 1: D + 32n, 2: 0xffffffffn, 3: 0x100000002n, 4: 2n, 5: 0xfffffffffffffff0n });
    expect(peek(r, DATA + 31, 1)).toBe(0x88n);
    expect(peek(r, DATA + 36, 2)).toBe(0x7788n);
    expect(peek(r, DATA + 40, 4)).toBe(0x55667788n);
    expect(peek(r, DATA + 16, 8)).toBe(0x1122334455667788n);
  });

  it('is UNDEFINED when option<1> is 0', () => {
    const w = assemble(['ldr x0, [x1, x2]'])[0] & ~(7 << 13); // option 000
    expect(disassemble(w)).toMatch(/undefined/);
    const cpu = new Cpu(new UserSpace(), makeDecoder({}));
    expect(() => makeDecoder({})(w).exec(cpu)).toThrow(ArchException);
  });
});

describe('literal', () => {
  it('loads PC-relative, with LDRSW sign-extending', () => {
    // The code page is readable: load instruction words themselves.
    const r = run(['ldr w0, 0x10008', 'ldr x1, 0x10000', 'ldrsw x2, 0x10010', 'prfm pldl1keep, 0x10000', 'nop']);
    const words = assemble(['ldr w0, 0x10008', 'ldr x1, 0x10000', 'ldrsw x2, 0x10010', 'prfm pldl1keep, 0x10000', 'nop']);
    expect(r.exception).toBeUndefined();
    expect(r.cpu.r[0]).toBe(BigInt(words[2]));
    expect(r.cpu.r[1]).toBe(BigInt(words[0]) | (BigInt(words[1]) << 32n));
    expect(r.cpu.r[2]).toBe(sx(BigInt(words[4]), 32));
  });

  it('assembles `ldr xN, =value` through the literal pool', () => {
    const pool: [bigint, number][] = [];
    const literal = (v: bigint, size: 4 | 8): bigint => { pool.push([v, size]); return 0x1000n + BigInt(8 * (pool.length - 1)); };
    const ctx = { pc: 0x800n, literal, evaluate: (e: string) => (/^-?(0x[0-9a-f]+|\d+)$/i.test(e) ? BigInt(e) : undefined) };
    expect(encodeInstruction('ldr', 'x3, =0x123456789', ctx)).toBe((0x58000000 | ((0x800 >> 2) << 5) | 3) >>> 0);
    expect(pool.at(-1)).toEqual([0x123456789n, 8]);
    encodeInstruction('ldr', 'w3, =-1', ctx);
    expect(pool.at(-1)).toEqual([0xffffffffn, 4]);
    encodeInstruction('ldrsw', 'x3, =5', ctx);
    expect(pool.at(-1)).toEqual([5n, 4]);
  });
});

describe('prefetch', () => {
  it('never faults and changes nothing', () => {
    const r = run(['prfm pldl1keep, [x1]', 'prfm #0x1f, [x1, x2, lsl #3]', 'prfum pstl3strm, [x1, #-1]', 'prfm plil2strm, 0x7000'], { 1: 0x123456789000n, 2: 7n });
    expect(r.exception).toBeUndefined();
    expect(r.cpu.r[1]).toBe(0x123456789000n);
  });

  it('prints prefetch operations as objdump does', () => {
    expect(disassemble(0xf9800020)).toBe('prfm\tpldl1keep, [x1]');
    expect(disassemble(0xf980002d)).toBe('prfm\tplil3strm, [x1]');
    expect(disassemble(0xf9800026)).toBe('prfm\t#0x06, [x1]');
    expect(disassemble(0xf980003f)).toBe('prfm\t#0x1f, [x1]');
    expect(assemble(['prfm #6, [x1]'])[0]).toBe(0xf9800026);
    expect(assemble(['prfm PSTL2KEEP, [x1]'])[0]).toBe(0xf9800032);
  });
});

describe('pairs', () => {
  it('loads and stores pairs in every addressing form', () => {
    const r = run([
      'ldp x0, x1, [x10, #16]', 'ldp w2, w3, [x10, #-4]', 'ldpsw x4, x5, [x10, #8]', 'ldp x6, x7, [x11, #16]!', 'ldp w8, w9, [x12], #-8',
      'ldnp x13, x14, [x10]', 'stp x20, x21, [x15, #-16]!', 'stp w20, w21, [x16], #8', 'stnp w21, w20, [x10, #40]', 'stp xzr, x20, [x10, #56]',
    ], { 10: D + 8n, 11: D, 12: D, 15: D + 64n, 16: D + 48n, 20: 0x1111222233334444n, 21: 0x5555666677778888n });
    const x = r.cpu.r;
    expect([x[0], x[1]]).toEqual([pat(24, 8), pat(32, 8)]);
    expect([x[2], x[3]]).toEqual([pat(4, 4), pat(8, 4)]);
    expect([x[4], x[5]]).toEqual([sx(pat(16, 4), 32), sx(pat(20, 4), 32)]);
    expect([x[6], x[7], x[11]]).toEqual([pat(16, 8), pat(24, 8), D + 16n]);
    expect([x[8], x[9], x[12]]).toEqual([pat(0, 4), pat(4, 4), D - 8n]);
    expect([x[13], x[14]]).toEqual([pat(8, 8), pat(16, 8)]);
    expect(x[15]).toBe(D + 48n);
    expect(x[16]).toBe(D + 56n);
    expect(peek(r, DATA + 8 + 40, 4)).toBe(0x77778888n);
    expect(peek(r, DATA + 8 + 44, 4)).toBe(0x33334444n);
    expect(peek(r, DATA + 64, 8)).toBe(0n);
    expect(peek(r, DATA + 72, 8)).toBe(0x1111222233334444n);
  });

  it('stp then ldp through SP (function prologue/epilogue)', () => {
    const r = run(['stp x29, x30, [sp, #-16]!', 'mov x29, #0', 'mov x30, #0', 'ldp x29, x30, [sp], #16'], { [SP]: D + 0x100n, 29: 0xf00n, 30: 0x1234n });
    expect([r.cpu.r[29], r.cpu.r[30], r.cpu.r[SP]]).toEqual([0xf00n, 0x1234n, D + 0x100n]);
  });

  it('Rt == Rt2 keeps the first value; writeback over Rt leaves the address (QEMU)', () => {
    const r = run(['ldp x0, x0, [x1]', 'ldp w2, w2, [x1]', 'ldp x3, x4, [x3], #16', 'ldp x6, x5, [x5, #16]!', 'stp x7, x8, [x7, #32]!'], { 1: D, 3: D, 5: D, 7: D });
    expect(r.cpu.r[0]).toBe(pat(0, 8));
    expect(r.cpu.r[2]).toBe(pat(0, 4));
    expect([r.cpu.r[3], r.cpu.r[4]]).toEqual([D + 16n, pat(8, 8)]);
    expect([r.cpu.r[5], r.cpu.r[6]]).toEqual([D + 16n, pat(16, 8)]);
    expect(peek(r, DATA + 32, 8)).toBe(D);
  });

  it('LDPSW with Rt == Rt2 prints as undefined (objdump) but executes (QEMU)', () => {
    const w = 0x69400020; // ldpsw x0, x0, [x1]
    expect(disassemble(w)).toBe('.inst\t0x69400020 ; undefined');
    expect(disassemble(0x69c00420)).toBe('.inst\t0x69c00420 ; undefined'); // ldpsw x0, x1, [x1, #0]!
    expect(assemble(['ldpsw x0, x0, [x1]'])[0]).toBe(w);
    const r = run(['ldpsw x0, x0, [x1]'], { 1: D });
    expect(r.exception).toBeUndefined();
    expect(r.cpu.r[0]).toBe(sx(pat(0, 4), 32));
  });

  it('leaves both registers unchanged when the second access faults', () => {
    const r = run(['ldp x0, x1, [x2]'], { 0: 1n, 1: 2n, 2: D + 0x10000n - 8n });
    expect(r.exception?.ec).toBe(EC.DABT_LOWER);
    expect(r.exception?.far).toBe(D + 0x10000n);
    expect([r.cpu.r[0], r.cpu.r[1]]).toEqual([1n, 2n]);
  });
});

describe('exclusives', () => {
  it('a store-exclusive succeeds once after a load-exclusive of the same address', () => {
    const r = run(['ldxr x0, [x1]', 'stxr w2, x3, [x1]', 'stxr w4, x5, [x1]'], { 1: D, 2: M64, 3: 0x1234n, 4: M64, 5: 0x5678n });
    expect(r.cpu.r[0]).toBe(pat(0, 8));
    expect(r.cpu.r[2]).toBe(0n);
    expect(r.cpu.r[4]).toBe(1n);
    expect(peek(r, DATA, 8)).toBe(0x1234n);
    expect(Number.isNaN(r.cpu.exclusive)).toBe(true);
  });

  it('fails without a reservation, or for another address, and clears the monitor', () => {
    const r = run(['stxr w0, x9, [x1]', 'ldxr w2, [x1]', 'stxr w3, w9, [x4]', 'stxr w5, w9, [x1]'], { 1: D, 4: D + 8n, 9: 7n });
    expect([r.cpu.r[0], r.cpu.r[3], r.cpu.r[5]]).toEqual([1n, 1n, 1n]);
    expect(peek(r, DATA, 8)).toBe(pat(0, 8));
    expect(peek(r, DATA + 8, 8)).toBe(pat(8, 8));
  });

  it('covers every size and the acquire/release variants', () => {
    const r = run([
      'ldxrb w0, [x1]', 'stxrb w10, w20, [x1]', 'ldaxrh w2, [x1]', 'stlxrh w11, w20, [x1]',
      'ldaxr w3, [x1]', 'stlxr w12, w20, [x1]', 'ldxr x4, [x1]', 'stlxr w13, x20, [x1]',
    ], { 1: D, 20: 0x8877665544332211n });
    expect([r.cpu.r[0], r.cpu.r[2], r.cpu.r[3]]).toEqual([0x80n, 0x8111n, 0x83822211n]);
    expect(r.cpu.r[4]).toBe(0x8786858444332211n);
    expect([r.cpu.r[10], r.cpu.r[11], r.cpu.r[12], r.cpu.r[13]]).toEqual([0n, 0n, 0n, 0n]);
    expect(peek(r, DATA, 8)).toBe(0x8877665544332211n);
  });

  it('pairs: LDXP/STXP and LDAXP/STLXP', () => {
    const r = run(['ldxp x0, x2, [x1]', 'stxp w3, x4, x5, [x1]', 'ldaxp w6, w7, [x1]', 'stlxp w8, w5, w4, [x1]'], { 1: D, 4: 0x1111n, 5: 0x2222n });
    expect([r.cpu.r[0], r.cpu.r[2]]).toEqual([pat(0, 8), pat(8, 8)]);
    expect([r.cpu.r[3], r.cpu.r[8]]).toEqual([0n, 0n]);
    expect([r.cpu.r[6], r.cpu.r[7]]).toEqual([0x1111n, 0n]);
    expect(peek(r, DATA, 8)).toBe(0x0000111100002222n);
    expect(peek(r, DATA + 8, 8)).toBe(0x2222n);
  });

  it('status register == data register stores the old value; LDXP Rt == Rt2 keeps the second (QEMU)', () => {
    const r = run(['ldxr x9, [x1]', 'stxr w0, x0, [x1]', 'ldxp x2, x2, [x1]', 'ldxp w3, w3, [x1]'], { 0: 0xabcdn, 1: D });
    expect(r.cpu.r[0]).toBe(0n);
    expect(peek(r, DATA, 8)).toBe(0xabcdn);
    expect(r.cpu.r[2]).toBe(pat(8, 8));
    expect(r.cpu.r[3]).toBe(0n); // high word of 0xabcd
  });

  it('the status write zeroes the upper half of Xs', () => {
    const r = run(['stxr w0, x1, [x2]'], { 0: M64, 2: D });
    expect(r.cpu.r[0]).toBe(1n);
  });
});

describe('alignment', () => {
  const fault = (lines: string[], init: Record<number, bigint>): ArchException => {
    const r = run(lines, init);
    expect(r.exception).toBeDefined();
    return r.exception!;
  };

  it('exclusive and acquire/release accesses fault when not naturally aligned', () => {
    for (const [line, addr] of [['ldxr x0, [x1]', D + 4n], ['ldaxr w0, [x1]', D + 2n], ['ldxrh w0, [x1]', D + 1n], ['ldar x0, [x1]', D + 1n],
      ['ldarh w0, [x1]', D + 3n], ['ldxp x0, x2, [x1]', D + 8n], ['ldaxp w0, w2, [x1]', D + 4n]] as const) {
      const e = fault([line], { 1: addr });
      expect(e.ec).toBe(EC.DABT_LOWER);
      expect(e.iss).toBe(0x21);
      expect(e.far).toBe(addr);
    }
    for (const [line, addr] of [['stxr w3, x0, [x1]', D + 4n], ['stlr w0, [x1]', D + 2n], ['stlrh w0, [x1]', D + 1n], ['stxp w3, x0, x2, [x1]', D + 8n]] as const) {
      const e = fault([line], { 1: addr });
      expect(e.iss).toBe(0x61); // WnR
      expect(e.far).toBe(addr);
    }
  });

  it('byte accesses and aligned accesses do not fault', () => {
    const r = run(['ldaxrb w0, [x1]', 'stlrb w0, [x1]', 'ldarb w0, [x1]', 'ldar x2, [x3]', 'stlr w2, [x4]', 'ldaxp w5, w6, [x3]'], { 1: D + 1n, 3: D + 8n, 4: D + 4n });
    expect(r.exception).toBeUndefined();
    expect(r.cpu.r[2]).toBe(pat(8, 8));
  });

  it('ordinary accesses may be unaligned, also across a page boundary', () => {
    const r = run(['ldr x0, [x1]', 'str x0, [x2]', 'ldr x3, [x2]'], { 1: D + 3n, 2: D + 4093n });
    expect(r.exception).toBeUndefined();
    expect(r.cpu.r[0]).toBe(pat(3, 8));
    expect(r.cpu.r[3]).toBe(pat(3, 8));
  });

  it('is reported to the current EL above EL0', () => {
    const space = new UserSpace();
    space.mapZero(DATA, 4096, PROT_READ | PROT_WRITE);
    const cpu = new Cpu(space, makeDecoder({}));
    cpu.el = 1;
    cpu.r[1] = D + 4n;
    const e = (() => { try { makeDecoder({})(assemble(['ldxr x0, [x1]'])[0]).exec(cpu); } catch (x) { return x as ArchException; } })();
    expect(e?.ec).toBe(EC.DABT_SAME);
  });
});

describe('assembler and disassembler (encodings from GNU binutils)', () => {
  const CASES: [number, string][] = [
    [0xf9400420, 'ldr x0, [x1, #8]'], [0xb97fffe0, 'ldr w0, [sp, #16380]'], [0x39400020, 'ldrb w0, [x1]'],
    [0x39bffc20, 'ldrsb x0, [x1, #4095]'], [0x79c00420, 'ldrsh w0, [x1, #2]'], [0xb9800420, 'ldrsw x0, [x1, #4]'],
    [0x79000c3f, 'strh wzr, [x1, #6]'], [0xf9800020, 'prfm pldl1keep, [x1]'], [0xf85f8020, 'ldur x0, [x1, #-8]'],
    [0xb8001020, 'stur w0, [x1, #1]'], [0xf8900031, 'prfum pstl1strm, [x1, #-256]'], [0xf8408c20, 'ldr x0, [x1, #8]!'],
    [0xb81fc420, 'str w0, [x1], #-4'], [0x38dffc20, 'ldrsb w0, [x1, #-1]!'], [0xf84ff820, 'ldtr x0, [x1, #255]'],
    [0x78000be0, 'sttrh w0, [sp]'], [0xb89fc820, 'ldtrsw x0, [x1, #-4]'], [0xf8627820, 'ldr x0, [x1, x2, lsl #3]'],
    [0x3822c820, 'strb w0, [x1, w2, sxtw]'], [0x78625820, 'ldrh w0, [x1, w2, uxtw #1]'], [0xb8a2f820, 'ldrsw x0, [x1, x2, sxtx #2]'],
    [0xf8bf682d, 'prfm plil3strm, [x1, xzr]'], [0x38627820, 'ldrb w0, [x1, x2, lsl #0]'], [0x38625820, 'ldrb w0, [x1, w2, uxtw #0]'],
    [0xf8626820, 'ldr x0, [x1, x2]'], [0xa9ff7bfd, 'ldp x29, x30, [sp, #-16]!'], [0x29200440, 'stp w0, w1, [x2, #-256]'],
    [0x68df8440, 'ldpsw x0, x1, [x2], #252'], [0xa85f8440, 'ldnp x0, x1, [x2, #504]'], [0x283f8440, 'stnp w0, w1, [x2, #-4]'],
    [0xa9c00440, 'ldp x0, x1, [x2, #0]!'], [0xa8c00440, 'ldp x0, x1, [x2], #0'], [0xf8400c20, 'ldr x0, [x1, #0]!'],
    [0x085f7c20, 'ldxrb w0, [x1]'], [0x4802fc20, 'stlxrh w2, w0, [x1]'], [0x885fffe0, 'ldaxr w0, [sp]'],
    [0xc8037c20, 'stxr w3, x0, [x1]'], [0xc87f0440, 'ldxp x0, x1, [x2]'], [0x88248440, 'stlxp w4, w0, w1, [x2]'],
    [0xc8dffc20, 'ldar x0, [x1]'], [0x089ffc20, 'stlrb w0, [x1]'],
  ];
  it.each(CASES)('%s: %s', (word, text) => {
    expect(disassemble(word).replace('\t', ' ')).toBe(text);
    expect(assemble([text])[0]).toBe(word);
  });

  it('accepts what GNU as accepts', () => {
    expect(assemble(['ldr x0, [x1, x2, lsl #0]'])[0]).toBe(0xf8626820);
    expect(assemble(['ldr x0, [x1, w2, uxtw #0]'])[0]).toBe(0xf8624820);
    expect(assemble(['ldr x0, [x1, x2, lsl 3]'])[0]).toBe(0xf8627820);
    expect(assemble(['ldxr x0, [x1, #0]'])[0]).toBe(0xc85f7c20);
    expect(assemble(['LDR X0, [X1, #8]'])[0]).toBe(0xf9400420);
  });

  it('rejects what GNU as rejects', () => {
    for (const t of ['ldr x0, [x1, x2, lsl #2]', 'ldrb w0, [x1, x2, lsl #1]', 'ldr x0, [x1]!', 'ldr x0, [x1, w2]', 'ldr x0, [x1, #0x8000]',
      'ldp x0, x1, [x2, #4]', 'ldxr x0, [x1, #8]', 'ldr w0, [x1, x2, uxtx]', 'prfm #32, [x1]']) {
      expect(() => assemble([t]), t).toThrow();
    }
  });

  it('prints words that objdump treats specially', () => {
    expect(disassemble(0xc8407c20)).toBe('ldxr\tx0, [x1]'); // Rs != 11111 is ignored
    expect(disassemble(0xc8000041)).toBe('stxr\tw0, x1, [x2]'); // Rt2 != 11111 is ignored
    expect(disassemble(0xc880fc20)).toBe('stlr\tx0, [x1]');
    expect(disassemble(0x08cffc20)).toBe('ldarb\tw0, [x1]'); // Rs<4> is ignored
    expect(disassemble(0x48cffc20)).toBe('.inst\t0x48cffc20 ; undefined'); // but not for LDARH
    expect(disassemble(0xc8df8020)).toBe('.inst\t0xc8df8020 ; undefined');
  });
});
