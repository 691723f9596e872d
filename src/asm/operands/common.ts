// Small helpers shared by operand kinds.
import type { OperandCtx } from '../operand.js';

/** Sign-extends the low `bits` of v. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return bits >= 32 ? v | 0 : (v << s) >> s;
}

/** Parses an immediate: optional '#', then an expression the assembler evaluates. */
export function parseImm(text: string, ctx: OperandCtx): bigint | undefined {
  const t = text.startsWith('#') ? text.slice(1) : text;
  if (t === '' || /^[xw]([12]?\d|3[01]|zr)$|^w?sp$/.test(t)) return undefined;
  if (ctx.evaluate) return ctx.evaluate(t);
  return /^-?\d+$|^-?0x[0-9a-f]+$/i.test(t) ? (t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t)) : undefined;
}

/** `#0x1f` as objdump prints hex immediates. */
export const hex = (v: number | bigint): string => `#0x${v.toString(16)}`;

/** Field value range check used by encode faces. */
export function fits(v: bigint, bits: number): boolean {
  return v >= 0n && v < 1n << BigInt(bits);
}
