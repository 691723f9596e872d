// Semantics of the data-processing (register) group: edge cases of every
// instruction family, run through the assembler, decoder and executor.
import { describe, expect, it } from 'vitest';
import type { Cpu } from '../src/core/cpu.js';
import { runAsm } from './helpers/run-asm.js';

const SP = 32;
const MAX64 = 0xffffffffffffffffn;
const INT64_MIN = 0x8000000000000000n;
const INT64_MAX = 0x7fffffffffffffffn;

function run(lines: string[], init: Record<number, bigint> = {}): Cpu {
  const { cpu, exception } = runAsm(lines, init);
  expect(exception).toBeUndefined();
  return cpu;
}

/** NZCV as a string, '-' for a clear flag. */
const flags = (c: Cpu): string => (c.n ? 'N' : '-') + (c.z ? 'Z' : '-') + (c.c ? 'C' : '-') + (c.v ? 'V' : '-');

/** Instructions that leave NZCV as given (x28 = 1, x27 = INT64_MIN scratch; all use only this group). */
const SET_FLAGS: Record<string, string[]> = {
  '----': ['cmn x28, x28'], // 1 + 1
  '-ZC-': ['cmp x28, x28'],
  '--C-': ['cmp x28, xzr'], // 1 - 0
  'N---': ['cmp xzr, x28'], // 0 - 1
  '-Z--': ['cmn xzr, xzr'],
  'N--V': ['cmp xzr, x27'], // 0 - INT64_MIN overflows
};
const withFlags = (f: string, lines: string[]): string[] => [...SET_FLAGS[f], ...lines];
const FLAG_REGS = { 28: 1n, 27: INT64_MIN };

describe('add/sub (shifted register)', () => {
  it('applies LSL, LSR and ASR at 64 bits', () => {
    const c = run(['add x0, x1, x2, lsl #4', 'add x3, x1, x2, lsr #60', 'sub x4, x1, x5, asr #63', 'add x6, x1, x5, lsr #63', 'add x7, xzr, x5, asr #1'],
      { 1: 10n, 2: 0xf000000000000001n, 5: INT64_MIN });
    expect(c.r[0]).toBe(10n + 0x10n);
    expect(c.r[3]).toBe(10n + 0xfn);
    expect(c.r[4]).toBe(11n); // 10 - (-1)
    expect(c.r[6]).toBe(11n);
    expect(c.r[7]).toBe(0xc000000000000000n);
  });

  it('32-bit forms use the low word and zero the upper half', () => {
    const c = run(['add w0, w1, w2', 'sub w3, w1, w2, lsl #31', 'add w4, w1, w2, asr #31', 'add w5, w1, w6, lsr #31'],
      { 0: MAX64, 1: 0xdeadbeef00000005n, 2: 0x12345678ffffffffn, 6: 0x80000000n });
    expect(c.r[0]).toBe(4n);
    expect(c.r[3]).toBe(0x80000005n);
    expect(c.r[4]).toBe(4n); // 5 + (-1)
    expect(c.r[5]).toBe(6n);
  });

  it('wraps modulo 2^64 and discards writes to XZR', () => {
    const c = run(['add x0, x1, x1', 'add xzr, x1, x1', 'neg x2, x3', 'neg w4, w3'], { 1: MAX64, 3: 1n });
    expect(c.r[0]).toBe(MAX64 - 1n);
    expect(c.r[31]).toBe(0n);
    expect(c.r[2]).toBe(MAX64);
    expect(c.r[4]).toBe(0xffffffffn);
  });

  it('ADDS sets carry and overflow at the 64-bit limits', () => {
    let c = run(['adds x0, x1, x2'], { 1: INT64_MAX, 2: 1n });
    expect(c.r[0]).toBe(INT64_MIN);
    expect(flags(c)).toBe('N--V');
    c = run(['adds x0, x1, x2'], { 1: MAX64, 2: 1n });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(['adds x0, x1, x1'], { 1: INT64_MIN });
    expect(flags(c)).toBe('-ZCV');
    c = run(['cmn x1, x2, lsl #1'], { 1: 2n, 2: INT64_MAX }); // 2 + 0xff..fe
    expect(flags(c)).toBe('-ZC-');
  });

  it('ADDS/SUBS at 32 bits take flags from the low word', () => {
    let c = run(['adds w0, w1, w2'], { 1: 0x7fffffffn, 2: 0xffffffff00000001n });
    expect(c.r[0]).toBe(0x80000000n);
    expect(flags(c)).toBe('N--V');
    c = run(['adds w0, w1, w2'], { 1: 0xffffffffn, 2: 1n });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(['subs w0, w1, w2'], { 1: 0x80000000n, 2: 1n });
    expect(c.r[0]).toBe(0x7fffffffn);
    expect(flags(c)).toBe('--CV');
    c = run(['cmp w1, w2'], { 1: 0x100000000n, 2: 0x1n }); // 0 - 1 in 32 bits
    expect(flags(c)).toBe('N---');
  });

  it('SUBS/CMP/NEGS: carry is NOT borrow', () => {
    let c = run(['subs x0, x1, x1'], { 1: 12345n });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(['cmp x1, x2'], { 1: 0n, 2: 1n });
    expect(flags(c)).toBe('N---');
    c = run(['cmp x1, x2'], { 1: INT64_MIN, 2: 1n });
    expect(flags(c)).toBe('--CV');
    c = run(['negs x0, x1'], { 1: 0n });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(['negs x0, x1'], { 1: INT64_MIN });
    expect(c.r[0]).toBe(INT64_MIN);
    expect(flags(c)).toBe('N--V');
    c = run(['negs x0, x1, lsr #1'], { 1: 4n });
    expect(c.r[0]).toBe(MAX64 - 1n);
    expect(flags(c)).toBe('N---');
  });
});

