// General-purpose register operands: GPR (31 = XZR/WZR) and GPRorSP (31 = SP/WSP).
// The second argument is the width: sf field or a literal 1 (X) / 0 (W).
import { defineKind } from '../operand.js';

interface Reg { r: number; sf: number }

const ALIASES: Record<string, number> = { fp: 29, lr: 30, ip0: 16, ip1: 17 };

function parseReg(text: string, sp: boolean): Reg | undefined {
  const t = text.toLowerCase();
  if (t === 'xzr') return sp ? undefined : { r: 31, sf: 1 };
  if (t === 'wzr') return sp ? undefined : { r: 31, sf: 0 };
  if (t === 'sp') return sp ? { r: 31, sf: 1 } : undefined;
  if (t === 'wsp') return sp ? { r: 31, sf: 0 } : undefined;
  if (t in ALIASES) return { r: ALIASES[t], sf: 1 };
  const m = /^([xw])(\d\d?)$/.exec(t);
  if (!m || Number(m[2]) > 30 || (m[2].length === 2 && m[2][0] === '0')) return undefined;
  return { r: Number(m[2]), sf: m[1] === 'x' ? 1 : 0 };
}

function regName({ r, sf }: Reg, sp: boolean): string {
  if (r === 31) return sp ? (sf ? 'sp' : 'wsp') : sf ? 'xzr' : 'wzr';
  return (sf ? 'x' : 'w') + r;
}

for (const sp of [false, true]) {
  defineKind<Reg>(sp ? 'GPRorSP' : 'GPR', {
    doc: sp ? 'general-purpose register, 31 = SP/WSP; width from sf' : 'general-purpose register, 31 = XZR/WZR; width from sf',
    arity: 2,
    decode: ([r, sf]) => ({ r, sf }),
    encode: (v) => [v.r, v.sf],
    print: (v) => regName(v, sp),
    parse: (t) => parseReg(t, sp),
  });
}

/** A 64-bit register written as X or W by a separate width field (e.g. the option of an extend). */
defineKind<Reg>('GPRx', {
  doc: 'general-purpose register, 31 = XZR; X when the argument is 3 mod 4 (extend option UXTX/SXTX), else W',
  arity: 2,
  decode: ([r, option]) => ({ r, sf: (option & 3) === 3 ? 1 : 0 }),
  encode: (v) => [v.r, undefined],
  print: (v) => regName(v, false),
  parse: (t) => parseReg(t, false),
});
