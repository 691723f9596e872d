// Operand kinds of the dp-reg group: the shifted and extended second register
// operand of the add/sub/logical instructions, and a register named by two
// fields at once (the cinc/cinv/cneg aliases write Rn = Rm once).
import { defineKind, operandKind, outOfRange, type Misfit, type OperandCtx, type OperandKind } from '../operand.js';
import { parseImm } from './common.js';

interface Reg { r: number; sf: number }

/** The GPR kind (registers.ts), looked up lazily so that import order does not matter. */
let gprKind: OperandKind<Reg> | undefined;
const gpr = (): OperandKind<Reg> => (gprKind ??= operandKind('GPR') as OperandKind<Reg>);
const parseGpr = (t: string, ctx: OperandCtx): Reg | undefined => gpr().parse(t, ctx);
const printGpr = (v: Reg, ctx: OperandCtx): string => gpr().print(v, ctx);

/** Splits "x1,uxtw#2" into the register text and the rest (",uxtw#2"), at the first comma. */
function splitReg(t: string): [string, string] {
  const i = t.indexOf(',');
  return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i)];
}

// --- shifted register: ", lsl #n" after Rm (nothing for LSL #0) ---

const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];
interface Shift { type: number; amt: bigint }

function shiftKind(name: string, withRor: boolean): void {
  defineKind<Shift>(name, {
    doc: `optional shift of the second register: ", lsl|lsr|asr${withRor ? '|ror' : ''} #amount" (fields shift, imm6); omitted for LSL #0`,
    arity: 2,
    decode: ([type, amt]) => (type === 3 && !withRor ? undefined : { type, amt: BigInt(amt) }),
    encode: (v) => (v.amt >= 0n && v.amt < 64n ? [v.type, Number(v.amt)] : outOfRange('shift amount', 0, 63)),
    print: (v) => (v.type === 0 && v.amt === 0n ? '' : `, ${SHIFTS[v.type]} #${v.amt}`),
    parse: (t, ctx) => {
      if (t === '') return { type: 0, amt: 0n };
      const m = /^,(lsl|lsr|asr|ror)(.+)$/i.exec(t);
      if (!m) return undefined;
      const type = SHIFTS.indexOf(m[1].toLowerCase());
      if (type === 3 && !withRor) return undefined;
      const amt = parseImm(m[2], ctx);
      return amt === undefined ? undefined : { type, amt };
    },
  });
}
shiftKind('RegShift', false);
shiftKind('RegShiftRor', true);

// --- extended register: "w1, sxtb #2", "x1, uxtx", or "x1, lsl #2" next to SP ---

const EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];
/** option undefined: the LSL form (or no extend at all), only with SP operands. */
interface Ext { r: number; x: number; option: number | undefined; amt: number }

function decodeExt(r: number, option: number, amt: number, sf: number): Ext {
  // Rm is X only for UXTX/SXTX of the 64-bit form; the 32-bit form always names W.
  return { r, x: sf && (option & 3) === 3 ? 1 : 0, option, amt };
}

function printExt(v: Ext, ctx: OperandCtx): string {
  const reg = printGpr({ r: v.r, sf: v.x }, ctx);
  if (v.option === undefined) return v.amt ? `${reg}, lsl #${v.amt}` : reg;
  return `${reg}, ${EXTENDS[v.option]}${v.amt ? ` #${v.amt}` : ''}`;
}

function parseExt(t: string, ctx: OperandCtx, lsl: boolean): Ext | undefined {
  const [rt, rest] = splitReg(t);
  const reg = parseGpr(rt, ctx);
  if (!reg) return undefined;
  if (rest === '') return lsl ? { r: reg.r, x: reg.sf, option: undefined, amt: 0 } : undefined;
  const m = /^,([a-z]+)(.*)$/i.exec(rest);
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  const option = EXTENDS.indexOf(name);
  if (option < 0 && !(lsl && name === 'lsl')) return undefined;
  let amt = 0;
  if (m[2] !== '') {
    const a = parseImm(m[2], ctx);
    if (a === undefined) return undefined;
    amt = a < 0n ? -1 : a > 4n ? 5 : Number(a); // out of range: reported by encodeExt
  } else if (option < 0) return undefined; // "lsl" needs an amount
  return { r: reg.r, x: reg.sf, option: option < 0 ? undefined : option, amt };
}

/**
 * Fields Rm, option, imm3, sf. GNU as accepts either register width with any
 * extend in the 64-bit form, so an X register only pins sf to 1.
 */
function encodeExt(v: Ext): (number | undefined)[] | Misfit {
  if (v.amt < 0 || v.amt > 4) return outOfRange('shift amount', 0, 4);
  if (v.option === undefined) return v.x ? [v.r, 3, v.amt, 1] : [v.r, 2, v.amt, undefined];
  return [v.r, v.option, v.amt, v.x ? 1 : undefined];
}

defineKind<Ext>('RegExtend', {
  doc: 'extended register "Wm|Xm, uxtb|uxth|uxtw|uxtx|sxtb|sxth|sxtw|sxtx {#0-4}" (fields Rm, option, imm3, sf)',
  arity: 4,
  decode: ([r, option, amt, sf]) => decodeExt(r, option, amt, sf),
  encode: encodeExt,
  print: printExt,
  parse: (t, ctx) => parseExt(t, ctx, false),
});

defineKind<Ext>('RegExtendSP', {
  doc: 'extended register next to SP: UXTX (64-bit) / UXTW (32-bit) is written "lsl #n", or nothing when n = 0 (fields Rm, option, imm3, sf)',
  arity: 4,
  decode: ([r, option, amt, sf]) => (option === (sf ? 3 : 2) ? { r, x: sf, option: undefined, amt } : decodeExt(r, option, amt, sf)),
  encode: encodeExt,
  print: printExt,
  parse: (t, ctx) => parseExt(t, ctx, true),
});

// --- one register written once, held in two fields (cinc x0, x1, eq: Rn = Rm = 1) ---

defineKind<Reg>('GPRSame', {
  doc: 'general-purpose register (31 = XZR) held in two fields that must be equal (fields Rn, Rm, sf)',
  arity: 3,
  decode: ([a, b, sf]) => (a === b ? { r: a, sf } : undefined),
  encode: (v) => [v.r, v.r, v.sf],
  print: printGpr,
  parse: parseGpr,
});