describe('add/sub (extended register)', () => {
  it('zero- and sign-extends bytes, halfwords and words, then shifts', () => {
    const c = run([
      'add x0, x1, w2, uxtb', 'add x3, x1, w2, sxtb #2', 'add x4, x1, w2, uxth #4', 'add x5, x1, w2, sxth',
      'add x6, x1, w2, uxtw #1', 'add x7, x1, w2, sxtw #3', 'sub x8, x1, x2, sxtx #4', 'add x9, x1, x2, uxtx',
    ], { 1: 0x1000n, 2: 0xffffffff8000ff80n });
    expect(c.r[0]).toBe(0x1000n + 0x80n);
    expect(c.r[3]).toBe(0x1000n - 0x200n);
    expect(c.r[4]).toBe(0x1000n + 0xff800n);
    expect(c.r[5]).toBe(0x1000n - 0x80n);
    expect(c.r[6]).toBe(0x1000n + 0x10001ff00n);
    expect(c.r[7]).toBe(BigInt.asUintN(64, 0x1000n - 0x7fff0080n * 8n));
    expect(c.r[8]).toBe(BigInt.asUintN(64, 0x1000n - BigInt.asIntN(64, 0xffffffff8000ff80n) * 16n));
    expect(c.r[9]).toBe(0xffffffff80010f80n);
  });

  it('reads and writes SP, with the LSL form', () => {
    const c = run(['add x0, sp, x1, lsl #2', 'sub sp, sp, #0x10', 'add sp, sp, w1, uxtw', 'sub x2, sp, w3, sxtw'],
      { [SP]: 0x20000n, 1: 4n, 3: 0xffffffffn });
    expect(c.r[0]).toBe(0x20010n);
    expect(c.r[SP]).toBe(0x1fff4n);
    expect(c.r[2]).toBe(0x1fff5n);
  });

  it('32-bit forms write WSP zero-extended', () => {
    const c = run(['add wsp, wsp, w1', 'add w2, w3, w4, sxtb'], { [SP]: 0x12345678fffffff0n, 1: 0x20n, 3: 5n, 4: 0xfen });
    expect(c.r[SP]).toBe(0x10n);
    expect(c.r[2]).toBe(3n);
  });

  it('ADDS/SUBS/CMP/CMN with SP as the first operand', () => {
    let c = run(['cmp sp, x1'], { [SP]: 0x1000n, 1: 0x1000n });
    expect(flags(c)).toBe('-ZC-');
    c = run(['cmn sp, w1, sxtw'], { [SP]: 0x1000n, 1: 0xfffff000n });
    expect(flags(c)).toBe('-ZC-');
    c = run(['adds x0, sp, w1, uxtb'], { [SP]: MAX64, 1: 0x101n });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(['subs w0, wsp, w1, uxth'], { [SP]: 0x100000000n, 1: 0xffff0001n });
    expect(c.r[0]).toBe(0xffffffffn);
    expect(flags(c)).toBe('N---');
  });
});

