// Assembler diagnostics for input that parses but cannot be encoded: branches
// out of range, immediates out of range (which operand, what range), and a
// cap on the number of errors for junk input. The problems are worded as GNU
// as words them; where GNU as is installed, its wording is checked to be part
// of ours on the same input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, AsmSourceError, MAX_ERRORS } from '../src/asm/assembler.js';
import { oracleIt } from './oracle/tools.js';

function errors(src: string): string[] {
  try {
    assemble(src, 'p.s');
  } catch (e) {
    expect(e).toBeInstanceOf(AsmSourceError);
    return (e as Error).message.split('\n');
  }
  throw new Error('assembled without error');
}
const error = (src: string) => {
  const e = errors(src);
  expect(e).toHaveLength(1);
  return e[0];
};

describe('branches and PC-relative targets out of range', () => {
  it('says "conditional branch out of range" with the distance, not an undefined prefix of the label', () => {
    expect(error('b.eq target\n.skip 0x200000\ntarget: nop\n'))
      .toBe('p.s:1:6: conditional branch out of range (the target is +2097156 bytes away; the reach is ±1 MiB)');
    expect(error('target: nop\n.skip 0x8000\ntbz x0, #3, target\n'))
      .toBe('p.s:3:13: conditional branch out of range (the target is -32772 bytes away; the reach is ±32 KiB)');
    expect(error('cbnz w1, far\n.skip 0x100000\nfar: ret\n')).toMatch(/^p\.s:1:10: conditional branch out of range /);
  });

  it('says "branch out of range" for b and bl', () => {
    expect(error('b far\n.skip 0x8000000\nfar: nop\n')).toBe('p.s:1:3: branch out of range (the target is +134217732 bytes away; the reach is ±128 MiB)');
    expect(error('bl far\n.skip 0x8000000\nfar: nop\n')).toMatch(/^p\.s:1:4: branch out of range /);
  });

  it('words literal loads and ADR as GNU as does', () => {
    expect(error('ldr x0, far\n.skip 0x100000\nfar: .quad 0\n')).toMatch(/^p\.s:1:9: pc-relative load offset out of range /);
    expect(error('adr x0, far\n.skip 0x100000\nfar: nop\n')).toMatch(/^p\.s:1:9: pc-relative address offset out of range /);
  });

  it('still names a symbol that is really undefined, whole', () => {
    expect(error('b.ne target\n')).toBe("p.s:1:6: undefined symbol 'target'");
  });
});

