// Data processing — immediate: semantics against a literal transcription of the
// Arm ARM pseudocode (exhaustively over the immediate fields where that is
// cheap), edge cases through the assembler, and the assembler's choices of
// encodings and aliases.
import { describe, expect, it } from 'vitest';
import { Cpu } from '../src/core/cpu.js';
import { makeDecoder } from '../src/core/decode.js';
import { decodeBitMasks, ones, ror } from '../src/core/isalib.js';
import { SP } from '../src/core/regs.js';
import { UserSpace } from '../src/user/address-space.js';
import { disassemble } from '../src/asm/disasm.js';
import { encodeBitmask } from '../src/asm/operands/dp-imm.js';
import { assemble, runAsm, CODE } from './helpers/run-asm.js';

const M64 = ones(64);
const decoder = makeDecoder({});
const cpu = new Cpu(new UserSpace(), decoder);

function rng(seed: number): () => number {
  let s = seed;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}
const rand = rng(0x5eed);
const rand64 = (): bigint => (BigInt(rand()) << 32n) | BigInt(rand());
const VALUES = [0n, M64, 0x8000000000000000n, 0x7fffffffffffffffn, 0x0000000080000000n, 0xffffffff7fffffffn, 0x0123456789abcdefn, 0xfedcba9876543210n, rand64(), rand64()];

/** Executes one word with x1 = a, x2 = b, x0 = d0; returns x0 and NZCV. */
function exec1(word: number, a: bigint, b = 0n, d0 = 0n): { x0: bigint; nzcv: number } {
  cpu.r[0] = d0; cpu.r[1] = a; cpu.r[2] = b;
  cpu.n = cpu.z = cpu.c = cpu.v = 1;
  decoder(word).exec(cpu);
  return { x0: cpu.r[0], nzcv: cpu.nzcv >>> 28 };
}

const asm = (line: string, pc = CODE): number => assemble([line], pc)[0];
const X = (r: { cpu: Cpu }, n: number): bigint => r.cpu.r[n];

// --- Arm ARM pseudocode, transcribed literally ---------------------------------

/** SBFM (opc 0), BFM (1), UBFM (2): shared/functions bitfield operation. */
function bfmRef(opc: number, sf: number, n: number, immr: number, imms: number, dst: bigint, src: bigint): bigint {
  const W = sf ? 64 : 32;
  const [wmask, tmask] = decodeBitMasks(n, imms, immr, false, W)!;
  const m = ones(W);
  const inzero = opc !== 1, extend = opc === 0;
  const d = inzero ? 0n : dst & m;
  const s = src & m;
  const bot = (d & ~wmask & m) | (ror(s, immr, W) & wmask);
  const top = extend ? ((s >> BigInt(imms)) & 1n ? m : 0n) : d;
  return (top & ~tmask & m) | (bot & tmask);
}

/** Logical (immediate): AND (0), ORR (1), EOR (2), ANDS (3); result and NZCV (flags only for ANDS). */
function logRef(opc: number, sf: number, a: bigint, imm: bigint, flagsIn: number): { r: bigint; nzcv: number } {
  const W = sf ? 64 : 32;
  const x = a & ones(W);
  const r = opc === 0 || opc === 3 ? x & imm : opc === 1 ? x | imm : x ^ imm;
  if (opc !== 3) return { r, nzcv: flagsIn };
  return { r, nzcv: (Number((r >> BigInt(W - 1)) & 1n) << 3) | (r === 0n ? 4 : 0) };
}