describe('logical (shifted register)', () => {
  const a = 0xf0f0f0f0_0f0f0f0fn, b = 0xff00ff00_00ff00ffn;
  it('computes AND, BIC, ORR, ORN, EOR and EON', () => {
    const c = run(['and x0, x1, x2', 'bic x3, x1, x2', 'orr x4, x1, x2', 'orn x5, x1, x2', 'eor x6, x1, x2', 'eon x7, x1, x2'], { 1: a, 2: b });
    expect(c.r[0]).toBe(a & b);
    expect(c.r[3]).toBe(a & ~b & MAX64);
    expect(c.r[4]).toBe(a | b);
    expect(c.r[5]).toBe((a | ~b) & MAX64);
    expect(c.r[6]).toBe(a ^ b);
    expect(c.r[7]).toBe((a ^ ~b) & MAX64);
  });

  it('rotates the second operand (ROR) at 64 and 32 bits', () => {
    const c = run(['orr x0, xzr, x1, ror #4', 'orr w2, wzr, w1, ror #4', 'eor x3, xzr, x1, ror #36', 'orr x4, xzr, x5, asr #32'],
      { 1: 0x123456789abcdef1n, 5: 0x80000000_00000000n });
    expect(c.r[0]).toBe(0x1123456789abcdefn);
    expect(c.r[2]).toBe(0x19abcdefn);
    expect(c.r[3]).toBe(0x89abcdef11234567n);
    expect(c.r[4]).toBe(0xffffffff80000000n);
  });

  it('32-bit forms zero the upper half (BIC, ORN, EON invert only 32 bits)', () => {
    const c = run(['bic w0, w1, w2', 'orn w3, wzr, w2', 'eon w4, w1, w1'], { 1: MAX64, 2: 0xffn });
    expect(c.r[0]).toBe(0xffffff00n);
    expect(c.r[3]).toBe(0xffffff00n);
    expect(c.r[4]).toBe(0xffffffffn);
  });

  it('MOV, MVN and TST aliases', () => {
    const c = run(['mov x0, x1', 'mov w2, w1', 'mvn x3, x1', 'mvn w4, w1, lsl #4', 'tst x1, x5'],
      { 1: 0x8000000000000001n, 5: 0x8000000000000000n, 0: 7n });
    expect(c.r[0]).toBe(0x8000000000000001n);
    expect(c.r[2]).toBe(1n);
    expect(c.r[3]).toBe(0x7ffffffffffffffen);
    expect(c.r[4]).toBe(0xffffffefn);
    expect(flags(c)).toBe('N---');
  });

  it('ANDS/BICS set N and Z and clear C and V', () => {
    let c = run([...SET_FLAGS['N--V'], 'ands x0, x1, x2'], { ...FLAG_REGS, 1: 0xf0n, 2: 0x0fn });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-Z--');
    c = run([...SET_FLAGS['-ZC-'], 'ands w0, w1, w2'], { ...FLAG_REGS, 1: 0xffffffff80000000n, 2: MAX64 });
    expect(c.r[0]).toBe(0x80000000n);
    expect(flags(c)).toBe('N---');
    c = run(['bics x0, x1, x2'], { 1: MAX64, 2: INT64_MAX });
    expect(c.r[0]).toBe(INT64_MIN);
    expect(flags(c)).toBe('N---');
    c = run(['tst w1, w2'], { 1: 0xffffffff00000000n, 2: MAX64 });
    expect(flags(c)).toBe('-Z--');
  });
});

