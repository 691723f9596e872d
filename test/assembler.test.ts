// The assembler driver: directives, labels, expressions, literal pools,
// section layout and diagnostics. Byte-for-byte agreement with GNU as is
// checked separately in test/oracle/assembler.test.ts.
import { describe, expect, it } from 'vitest';
import { assemble, AsmSourceError } from '../src/asm/assembler.js';
import { evaluate } from '../src/asm/expr.js';
import { readElf } from '../src/elf/read.js';

const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const NOP = 0xd503201f;

function sec(src: string, name = '.text', textBase?: bigint) {
  const r = assemble(src, 't.s', { textBase });
  const s = r.sections.find((x) => x.name === name);
  if (!s) throw new Error(`no section ${name}`);
  return s;
}

const bytes = (src: string, name = '.text') => [...sec(src, name).data];

function words(src: string, name = '.text'): number[] {
  const d = sec(src, name).data;
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return Array.from({ length: d.length >> 2 }, (_, i) => v.getUint32(i * 4, true));
}

function symbol(src: string, name: string): bigint {
  const s = assemble(src, 't.s').symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value;
}

/** The diagnostic text of assembling src (which must fail). */
function error(src: string): string {
  try {
    assemble(src, 'prog.S');
  } catch (e) {
    expect(e).toBeInstanceOf(AsmSourceError);
    return (e as Error).message;
  }
  throw new Error('assembled without error');
}

/** `b` to a target `n` instructions away. */
const b = (n: number) => (0x14000000 | (n & 0x3ffffff)) >>> 0;