const bfmWord = (opc: number, sf: number, n: number, immr: number, imms: number, rd = 0, rn = 1): number =>
  ((sf << 31) | (opc << 29) | (0b100110 << 23) | (n << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd) >>> 0;
const logWord = (opc: number, sf: number, n: number, immr: number, imms: number, rd = 0, rn = 1): number =>
  ((sf << 31) | (opc << 29) | (0b100100 << 23) | (n << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd) >>> 0;

describe('bitfield: SBFM, BFM, UBFM against the pseudocode', () => {
  for (const sf of [0, 1]) {
    it(`all immr/imms, ${sf ? 64 : 32}-bit`, () => {
      const W = sf ? 64 : 32;
      for (const opc of [0, 1, 2]) {
        for (let immr = 0; immr < W; immr++) {
          for (let imms = 0; imms < W; imms++) {
            const w = bfmWord(opc, sf, sf, immr, imms);
            for (let k = 0; k < VALUES.length; k += 2) {
              const src = VALUES[k], dst = VALUES[k + 1];
              const want = bfmRef(opc, sf, sf, immr, imms, dst, src);
              const got = exec1(w, src, 0n, dst).x0;
              if (got !== want) {
                throw new Error(`${disassemble(w)} src=${src.toString(16)} dst=${dst.toString(16)}: got ${got.toString(16)}, want ${want.toString(16)}`);
              }
            }
          }
        }
      }
    });
  }

  it('Rd == Rn reads the source before writing', () => {
    for (const [line, x, want] of [
      ['bfi x3, x3, #8, #8', 0x11223344n, 0x11224444n],
      ['bfxil w3, w3, #8, #8', 0xaaaaaaaa11223344n, 0x11223333n],
      ['sbfx x3, x3, #4, #8', 0x0f80n, 0xfffffffffffffff8n],
      ['ubfiz w3, w3, #4, #4', 0xffffffff_ffffffffn, 0xf0n],
    ] as const) {
      expect(X(runAsm([line], { 3: x }), 3), line).toBe(want);
    }
  });
});

describe('bitfield aliases', () => {
  const x1 = 0x8123456789abcdefn;
  const cases: [string, bigint][] = [
    ['lsl x0, x1, #0', x1],
    ['lsl x0, x1, #4', 0x123456789abcdef0n],
    ['lsl x0, x1, #63', 0x8000000000000000n],
    ['lsl w0, w1, #31', 0x80000000n],
    ['lsl w0, w1, #4', 0x9abcdef0n],
    ['lsr x0, x1, #63', 1n],
    ['lsr x0, x1, #4', 0x08123456789abcden],
    ['lsr w0, w1, #31', 1n],
    ['lsr w0, w1, #0', 0x89abcdefn],
    ['asr x0, x1, #63', M64],
    ['asr x0, x1, #4', 0xf8123456789abcden],
    ['asr w0, w1, #4', 0xf89abcden],
    ['asr w0, w1, #31', 0xffffffffn],
    ['sxtb x0, w1', 0xffffffffffffffefn],
    ['sxtb w0, w1', 0xffffffefn],
    ['sxth x0, w1', 0xffffffffffffcdefn],
    ['sxth w0, w1', 0xffffcdefn],
    ['sxtw x0, w1', 0xffffffff89abcdefn],
    ['uxtb w0, w1', 0xefn],
    ['uxth w0, w1', 0xcdefn],
    ['ubfx x0, x1, #60, #4', 0x8n],
    ['ubfx w0, w1, #28, #4', 0x8n],
    ['sbfx x0, x1, #60, #4', 0xfffffffffffffff8n],
    ['sbfx w0, w1, #0, #32', 0x89abcdefn],
    ['ubfiz x0, x1, #60, #4', 0xf000000000000000n],
    ['sbfiz x0, x1, #8, #4', 0xffffffffffffff00n],
    ['sbfiz w0, w1, #31, #1', 0x80000000n],
    ['bfi x0, x1, #60, #4', 0xfdddddddddddddddn],
    ['bfi w0, w1, #0, #32', 0x89abcdefn],
    ['bfxil x0, x1, #0, #8', 0xddddddddddddddefn],
    ['bfxil w0, w1, #28, #4', 0xddddddd8n],
    ['bfc x0, #4, #56', 0xd00000000000000dn],
    ['bfc w0, #0, #16', 0xdddd0000n],
  ];
  for (const [line, want] of cases) {
    it(line, () => {
      expect(X(runAsm([line], { 0: 0xddddddddddddddddn, 1: x1 }), 0)).toBe(want);
    });
  }

  it('objdump prints the preferred alias', () => {
    expect(disassemble(asm('ubfm w0, w1, #0, #31'))).toBe('lsr\tw0, w1, #0');
    expect(disassemble(asm('ubfm x0, x1, #0, #7'))).toBe('ubfx\tx0, x1, #0, #8');
    expect(disassemble(asm('ubfm w0, w1, #0, #7'))).toBe('uxtb\tw0, w1');
    expect(disassemble(asm('sbfm x0, x1, #0, #31'))).toBe('sxtw\tx0, w1');
    expect(disassemble(asm('sbfm w0, w1, #0, #31'))).toBe('asr\tw0, w1, #0');
    expect(disassemble(asm('bfm w0, wzr, #27, #3'))).toBe('bfc\tw0, #5, #4');
    expect(disassemble(asm('bfm w0, wzr, #3, #4'))).toBe('bfxil\tw0, wzr, #3, #2');
    expect(disassemble(asm('ubfm x2, x3, #61, #60'))).toBe('lsl\tx2, x3, #3');
    expect(disassemble(asm('ubfm x2, x3, #61, #59'))).toBe('ubfiz\tx2, x3, #3, #60');
  });

  it('the assembler encodes aliases as GNU as does and rejects what it rejects', () => {
    expect(asm('lsl x0, x1, #3')).toBe(0xd37df020);
    expect(asm('lsr w0, w1, #0')).toBe(0x53007c20);
    expect(asm('asr x0, x1, #0')).toBe(0x9340fc20);
    expect(asm('sxtb x0, w1')).toBe(0x93401c20);
    expect(asm('sxth w0, w1')).toBe(0x13003c20);
    expect(asm('sxtw x0, w1')).toBe(0x93407c20);
    expect(asm('uxtb w0, w1')).toBe(0x53001c20);
    expect(asm('bfi w0, wzr, #5, #4')).toBe(0x331b0fe0);
    expect(asm('bfc w0, #5, #4')).toBe(0x331b0fe0);
    expect(asm('ubfiz x0, x1, #0, #8')).toBe(asm('ubfx x0, x1, #0, #8'));
    for (const bad of ['lsl w0, w1, #32', 'lsr x0, x1, #64', 'asr w0, w1, #32', 'ubfx w0, w1, #30, #4', 'sbfiz x0, x1, #1, #64',
      'bfi w0, w1, #0, #0', 'sxtb x0, x1', 'uxtb x0, w1', 'sbfm w0, w1, #32, #0', 'ubfm x0, w1, #0, #0']) {
      expect(() => asm(bad), bad).toThrow();
    }
  });
});

describe('logical (immediate)', () => {
  for (const sf of [0, 1]) {
    it(`every bitmask immediate, ${sf ? 64 : 32}-bit: AND ORR EOR ANDS and the encoder`, () => {
      const W = sf ? 64 : 32;
      let count = 0;
      for (let n = 0; n <= sf; n++) {
        for (let immr = 0; immr < 64; immr++) {
          for (let imms = 0; imms < 64; imms++) {
            const masks = decodeBitMasks(n, imms, immr, true, W);
            const w0 = logWord(0, sf, n, immr, imms);
            if (!masks) continue;
            const imm = masks[0];
            // Out-of-element bits of immr are ignored by DecodeBitMasks; the canonical encoding has them clear.
            const esize = n ? 64 : 1 << (31 - Math.clz32(~imms & 0x3f));
            if (immr >= esize) {
              expect(disassemble(w0).startsWith('and')).toBe(true);
              continue;
            }
            count++;
            expect(encodeBitmask(imm, W as 32 | 64)).toEqual([n, immr, imms]);
            for (let opc = 0; opc < 4; opc++) {
              const a = VALUES[(immr + imms + opc) % VALUES.length];
              const want = logRef(opc, sf, a, imm, 0xf);
              const got = exec1(logWord(opc, sf, n, immr, imms), a);
              expect(got.x0).toBe(want.r);
              expect(got.nzcv).toBe(want.nzcv);
            }
          }
        }
      }
      expect(count).toBe(sf ? 5334 : 5334 - 4032);
    });
  }

  it('reserved encodings are UNDEFINED', () => {
    for (const w of [logWord(0, 0, 1, 0, 0), logWord(1, 1, 1, 0, 63), logWord(2, 1, 0, 0, 0x3c + 1), logWord(3, 0, 0, 0, 31), logWord(0, 1, 0, 0, 0x3e)]) {
      expect(disassemble(w)).toMatch(/undefined/);
    }
  });

  it('write SP, read XZR, flags and 32-bit results', () => {
    let r = runAsm(['and sp, x1, #0xfffffffffffffff0'], { 1: 0x20fffn });
    expect(r.cpu.r[SP]).toBe(0x20ff0n);
    r = runAsm(['orr wsp, w1, #0xf'], { 1: 0xffffffff00000100n });
    expect(r.cpu.r[SP]).toBe(0x10fn);
    r = runAsm(['mov sp, #0xff'], {});
    expect(r.cpu.r[SP]).toBe(0xffn);
    r = runAsm(['eor w0, w1, #0x80000000'], { 1: 0xffffffffffffffffn });
    expect(X(r, 0)).toBe(0x7fffffffn);
    r = runAsm(['orr x2, xzr, #0x5555555555555555'], { 2: 7n });
    expect(X(r, 2)).toBe(0x5555555555555555n);
    // ANDS: N and Z from the result, C and V cleared
    r = runAsm(['ands x0, x1, #0x8000000000000000'], { 1: M64 });
    expect([r.cpu.n, r.cpu.z, r.cpu.c, r.cpu.v]).toEqual([1, 0, 0, 0]);
    r = runAsm(['adds x2, x3, #1', 'ands w0, w1, #0x7fffffff'], { 1: 0x80000000n, 3: 0x7fffffffffffffffn });
    expect([r.cpu.n, r.cpu.v]).toEqual([0, 0]);
    expect([X(r, 0), r.cpu.n, r.cpu.z, r.cpu.c, r.cpu.v]).toEqual([0n, 0, 1, 0, 0]);
    r = runAsm(['tst w1, #0x80000000'], { 1: 0x80000000n, 31: 0n });
    expect([r.cpu.n, r.cpu.z]).toEqual([1, 0]);
    expect(r.cpu.r[31]).toBe(0n); // XZR untouched
  });

  it('GNU as immediates: 32-bit values with the upper half all ones, aliases', () => {
    expect(asm('and w0, w1, #0xffffffff0000ffff')).toBe(0x12003c20);
    expect(asm('and w0, w1, #-2')).toBe(asm('and w0, w1, #0xfffffffe'));
    expect(asm('tst w0, #1')).toBe(0x7200001f);
    expect(asm('mov x0, #0x5555555555555555')).toBe(0xb200f3e0);
    expect(asm('mov w0, #0x55555555')).toBe(0x3200f3e0);
    expect(asm('mov sp, #0xff')).toBe(0xb2401fff);
    expect(disassemble(0xb2401fe0)).toBe('orr\tx0, xzr, #0xff');
    expect(disassemble(0xb2401fff)).toBe('mov\tsp, #0xff');
    expect(disassemble(0xb270bfe0)).toBe('orr\tx0, xzr, #0xffffffffffff0000');
    for (const bad of ['and x0, x1, #0', 'orr x0, x1, #-1', 'and w0, w1, #0x100000000', 'eor w0, w1, #0xffffffff', 'and x0, sp, #1', 'ands sp, x0, #1']) {
      expect(() => asm(bad), bad).toThrow();
    }
  });
});

describe('move wide', () => {
  it('MOVZ, MOVN, MOVK results', () => {
    const r = runAsm([
      'movz x0, #0x1234, lsl #48',
      'movn x1, #0x1234, lsl #16',
      'movn w2, #0x1234, lsl #16',
      'movk x3, #0xbeef, lsl #32',
      'movk w4, #0xbeef, lsl #16',
      'movk x5, #0',
      'mov x6, #-1',
      'mov w7, #-1',
      'movz w8, #0xffff, lsl #16',
      'movz xzr, #1',
    ], { 3: 0x1111222233334444n, 4: 0x1111222233334444n, 5: M64, 7: 5n << 40n, 8: M64 });
    expect(X(r, 0)).toBe(0x1234000000000000n);
    expect(X(r, 1)).toBe(0xffffffffedcbffffn);
    expect(X(r, 2)).toBe(0xedcbffffn);
    expect(X(r, 3)).toBe(0x1111beef33334444n);
    expect(X(r, 4)).toBe(0xbeef4444n);
    expect(X(r, 5)).toBe(0xffffffffffff0000n);
    expect(X(r, 6)).toBe(M64);
    expect(X(r, 7)).toBe(0xffffffffn);
    expect(X(r, 8)).toBe(0xffff0000n);
    expect(r.cpu.r[31]).toBe(0n);
  });

  it('mov chooses MOVZ, then MOVN, then ORR, as GNU as does', () => {
    expect(asm('mov x0, #0')).toBe(0xd2800000);
    expect(asm('mov x0, #0x10000')).toBe(0xd2a00020);
    expect(asm('mov x0, #0x123400000000')).toBe(0xd2c24680);
    expect(asm('mov w0, #0xffff0000')).toBe(0x52bfffe0);
    expect(asm('mov w0, #0xfffffffe')).toBe(0x12800020);
    expect(asm('mov w0, #-2')).toBe(0x12800020);
    expect(asm('mov x0, #-1')).toBe(0x92800000);
    expect(asm('mov x0, #0xffffffffffff0000')).toBe(0x929fffe0);
    for (const bad of ['mov x0, #0x1234567', 'movz x0, #0x10000', 'movz w0, #1, lsl #32', 'movk x0, #1, lsl #8', 'movn x0, #-1', 'mov w0, #0x100000000']) {
      expect(() => asm(bad), bad).toThrow();
    }
  });

  it('disassembly: MOV only where objdump prefers it', () => {
    expect(disassemble(0x92800000)).toBe('mov\tx0, #0xffffffffffffffff');
    expect(disassemble(0x12800000)).toBe('mov\tw0, #0xffffffff');
    expect(disassemble(0x129fffe0)).toBe('movn\tw0, #0xffff');
    expect(disassemble(0x929fffe0)).toBe('mov\tx0, #0xffffffffffff0000');
    expect(disassemble(0x92a00000)).toBe('movn\tx0, #0x0, lsl #16');
    expect(disassemble(0xd2a00000)).toBe('movz\tx0, #0x0, lsl #16');
    expect(disassemble(0x52800000)).toBe('mov\tw0, #0x0');
    expect(disassemble(0xf2a00020)).toBe('movk\tx0, #0x1, lsl #16');
    expect(disassemble(0x52c00000)).toMatch(/undefined/); // movz w0, #0, lsl #32
  });
});

describe('extract', () => {
  it('EXTR and ROR for every lsb', () => {
    for (const sf of [0, 1]) {
      const W = sf ? 64 : 32;
      for (let lsb = 0; lsb < W; lsb++) {
        for (let k = 0; k + 1 < VALUES.length; k++) {
          const n = VALUES[k] & ones(W), m = VALUES[k + 1] & ones(W);
          const want = (((n << BigInt(W)) | m) >> BigInt(lsb)) & ones(W);
          const w = ((sf << 31) | (0b100111 << 23) | (sf << 22) | (2 << 16) | (lsb << 10) | (1 << 5)) >>> 0;
          expect(exec1(w, VALUES[k], VALUES[k + 1]).x0).toBe(want);
        }
      }
    }
  });

  it('ROR alias, Rd == Rn == Rm, 32-bit zeroing', () => {
    let r = runAsm(['ror x1, x1, #8'], { 1: 0x0123456789abcdefn });
    expect(X(r, 1)).toBe(0xef0123456789abcdn);
    r = runAsm(['ror w1, w1, #0'], { 1: 0xffffffff89abcdefn });
    expect(X(r, 1)).toBe(0x89abcdefn);
    r = runAsm(['extr w0, w1, w2, #31'], { 1: 0x1n, 2: 0x80000000n });
    expect(X(r, 0)).toBe(0x3n);
    expect(disassemble(asm('extr x0, x1, x1, #63'))).toBe('ror\tx0, x1, #63');
    expect(disassemble(asm('extr x0, x1, x2, #63'))).toBe('extr\tx0, x1, x2, #63');
    expect(asm('ror w0, w1, #0')).toBe(0x13810020);
    for (const bad of ['ror w0, w1, #32', 'extr x0, x1, w2, #1', 'ror x0, w1, #1']) expect(() => asm(bad), bad).toThrow();
  });
});

describe('PC-relative addresses', () => {
  it('ADR: ±1 MiB around the instruction', () => {
    const r = runAsm(['adr x0, 0x10000', 'adr x1, 0x10005', 'adr x2, 0xff00', 'adr xzr, 0x10000'], {});
    expect([X(r, 0), X(r, 1), X(r, 2), r.cpu.r[31]]).toEqual([0x10000n, 0x10005n, 0xff00n, 0n]);
    expect(asm('adr x0, 0x10ffff')).toBe(0x707fffe0);
    expect(asm('adr x0, 0x100000', 0x200000)).toBe(0x10800000);
    expect(() => asm('adr x0, 0x110000')).toThrow();
  });

  it('ADRP: 4 KiB pages, ±4 GiB', () => {
    const r = runAsm(['adrp x0, 0x10000', 'adrp x1, 0x12000', 'adrp x2, 0x0', 'adrp x3, 0x80010000'], {});
    expect([X(r, 0), X(r, 1), X(r, 2), X(r, 3)]).toEqual([0x10000n, 0x12000n, 0n, 0x80010000n]);
    expect(asm('adrp x0, 0x12345')).toEqual(asm('adrp x0, 0x12000')); // the page of the target, as GNU as + ld compute it
    expect(() => asm('adrp x0, 0x100010000')).toThrow();
    expect(disassemble(asm('adrp x3, 0x80010000'), BigInt(CODE))).toBe('adrp\tx3, 80010000');
    // results below address 0 wrap to 64 bits: page offset -(1 << 20) pages
    cpu.pc = 0x10abc;
    expect(exec1(0x90800000, 0n).x0).toBe(BigInt.asUintN(64, 0x10000n - (1n << 32n)));
    cpu.pc = 0x10abc;
    expect(exec1(0x10800000, 0n).x0).toBe(BigInt.asUintN(64, 0x10abcn - (1n << 20n)));
  });
});

describe('BIC (immediate)', () => {
  it('assembles as AND with the inverted immediate, as GNU as does, and is never printed', () => {
    expect(asm('bic w0, w0, #2')).toBe(0x121e7800);
    expect(asm('bic x1, x2, #0xff')).toBe(0x9278dc41);
    expect(asm('bic sp, x2, #1')).toBe(0x927ff85f);
    expect(disassemble(0x121e7800)).toBe('and\tw0, w0, #0xfffffffd');
  });
});