describe('add/sub with carry', () => {
  it('ADC and SBC use the carry flag', () => {
    let c = run(withFlags('--C-', ['adc x0, x1, x2', 'sbc x3, x1, x2', 'ngc x4, x2']), { ...FLAG_REGS, 1: 10n, 2: 3n });
    expect([c.r[0], c.r[3], c.r[4]]).toEqual([14n, 7n, MAX64 - 2n]);
    c = run(withFlags('N---', ['adc x0, x1, x2', 'sbc x3, x1, x2', 'ngc w4, w2']), { ...FLAG_REGS, 1: 10n, 2: 3n });
    expect([c.r[0], c.r[3], c.r[4]]).toEqual([13n, 6n, 0xfffffffcn]);
  });

  it('ADCS carries out of 64 and 32 bits', () => {
    let c = run(withFlags('--C-', ['adcs x0, x1, xzr']), { ...FLAG_REGS, 1: MAX64 });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(withFlags('--C-', ['adcs w0, w1, w2']), { ...FLAG_REGS, 1: 0x7fffffffn, 2: 0n });
    expect(c.r[0]).toBe(0x80000000n);
    expect(flags(c)).toBe('N--V');
    c = run(withFlags('-Z--', ['adcs x0, x1, x2']), { ...FLAG_REGS, 1: MAX64, 2: 1n });
    expect(flags(c)).toBe('-ZC-');
  });

  it('SBCS and NGCS', () => {
    let c = run(withFlags('-ZC-', ['sbcs x0, x1, x1']), { ...FLAG_REGS, 1: 5n });
    expect(c.r[0]).toBe(0n);
    expect(flags(c)).toBe('-ZC-');
    c = run(withFlags('-Z--', ['sbcs x0, x1, x1']), { ...FLAG_REGS, 1: 5n });
    expect(c.r[0]).toBe(MAX64);
    expect(flags(c)).toBe('N---');
    c = run(withFlags('-Z--', ['ngcs w0, wzr']), FLAG_REGS);
    expect(c.r[0]).toBe(0xffffffffn);
    expect(flags(c)).toBe('N---');
    c = run(withFlags('--C-', ['sbcs x0, x1, x2']), { ...FLAG_REGS, 1: INT64_MIN, 2: 1n });
    expect(flags(c)).toBe('--CV');
  });
});

describe('conditional compare', () => {
  it('compares when the condition holds, else sets NZCV from the immediate', () => {
    let c = run(withFlags('-ZC-', ['ccmp x1, x2, #0xf, eq']), { ...FLAG_REGS, 1: 1n, 2: 2n });
    expect(flags(c)).toBe('N---');
    c = run(withFlags('-ZC-', ['ccmp x1, x2, #0xa, ne']), { ...FLAG_REGS, 1: 1n, 2: 2n });
    expect(flags(c)).toBe('N-C-');
    c = run(withFlags('----', ['ccmp w1, #5, #0, al']), { ...FLAG_REGS, 1: 0x100000005n });
    expect(flags(c)).toBe('-ZC-');
    c = run(withFlags('----', ['ccmp x1, #5, #0, nv']), { ...FLAG_REGS, 1: 5n }); // nv is "always" too
    expect(flags(c)).toBe('-ZC-');
    c = run(withFlags('----', ['ccmn x1, x2, #0, cc']), { ...FLAG_REGS, 1: INT64_MAX, 2: 1n });
    expect(flags(c)).toBe('N--V');
    c = run(withFlags('----', ['ccmn x1, #1, #0x5, cs']), { ...FLAG_REGS, 1: MAX64 });
    expect(flags(c)).toBe('-Z-V');
    c = run(withFlags('--C-', ['ccmn w1, #1, #0, hs']), { ...FLAG_REGS, 1: 0xffffffffn });
    expect(flags(c)).toBe('-ZC-');
  });
});

describe('conditional select', () => {
  const regs = { ...FLAG_REGS, 1: 10n, 2: 20n, 3: 0xffffffff00000000n };
  it('CSEL, CSINC, CSINV, CSNEG for both outcomes', () => {
    let c = run(withFlags('-ZC-', ['csel x0, x1, x2, eq', 'csinc x4, x1, x2, eq', 'csinv x5, x1, x2, eq', 'csneg x6, x1, x2, eq']), regs);
    expect([c.r[0], c.r[4], c.r[5], c.r[6]]).toEqual([10n, 10n, 10n, 10n]);
    c = run(withFlags('-ZC-', ['csel x0, x1, x2, ne', 'csinc x4, x1, x2, ne', 'csinv x5, x1, x2, ne', 'csneg x6, x1, x2, ne']), regs);
    expect([c.r[0], c.r[4], c.r[5], c.r[6]]).toEqual([20n, 21n, MAX64 - 20n, MAX64 - 19n]);
  });

  it('32-bit forms zero the upper half; CSINC wraps', () => {
    const c = run(withFlags('-ZC-', ['csel w0, w3, w1, eq', 'csinc w4, w1, w3, ne', 'csinv w5, w1, w3, ne', 'csneg w6, w1, w2, ne', 'csinc x7, x1, x8, ne']),
      { ...regs, 8: MAX64 });
    expect([c.r[0], c.r[4], c.r[5], c.r[6], c.r[7]]).toEqual([0n, 1n, 0xffffffffn, 0xffffffecn, 0n]);
  });

  it('CSET, CSETM, CINC, CINV, CNEG (conditions are stored inverted)', () => {
    let c = run(withFlags('N---', ['cset x0, mi', 'csetm w1, mi', 'cinc x2, x5, lt', 'cinv x3, x5, mi', 'cneg x4, x5, ne', 'cset w6, pl']), { ...FLAG_REGS, 5: 7n });
    expect([c.r[0], c.r[1], c.r[2], c.r[3], c.r[4], c.r[6]]).toEqual([1n, 0xffffffffn, 8n, MAX64 - 7n, MAX64 - 6n, 0n]);
    c = run(withFlags('-ZC-', ['cset x0, hi', 'cset x1, ls', 'cneg w2, w5, eq', 'cinc w3, w5, gt', 'csetm x4, ge']), { ...FLAG_REGS, 5: 7n });
    expect([c.r[0], c.r[1], c.r[2], c.r[3], c.r[4]]).toEqual([0n, 1n, 0xfffffff9n, 7n, MAX64]);
  });
});