describe('immediates out of range: which operand, which range', () => {
  const cases: [string, string][] = [
    ['lsl x0, x1, #64', 'p.s:1:13: immediate value out of range 0 to 63 at operand 3 -- `lsl x0, x1, #64\''],
    ['lsl w0, w1, #32', 'p.s:1:13: immediate value out of range 0 to 31 at operand 3 -- `lsl w0, w1, #32\''],
    ['ubfx x0, x1, #70, #2', 'p.s:1:14: immediate value out of range 0 to 63 at operand 3 -- `ubfx x0, x1, #70, #2\''],
    ['ubfx x0, x1, #3, #62', 'p.s:1:14: immediate value out of range 1 to 61 at operand 4 -- `ubfx x0, x1, #3, #62\''],
    ['svc #0x10000', 'p.s:1:5: immediate value out of range 0 to 65535 at operand 1 -- `svc #0x10000\''],
    ['movk x0, #0x10000', 'p.s:1:10: immediate value out of range 0 to 65535 at operand 2 -- `movk x0, #0x10000\''],
    ['movz x0, #1, lsl #8', 'p.s:1:10: shift amount must be a multiple of 16 at operand 2 -- `movz x0, #1, lsl #8\''],
    ['tbz x0, #64, .', 'p.s:1:9: immediate value out of range 0 to 63 at operand 2 -- `tbz x0, #64, .\''],
    ['dmb #16', 'p.s:1:5: immediate value out of range 0 to 15 at operand 1 -- `dmb #16\''],
    ['prfm #40, [x0]', 'p.s:1:6: immediate value out of range 0 to 31 at operand 1 -- `prfm #40, [x0]\''],
    ['add x0, x1, x2, lsl #64', 'p.s:1:17: shift amount out of range 0 to 63 at operand 3 -- `add x0, x1, x2, lsl #64\''],
    ['add x0, x1, w2, uxtw #5', 'p.s:1:13: shift amount out of range 0 to 4 at operand 3 -- `add x0, x1, w2, uxtw #5\''],
    ['add x0, x0, #0x12345', 'p.s:1:13: immediate value out of range 0 to 4095, or 0x1000 to 0xfff000 in multiples of 0x1000 at operand 3 -- `add x0, x0, #0x12345\''],
    ['ldp x0, x1, [x2, #1024]', 'p.s:1:18: immediate offset out of range -512 to 504 at operand 3 -- `ldp x0, x1, [x2, #1024]\''],
    ['ldp x0, x1, [x2, #4]', 'p.s:1:18: immediate offset must be a multiple of 8 at operand 3 -- `ldp x0, x1, [x2, #4]\''],
    ['str x0, [x1, #800]!', 'p.s:1:14: immediate offset out of range -256 to 255 at operand 2 -- `str x0, [x1, #800]!\''],
    ['ldr x0, [x1, #0x100000]', 'p.s:1:14: immediate offset out of range -256 to 255 or 0 to 32760 (multiples of 8) at operand 2 -- `ldr x0, [x1, #0x100000]\''],
    ['mov x0, #0x12345', 'p.s:1:9: immediate cannot be moved by a single instruction at operand 2 -- `mov x0, #0x12345\''],
    ['and x0, x1, #5', 'p.s:1:13: immediate out of range (not a 64-bit bitmask immediate: a repeated, rotated run of ones) at operand 3 -- `and x0, x1, #5\''],
  ];
  for (const [src, want] of cases) {
    it(src, () => expect(error(`${src}\n`)).toBe(want));
  }

  it('still encodes the values at the ends of each range', () => {
    for (const src of ['lsl x0, x1, #63', 'ubfx x0, x1, #3, #61', 'svc #0xffff', 'movk x0, #0xffff, lsl #48', 'tbz x0, #63, .', 'dmb #15',
      'prfm #31, [x0]', 'add x0, x1, x2, lsl #63', 'add x0, x1, w2, uxtw #4', 'add x0, x0, #0xfff000', 'ldp x0, x1, [x2, #-512]',
      'str x0, [x1, #255]!', 'ldr x0, [x1, #32760]', 'ldr x0, [x1, #-256]', 'mov x0, #0xffff0000', 'and x0, x1, #0xff']) {
      expect(() => assemble(`${src}\n`, 'p.s'), src).not.toThrow();
    }
  });
});

describe('junk input', () => {
  it(`stops after ${MAX_ERRORS} errors, saying so`, () => {
    const e = errors('!!! junk\n'.repeat(5000));
    expect(e).toHaveLength(MAX_ERRORS + 1);
    expect(e[MAX_ERRORS]).toBe(`p.s:${MAX_ERRORS + 1}:1: too many errors (${MAX_ERRORS} shown), stopping`);
  });

  it('cuts a huge line of junk in the message', () => {
    const e = errors(`${'?'.repeat(1 << 20)}\n`);
    expect(e).toHaveLength(1);
    expect(e[0].length).toBeLessThan(300);
    expect(e[0]).toMatch(/^p\.s:1:1: junk '\?+…$/);
  });
});

// GNU as's wording (without its ` -- `insn'` tail) is part of ours on the same line.
oracleIt('words each problem as GNU as does', ['aarch64-linux-gnu-as'], () => {
  const src = [
    'b.eq target', 'b far', 'lsl x0, x1, #64', 'ubfx x0, x1, #3, #62', 'svc #0x10000', 'tbz x0, #64, target', 'dmb #16',
    'add x0, x1, x2, lsl #64', 'ldp x0, x1, [x2, #1024]', 'str x0, [x1, #800]!', 'mov x0, #0x12345', 'ldr x0, far',
    '.skip 0x200000', 'target: nop', '.skip 0x8000000', 'far: nop',
  ].join('\n') + '\n';
  const d = mkdtempSync(join(tmpdir(), 'el2sim-as-'));
  let gnu = '';
  try {
    writeFileSync(join(d, 'p.s'), src);
    try {
      execFileSync('aarch64-linux-gnu-as', ['-o', join(d, 'p.o'), 'p.s'], { cwd: d, stdio: 'pipe' });
    } catch (e) {
      gnu = String((e as { stderr: Buffer }).stderr);
    }
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
  const ours = new Map(errors(src).map((l) => [Number(/^p\.s:(\d+):/.exec(l)![1]), l]));
  const theirs = [...gnu.matchAll(/^p\.s:(\d+): Error: (.*?)(?: -- `.*)?$/gm)];
  expect(theirs.length).toBe(12);
  for (const [, line, what] of theirs) {
    expect(ours.get(Number(line)), `line ${line}: ${what}`).toContain(what);
  }
});
