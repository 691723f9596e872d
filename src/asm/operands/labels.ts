// PC-relative targets. Printed as objdump prints them: the absolute address in
// hex, then <symbol+offset> when the disassembler knows a symbol.
import { defineKind, Misfit, type OperandCtx } from '../operand.js';
import { sext } from './common.js';

function printAddr(a: bigint, ctx: OperandCtx): string {
  if (ctx.targetText) return ctx.targetText(a);
  const s = ctx.symbolize?.(a);
  return a.toString(16) + (s ? ` <${s}>` : '');
}

function parseTarget(t: string, ctx: OperandCtx): bigint | undefined {
  if (t.startsWith('#') || /^[xw](\d+|zr)$|^w?sp$/i.test(t)) return undefined;
  if (ctx.firstPass) return ctx.pc;
  return ctx.evaluate?.(t);
}

/** How GNU as words a PC-relative target out of reach, by instruction. */
function unreachable(ctx: OperandCtx, off: bigint, reach: bigint, align: bigint): Misfit {
  const m = ctx.mnemonic ?? '';
  const what = m === 'b' || m === 'bl' ? 'branch'
    : /^(ldr|ldrsw|prfm)$/.test(m) ? 'pc-relative load offset'
    : /^adrp?$/.test(m) ? 'pc-relative address offset'
    : 'conditional branch';
  const kib = (n: bigint) => (n >= 1n << 30n ? `${n >> 30n} GiB` : n >= 1n << 20n ? `${n >> 20n} MiB` : `${n >> 10n} KiB`);
  if (off & (align - 1n)) return new Misfit(`${what} target is not a multiple of ${align} bytes away (${off >= 0n ? '+' : ''}${off})`);
  return new Misfit(`${what} out of range`, `(the target is ${off >= 0n ? '+' : ''}${off} bytes away; the reach is ±${kib(reach)})`);
}

/** Branch/literal target: field * 4 bytes from the instruction, field signed. */
defineKind<bigint>('Label', {
  doc: 'PC-relative target, word offset in a signed field (b, bl, b.cond, cbz, tbz, ldr literal)',
  arity: 1,
  decode: ([imm], ctx) => BigInt.asUintN(64, ctx.pc + BigInt(sext(imm, ctx.widths![0]) * 4)),
  encode: (target, ctx) => {
    const off = BigInt.asIntN(64, target - ctx.pc);
    const bits = ctx.widths![0];
    const w = off >> 2n;
    if (off & 3n || w < -(1n << BigInt(bits - 1)) || w >= 1n << BigInt(bits - 1)) return unreachable(ctx, off, 1n << BigInt(bits + 1), 4n);
    return [Number(BigInt.asUintN(bits, w))];
  },
  print: printAddr,
  parse: parseTarget,
});

for (const page of [false, true]) {
  const base = (pc: bigint) => (page ? pc & ~0xfffn : pc);
  const scale = page ? 12n : 0n;
  defineKind<bigint>(page ? 'AdrpLabel' : 'AdrLabel', {
    doc: page ? 'ADRP target: 4 KiB page, ±4 GiB (immhi:immlo pages)' : 'ADR target: byte offset ±1 MiB (immhi:immlo)',
    arity: 2,
    decode: ([hi, lo], ctx) => BigInt.asUintN(64, base(ctx.pc) + (BigInt(sext((hi << 2) | lo, 21)) << scale)),
    encode: (target, ctx) => {
      // ADRP: the page of the target relative to the page of the instruction, as GNU as computes it
      const off = BigInt.asIntN(64, (page ? target & ~0xfffn : target) - base(ctx.pc));
      const v = off >> scale;
      if (v < -(1n << 20n) || v >= 1n << 20n) return unreachable(ctx, off, 1n << (20n + scale), 1n);
      const u = Number(BigInt.asUintN(21, v));
      return [u >>> 2, u & 3];
    },
    print: printAddr,
    parse: parseTarget,
  });
}