describe('data processing (1 source)', () => {
  it('RBIT', () => {
    const c = run(['rbit x0, x1', 'rbit w2, w1', 'rbit x3, x3'], { 1: 0x0000000000000001n, 3: 0x8000000000000003n });
    expect(c.r[0]).toBe(INT64_MIN);
    expect(c.r[2]).toBe(0x80000000n);
    expect(c.r[3]).toBe(0xc000000000000001n);
  });

  it('REV16, REV32, REV', () => {
    const v = 0x0102030405060708n;
    const c = run(['rev16 x0, x1', 'rev16 w2, w1', 'rev32 x3, x1', 'rev w4, w1', 'rev x5, x1', 'rev x1, x1'], { 1: v });
    expect(c.r[0]).toBe(0x0201040306050807n);
    expect(c.r[2]).toBe(0x06050807n);
    expect(c.r[3]).toBe(0x0403020108070605n);
    expect(c.r[4]).toBe(0x08070605n);
    expect(c.r[5]).toBe(0x0807060504030201n);
    expect(c.r[1]).toBe(0x0807060504030201n);
  });

  it('CLZ', () => {
    const c = run(['clz x0, x1', 'clz w2, w1', 'clz x3, x4', 'clz w5, w4', 'clz x6, x7', 'clz w8, w7'], { 1: 0n, 4: 0x100000000n, 7: MAX64 });
    expect([c.r[0], c.r[2], c.r[3], c.r[5], c.r[6], c.r[8]]).toEqual([64n, 32n, 31n, 32n, 0n, 0n]);
  });

  it('CLS', () => {
    const c = run(['cls x0, x1', 'cls w2, w1', 'cls x3, x4', 'cls w5, w4', 'cls x6, x7', 'cls w8, w7', 'cls x9, x10'],
      { 1: 0n, 4: MAX64, 7: 1n, 10: 0xffffffff7fffffffn });
    expect([c.r[0], c.r[2], c.r[3], c.r[5], c.r[6], c.r[8], c.r[9]]).toEqual([63n, 31n, 63n, 31n, 62n, 30n, 31n]);
  });
});

describe('data processing (2 source)', () => {
  it('UDIV, including division by zero', () => {
    const c = run(['udiv x0, x1, x2', 'udiv x3, x1, xzr', 'udiv w4, w1, w2', 'udiv w5, w6, w7', 'udiv w8, w1, wzr'],
      { 1: MAX64, 2: 10n, 6: 0xffffffffn, 7: 0x10000n });
    expect(c.r[0]).toBe(MAX64 / 10n);
    expect(c.r[3]).toBe(0n);
    expect(c.r[4]).toBe(0xffffffffn / 10n);
    expect(c.r[5]).toBe(0xffffn);
    expect(c.r[8]).toBe(0n);
  });

  it('SDIV rounds towards zero; INT_MIN / -1 = INT_MIN; x / 0 = 0', () => {
    const c = run(['sdiv x0, x1, x2', 'sdiv x3, x4, x5', 'sdiv x6, x4, xzr', 'sdiv w7, w8, w5', 'sdiv w9, w10, w2', 'sdiv w11, w1, w12'],
      { 1: BigInt.asUintN(64, -7n), 2: 2n, 4: INT64_MIN, 5: MAX64, 8: 0x80000000n, 10: 0xfffffff9n, 12: 0n });
    expect(c.r[0]).toBe(BigInt.asUintN(64, -3n));
    expect(c.r[3]).toBe(INT64_MIN);
    expect(c.r[6]).toBe(0n);
    expect(c.r[7]).toBe(0x80000000n);
    expect(c.r[9]).toBe(0xfffffffdn);
    expect(c.r[11]).toBe(0n);
  });

  it('LSLV, LSRV, ASRV, RORV take the amount modulo the width', () => {
    const v = 0x8000000000000081n;
    const c = run([
      'lsl x0, x1, x2', 'lsr x3, x1, x2', 'asr x4, x1, x2', 'ror x5, x1, x2', 'lsl x6, x1, x7', 'ror x8, x1, x7',
      'lsl w9, w1, w2', 'asr w10, w11, w2', 'ror w12, w1, w13', 'lslv x14, x1, x15', 'asrv w16, w11, w15',
    ], { 1: v, 2: 68n, 7: 64n, 11: 0x80000000n, 13: 33n, 15: 1n });
    expect(c.r[0]).toBe(0x810n);
    expect(c.r[3]).toBe(0x0800000000000008n);
    expect(c.r[4]).toBe(0xf800000000000008n);
    expect(c.r[5]).toBe(0x1800000000000008n);
    expect(c.r[6]).toBe(v);
    expect(c.r[8]).toBe(v);
    expect(c.r[9]).toBe(0x810n);
    expect(c.r[10]).toBe(0xf8000000n);
    expect(c.r[12]).toBe(0x80000040n);
    expect(c.r[14]).toBe(0x102n);
    expect(c.r[16]).toBe(0xc0000000n);
  });
});