describe('data directives', () => {
  it('emits integers of every width, little-endian, with expressions', () => {
    expect(bytes('.data\n.byte 1, -1, 0x7f\n.hword 0x1234\n.short -2\n', '.data')).toEqual([1, 0xff, 0x7f, 0x34, 0x12, 0xfe, 0xff]);
    expect(bytes('.data\n.word 0x11223344\n.long 2*3+1\n', '.data')).toEqual([0x44, 0x33, 0x22, 0x11, 7, 0, 0, 0]);
    expect(bytes('.data\n.quad -1\n.xword 1 << 40\n', '.data')).toEqual([...Array(8).fill(0xff), 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('takes labels in .quad and .word, and . as the item address', () => {
    const s = sec('.data\nstart: .quad start, end\n.word start + 4\nend: .quad .\n', '.data');
    const v = new DataView(s.data.buffer, s.data.byteOffset);
    expect(v.getBigUint64(0, true)).toBe(s.addr);
    expect(v.getBigUint64(8, true)).toBe(s.addr + 20n);
    expect(v.getUint32(16, true)).toBe(Number(s.addr) + 4);
    expect(v.getBigUint64(20, true)).toBe(s.addr + 20n);
  });

  it('truncates values too wide for the item with a warning, as GNU as does', () => {
    const r = assemble('.data\n  .byte 256\n', 'w.s');
    expect([...r.sections.find((s) => s.name === '.data')!.data]).toEqual([0]);
    expect(r.warnings).toEqual(['w.s:2:9: value 0x100 truncated to 0x0']);
  });

  it('emits strings with C escapes', () => {
    expect(bytes('.data\n.ascii "a\\tb\\n\\x41\\101\\"\\\\"\n', '.data')).toEqual([0x61, 9, 0x62, 10, 0x41, 0x41, 0x22, 0x5c]);
    expect(bytes('.data\n.asciz "x", "y"\n.string "z"\n', '.data')).toEqual([0x78, 0, 0x79, 0, 0x7a, 0]);
    expect(bytes('.data\n.ascii "a;b//c/*d"\n', '.data')).toEqual([...'a;b//c/*d'].map((c) => c.charCodeAt(0)));
  });

  it('takes the .2byte/.4byte/.8byte spellings', () => {
    expect(bytes('.data\n.2byte 1\n.4byte 2\n.8byte 3\n', '.data')).toEqual([1, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('reserves space with .skip/.space (with fill) and .zero', () => {
    expect(bytes('.data\n.byte 1\n.skip 3, 0x55\n.space 2\n.zero 1\n.byte 2\n', '.data')).toEqual([1, 0x55, 0x55, 0x55, 0, 0, 0, 2]);
  });

  it('emits .inst words aligned like instructions', () => {
    expect(bytes('.byte 1\n.inst 0xd503201f\n')).toEqual([1, 0, 0, 0, 0x1f, 0x20, 0x03, 0xd5]);
  });
});

describe('alignment', () => {
  it('.align is a power of two; code sections pad with NOPs after zero bytes', () => {
    expect(words('add x0, x0, #1\n.align 4\nadd x0, x0, #1\n')).toEqual([ADD_X0_1, NOP, NOP, NOP, ADD_X0_1]);
    expect(bytes('.byte 1\n.align 3\n.byte 2\n')).toEqual([1, 0, 0, 0, 0x1f, 0x20, 0x03, 0xd5, 2]);
    expect(bytes('.data\n.byte 1\n.align 2\n.byte 2\n', '.data')).toEqual([1, 0, 0, 0, 2]);
  });

  it('.balign takes bytes, .p2align a power; both take a fill and a maximum skip', () => {
    expect(bytes('.data\n.byte 1\n.balign 4, 0xaa\n.byte 2\n', '.data')).toEqual([1, 0xaa, 0xaa, 0xaa, 2]);
    expect(bytes('.data\n.byte 1\n.p2align 2, 0xbb\n.byte 2\n', '.data')).toEqual([1, 0xbb, 0xbb, 0xbb, 2]);
    expect(bytes('.data\n.byte 1\n.p2align 4,,4\n.byte 2\n', '.data')).toEqual([1, 2]); // would need 15 > 4
    expect(bytes('.data\n.byte 1\n.balign 0\n.byte 2\n', '.data')).toEqual([1, 2]);
  });

  it('pads instructions after odd-sized data to a word boundary with zeros', () => {
    expect(bytes('.byte 7\nadd x0, x0, #1\n')).toEqual([7, 0, 0, 0, 0x00, 0x04, 0x00, 0x91]);
  });
});

describe('symbols and expressions', () => {
  it('defines .equ, .set and = symbols at their definition; .set may be redefined', () => {
    expect(bytes('.data\n.equ K, 5\nK2 = K * 2\n.set K, 6\n.byte K, K2\n', '.data')).toEqual([6, 10]);
  });

  it('evaluates with GNU as precedence, which is not C precedence', () => {
    const e = (t: string) => evaluate(t, { dot: 0n, symbol: () => undefined });
    expect(e('1 + 2 << 3')).toBe(17n);
    expect(e('3 | 4 + 1')).toBe(8n);
    expect(e('(1 + 2) << 3')).toBe(24n);
    expect(e('2 * 3 + 4')).toBe(10n);
    expect(e('1 - 2 - 3')).toBe(-4n);
    expect(e('-16 >> 2')).toBe(0x3ffffffffffffffcn); // logical shift of the 64-bit value
    expect(e('7 / -2')).toBe(-3n);
    expect(e('-7 % 3')).toBe(-1n);
    expect(e('~0')).toBe(-1n);
    expect(e('3 == 1 + 2')).toBe(-1n); // GNU as: true is -1
    expect(e('1 || 0 && 0')).toBe(1n);
    expect(e("'A' + 'a")).toBe(0x41n + 0x61n);
    expect(e("'\\n")).toBe(10n);
    expect(e('0x10 + 0b101 + 010')).toBe(16n + 5n + 8n);
    expect(e('0xffffffffffffffff + 1')).toBe(0n);
    expect(evaluate(':lo12:x + 1', { dot: 0n, symbol: () => 0x401ffen })).toBe(0xfffn); // no linker: resolved here
  });

  it('labels can be used before and after their definition, across sections', () => {
    const src = '.data\nd: .quad t\n.text\nt: add x0, x0, #1\n.data\n.quad later\nlater: .quad d\n';
    const r = assemble(src, 't.s');
    const data = r.sections.find((s) => s.name === '.data')!;
    const v = new DataView(data.data.buffer, data.data.byteOffset);
    expect(v.getBigUint64(0, true)).toBe(0x400000n);
    expect(v.getBigUint64(8, true)).toBe(data.addr + 16n);
    expect(v.getBigUint64(16, true)).toBe(data.addr);
  });

  it('takes sizes defined later (assembling again until the layout settles)', () => {
    const src = '.data\n.byte 1\n.skip N\nafter: .byte 2\n.equ N, 3\n';
    expect(bytes(src, '.data')).toEqual([1, 0, 0, 0, 2]);
    expect(symbol(src, 'after')).toBe(0x400004n);
  });

  it('reports a layout that never settles', () => {
    expect(error('.data\nstart: .skip 4\n.skip end - start\nend:\n')).toBe('prog.S:1:1: layout did not settle after 10 passes');
  });

  it('resolves local numeric labels 1b and 1f to the nearest definition', () => {
    const src = ['1: b 1f', '   b 1b', '1: b 1b', '   b 2f', '2: b 1b'].join('\n');
    expect(words(src)).toEqual([b(2), b(-1), b(0), b(1), b(-2)]);
  });

  it('accepts several labels on one line and a label alone on a line', () => {
    expect(symbol('a: b: add x0, x0, #1\nc:\n\nadd x0, x0, #1\n', 'b')).toBe(0x400000n);
    expect(symbol('a: b: add x0, x0, #1\nc:\n\nadd x0, x0, #1\n', 'c')).toBe(0x400004n);
  });

  it('marks .global symbols global and leaves .L and numeric labels out of the symbol table', () => {
    const r = assemble('.global _start\n_start: 1: .L1: add x0, x0, #1\nloc: add x0, x0, #1\n', 't.s');
    expect(r.symbols).toEqual([
      { name: '_start', value: 0x400000n, global: true, section: '.text' },
      { name: 'loc', value: 0x400004n, global: false, section: '.text' },
    ]);
  });

  it('accepts .type and .size and ignores them', () => {
    expect(words('.type f, %function\nf: add x0, x0, #1\n.size f, . - f\n')).toEqual([ADD_X0_1]);
  });
});

describe('source syntax', () => {
  it('takes // and multi-line /* */ comments, # comment lines and ; separators', () => {
    const src = [
      '# a comment line',
      '  # indented, still a comment',
      'add x0, x0, #1 // trailing',
      'add x0, x0, #1 /* spans',
      'lines ; b . */ ; add x0, x0, # 1',
    ].join('\n');
    expect(words(src)).toEqual([ADD_X0_1, ADD_X0_1, ADD_X0_1]);
  });

  it('is case-insensitive in mnemonics and directives', () => {
    expect(words('ADD X0, X0, #1\n.ALIGN 3\n')).toEqual([ADD_X0_1, NOP]);
  });

  it('stops at .end', () => {
    expect(words('add x0, x0, #1\n.end\nthis is not assembled\n')).toEqual([ADD_X0_1]);
  });
});

describe('sections and output', () => {
  const prog = [
    '.text', '_start: add x0, x0, #1',
    '.section .rodata', 'ro: .ascii "abc"',
    '.data', 'd: .word 1',
    '.bss', 'z: .skip 64',
    '.text', 'add x0, x0, #1',
  ].join('\n');

  it('places .text at textBase, then read-only, writable and zero-filled sections on following pages', () => {
    const r = assemble(prog, 't.s');
    expect(r.sections.map((s) => [s.name, s.addr, s.size, s.flags])).toEqual([
      ['.text', 0x400000n, 8, 'rx'],
      ['.rodata', 0x401000n, 3, 'rx'],
      ['.data', 0x402000n, 4, 'rw'],
      ['.bss', 0x403000n, 64, 'rw-nobits'],
    ]);
    expect(r.sections[3].data.length).toBe(0);
    expect(r.entry).toBe(0x400000n);
  });

  it('honours textBase and makes _start the entry, else the start of .text', () => {
    expect(assemble('add x0, x0, #1\n_start: add x0, x0, #1\n', 't.s', { textBase: 0x10000n }).entry).toBe(0x10004n);
    expect(assemble('add x0, x0, #1\n', 't.s', { textBase: 0x10000n }).entry).toBe(0x10000n);
  });

  it('supports .section with flags, .pushsection/.popsection and .previous', () => {
    const r = assemble('.section .mycode, "ax"\nadd x0, x0, #1\n.pushsection .mydata, "aw"\n.byte 1\n.popsection\n.byte 2\n.data\n.byte 3\n.previous\n.byte 4\n', 't.s');
    const m = r.sections.find((s) => s.name === '.mycode')!;
    expect(m.flags).toBe('rx');
    expect([...m.data]).toEqual([0, 4, 0, 0x91, 2, 4]);
    expect(r.sections.find((s) => s.name === '.mydata')!.flags).toBe('rw');
  });

  it('writes an ELF with the sections, symbols and entry', () => {
    const r = assemble(prog, 't.s');
    const elf = readElf(r.elf, 't');
    expect(elf.entry).toBe(0x400000n);
    expect(elf.symbols.map((s) => [s.name, s.value])).toEqual(expect.arrayContaining([['_start', 0x400000n], ['ro', 0x401000n], ['d', 0x402000n], ['z', 0x403000n]]));
    const text = elf.segments.find((s) => s.vaddr === 0x400000n)!;
    expect([...text.data.subarray(0, 8)]).toEqual([0, 4, 0, 0x91, 0, 4, 0, 0x91]);
  });

  it('gives a listing of the bytes of each statement on request', () => {
    const r = assemble('add x0, x0, #1\n.data\nv: .quad 5\n', 't.s', { listing: true });
    expect(r.listing!.map((l) => [l.line, l.section, l.addr, l.bytes.length, l.source])).toEqual([
      [1, '.text', 0x400000n, 4, 'add x0, x0, #1'],
      [3, '.data', 0x401000n, 8, 'v: .quad 5'],
    ]);
  });
});

describe('literal pools (ldr =)', () => {
  // ldr (literal) words: imm19 is the word offset from the instruction.
  const ldrX = (rt: number, off: number) => (0x58000000 | ((off / 4) << 5) | rt) >>> 0;
  const ldrW = (rt: number, off: number) => (0x18000000 | ((off / 4) << 5) | rt) >>> 0;

  it('always uses the pool (no MOVZ), 4-byte entries then 8-byte ones, equal constants shared', () => {
    const src = ['ldr x0, =5', 'ldr w1, =5', 'ldr x2, =0x123456789', 'ldr x3, =5'].join('\n');
    // pool at 16: w-pool [5] at 16, pad to 24, x-pool [5, 0x123456789] at 24
    expect(words(src)).toEqual([ldrX(0, 24), ldrW(1, 12), ldrX(2, 24), ldrX(3, 12), 5, 0, 5, 0, 0x23456789, 1]);
  });

  it('keeps a label and an equal constant apart, as GNU as does, and shares uses of one label', () => {
    const src = ['_start: ldr x0, =_start', 'ldr x1, =0x400000', 'ldr x2, =_start'].join('\n');
    expect(words(src)).toEqual([ldrX(0, 16), ldrX(1, 20), ldrX(2, 8), 0, 0x400000, 0, 0x400000, 0]);
  });

  it('shares constants as written, like GNU as: -1 and 0xffffffffffffffff get two entries', () => {
    expect(words('ldr x0, =-1\nldr x1, =~0\nldr x2, =0xffffffffffffffff\n')).toEqual([ldrX(0, 16), ldrX(1, 12), ldrX(2, 16), 0, ~0 >>> 0, ~0 >>> 0, ~0 >>> 0, ~0 >>> 0]);
  });

  it('places the pool at .ltorg, and starts a new one after it', () => {
    const src = ['ldr x0, =7', 'b 1f', '.ltorg', '1: ldr x1, =7'].join('\n');
    expect(words(src)).toEqual([ldrX(0, 8), b(3), 7, 0, ldrX(1, 8), 0, 7, 0]);
  });

  it('resolves forward labels in pool entries', () => {
    const r = assemble('ldr x0, =later\n.data\nlater: .quad 0\n', 't.s');
    const t = r.sections[0].data;
    expect(new DataView(t.buffer, t.byteOffset).getBigUint64(8, true)).toBe(0x401000n);
  });
});

describe('diagnostics: file:line:col: problem', () => {
  it('reports an unknown instruction at its column', () => {
    expect(error('add x0, x0, #1\n    ad x0, x0, #1\n')).toBe("prog.S:2:5: unknown instruction 'ad'");
  });

  it('reports operands that match no form', () => {
    expect(error('  add x0, x0, [x1]\n')).toBe("prog.S:1:7: operands do not match any form of 'add': x0, x0, [x1]");
  });

  it('reports undefined symbols in instructions and in data', () => {
    expect(error('add x0, x0, #nosuch\n')).toBe("prog.S:1:5: undefined symbol 'nosuch'");
    expect(error('b nowhere\n')).toBe("prog.S:1:3: undefined symbol 'nowhere'");
    expect(error('.data\n.quad 1, missing + 4\n')).toBe("prog.S:2:10: undefined symbol 'missing'");
    expect(error('b 1f\n')).toBe("prog.S:1:3: undefined symbol '1f'");
  });

  it('reports an unknown directive, a duplicate label and a bad alignment', () => {
    expect(error('\n  .foo 3\n')).toBe("prog.S:2:3: unknown directive '.foo'");
    expect(error('x: add x0, x0, #1\n\nx: add x0, x0, #1\n')).toBe("prog.S:3:1: symbol 'x' is already defined");
    expect(error('.align 17\n')).toBe('prog.S:1:8: alignment too large: 2^17 (at most 2^16)');
    expect(error('.align -1\n')).toBe('prog.S:1:8: alignment 2^-1 is negative');
    expect(error('.balign 3\n')).toBe('prog.S:1:9: alignment 3 is not a power of 2');
  });

  it('reports bad expressions, bad strings and non-zero data in .bss', () => {
    expect(error('.data\n.word 1 +\n')).toBe('prog.S:2:10: missing operand');
    expect(error('.data\n.word (1\n')).toBe("prog.S:2:9: missing ')'");
    expect(error('.data\n.word 1/0\n')).toBe('prog.S:2:8: division by zero');
    expect(error('.data\n.ascii abc\n')).toBe("prog.S:2:8: expected a string in double quotes, not 'abc'");
    expect(error('.bss\n.byte 1\n')).toBe("prog.S:2:7: attempt to store non-zero value in section '.bss'");
  });

  it('reports every error, one line each, in source order', () => {
    const e = error('foo\n.data\n.quad nope\n');
    expect(e.split('\n')).toEqual(["prog.S:1:1: unknown instruction 'foo'", "prog.S:3:7: undefined symbol 'nope'"]);
  });

  it('carries the first position as fields', () => {
    expect.assertions(1);
    try {
      assemble('\n\n   bad\n', 'f.s');
    } catch (e) {
      expect(e).toMatchObject({ file: 'f.s', line: 3, col: 4, problem: "unknown instruction 'bad'" });
    }
  });
});