describe('data processing (3 source)', () => {
  it('MADD, MSUB, MUL, MNEG wrap; 32-bit forms use low words', () => {
    const c = run(['madd x0, x1, x2, x3', 'msub x4, x1, x2, x3', 'mul x5, x1, x1', 'mneg x6, x2, x2', 'madd w7, w1, w2, w3', 'mul w8, w9, w9', 'mneg w10, w2, w2'],
      { 1: 0x100000001n, 2: 0xffffffffn, 3: 5n, 9: 0xffffffff00010000n });
    expect(c.r[0]).toBe((0x100000001n * 0xffffffffn + 5n) & MAX64);
    expect(c.r[4]).toBe(BigInt.asUintN(64, 5n - 0x100000001n * 0xffffffffn));
    expect(c.r[5]).toBe((0x100000001n * 0x100000001n) & MAX64);
    expect(c.r[6]).toBe(BigInt.asUintN(64, -(0xffffffffn * 0xffffffffn)));
    expect(c.r[7]).toBe(4n); // 1 * -1 + 5
    expect(c.r[8]).toBe(0n); // 0x10000^2 mod 2^32
    expect(c.r[10]).toBe(0xffffffffn); // -((-1)^2)
  });

  it('widening multiplies: SMADDL, SMSUBL, UMADDL, UMSUBL and their aliases', () => {
    const c = run(['smull x0, w1, w2', 'umull x3, w1, w2', 'smaddl x4, w1, w1, x5', 'umaddl x6, w1, w1, x5', 'smnegl x7, w1, w2', 'umnegl x8, w1, w2', 'smsubl x9, w1, w2, x5', 'umsubl x10, w1, w1, x5'],
      { 1: 0x12345678ffffffffn, 2: 0x7fffffffn, 5: 100n });
    expect(c.r[0]).toBe(BigInt.asUintN(64, -0x7fffffffn));
    expect(c.r[3]).toBe(0xffffffffn * 0x7fffffffn);
    expect(c.r[4]).toBe(101n);
    expect(c.r[6]).toBe(0xffffffffn * 0xffffffffn + 100n);
    expect(c.r[7]).toBe(0x7fffffffn);
    expect(c.r[8]).toBe(BigInt.asUintN(64, -(0xffffffffn * 0x7fffffffn)));
    expect(c.r[9]).toBe(100n + 0x7fffffffn);
    expect(c.r[10]).toBe(BigInt.asUintN(64, 100n - 0xffffffffn * 0xffffffffn));
  });

  it('SMULH and UMULH', () => {
    const c = run(['smulh x0, x1, x2', 'umulh x3, x1, x2', 'smulh x4, x5, x5', 'umulh x6, x1, x1', 'smulh x7, x5, x2'],
      { 1: MAX64, 2: 2n, 5: INT64_MIN });
    expect(c.r[0]).toBe(MAX64); // -1 * 2 = -2: high half all ones
    expect(c.r[3]).toBe(1n);
    expect(c.r[4]).toBe(0x4000000000000000n);
    expect(c.r[6]).toBe(MAX64 - 1n);
    expect(c.r[7]).toBe(MAX64);
  });
});
