// Operand kinds of the branch and system groups: test-bit branches, barrier
// options, PSTATE fields, system registers and system operations (by their names
// in spec/sysregs, else objdump's, else objdump's generic s<op0>_<op1>_c<n>_c<m>_<op2>),
// and the C<n> operands of SYS/SYSL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSysregs, SYSREGS_DIR } from '../../spec/sysregs.js';
import { sysregKey } from '../../spec/encoding.js';
import { defineKind, operandKind, outOfRange } from '../operand.js';
import { parseImm, fits } from './common.js';

// --- the system register table ---
// Names come from spec/sysregs, loaded on first use, then from
// spec/sysregs/gnu-names.txt for encodings objdump names that the machine does
// not model. Not from src/generated/sysregs.ts: `npm run gen` loads the operand
// kinds (to check spec/isa) before it writes src/generated.
interface SysRegName {
  /** As spec/sysregs writes it: 'TTBR0_EL1', 'CurrentEL', 'TLBI VAE1IS'. */
  name: string;
  key: number;
  kind: 'reg' | 'op';
  /** Operations: takes Xt. */
  xt: boolean;
}
interface SysRegTable {
  byKey: Map<number, SysRegName>;
  /** By upper-case name. */
  byName: Map<string, SysRegName>;
  /** Registers whose name differs for MSR (objdump: dbgdtrtx_el0 / dbgdtrrx_el0). */
  writeName: Map<number, SysRegName>;
}
let table: SysRegTable | undefined;

const GNU_NAMES = join(SYSREGS_DIR, 'gnu-names.txt');

function sysregTable(): SysRegTable {
  if (table) return table;
  const t: SysRegTable = { byKey: new Map(), byName: new Map(), writeName: new Map() };
  const add = (d: SysRegName) => {
    if (!t.byKey.has(d.key)) t.byKey.set(d.key, d);
    if (!t.byName.has(d.name.toUpperCase())) t.byName.set(d.name.toUpperCase(), d);
  };
  for (const e of loadSysregs().entries) add({ name: e.name, key: e.key, kind: e.kind, xt: e.xt });
  const names = readFileSync(GNU_NAMES, 'utf8').replace(/^#.*$/gm, '');
  const [regs, ops] = names.split('OPS');
  for (const item of regs.split(/\s+/).filter(Boolean)) {
    const [k, name, w] = item.split(':');
    const d: SysRegName = { name, key: parseInt(k, 16), kind: 'reg', xt: true };
    add(d);
    if (w) {
      const wd: SysRegName = { ...d, name: w };
      t.writeName.set(d.key, wd);
      add(wd);
    }
  }
  for (const item of ops.split(/\s+/).filter(Boolean)) {
    const [k, family, op] = item.split(':');
    add({ name: `${family} ${op.replace('!', '')}`.toUpperCase(), key: parseInt(k, 16), kind: 'op', xt: !op.endsWith('!') });
  }
  return (table = t);
}

const unkey = (k: number): number[] => [k >> 14, (k >> 11) & 7, (k >> 7) & 15, (k >> 3) & 15, k & 7];

// --- registers written by these kinds ---
interface Reg { r: number; sf: number }
function parseGpr(t: string): Reg | undefined {
  return operandKind('GPR')!.parse(t, { pc: 0n }) as Reg | undefined;
}
const xName = (r: number): string => (r === 31 ? 'xzr' : `x${r}`);
function parseX(t: string): number | undefined {
  const g = parseGpr(t);
  return g && g.sf === 1 ? g.r : undefined;
}

/** TBZ/TBNZ register: W when b5 is 0, X when 1; an X register with a bit below 32 assembles with b5 = 0, as GNU as does. */
defineKind<Reg>('TbzReg', {
  doc: 'TBZ/TBNZ register (31 = ZR): W when the bit number is below 32 (b5 = 0), else X; GNU as accepts X for any bit',
  arity: 2,
  decode: ([r, b5]) => ({ r, sf: b5 }),
  encode: (v) => [v.r, v.sf ? undefined : 0],
  print: (v) => (v.r === 31 ? (v.sf ? 'xzr' : 'wzr') : `${v.sf ? 'x' : 'w'}${v.r}`),
  parse: parseGpr,
});

/** TBZ/TBNZ bit number b5:b40, printed in decimal. */
defineKind<bigint>('TestBit', {
  doc: 'bit number 0..63 of TBZ/TBNZ (b5:b40), printed #n in decimal',
  arity: 2,
  decode: ([b5, b40]) => BigInt((b5 << 5) | b40),
  encode: (b) => (b >= 0n && b < 64n ? [Number(b >> 5n), Number(b & 31n)] : outOfRange('immediate value', 0, 63)),
  print: (b) => `#${b}`,
  parse: parseImm,
});

// --- barriers ---
const BARRIER = ['', 'oshld', 'oshst', 'osh', '', 'nshld', 'nshst', 'nsh', '', 'ishld', 'ishst', 'ish', '', 'ld', 'st', 'sy'];

/** DMB/DSB option (CRm): a name, or #0x.. (two hex digits) for the unnamed values. */
defineKind<bigint>('BarrierOpt', {
  doc: 'DMB/DSB option in CRm: sy st ld ish ishst ishld nsh nshst nshld osh oshst oshld, else #imm',
  arity: 1,
  decode: ([crm]) => BigInt(crm),
  encode: (v) => (fits(v, 4) ? [Number(v)] : outOfRange('immediate value', 0, 15)),
  print: (v) => BARRIER[Number(v)] || `#0x${v.toString(16).padStart(2, '0')}`,
  parse: (t, ctx) => {
    const i = BARRIER.indexOf(t.toLowerCase());
    if (i > 0) return BigInt(i);
    return parseImm(t, ctx);
  },
});

// --- PSTATE fields of MSR (immediate) ---
/**
 * op1:op2 → the name objdump prints. objdump names daifset/daifclr with any
 * immediate and the 1-bit fields only with #0/#1 (the form's `when` in
 * spec/isa/system.yaml says so).
 */
const PSTATE: Record<number, string> = {
  [(0 << 3) | 3]: 'uao',
  [(0 << 3) | 4]: 'pan',
  [(0 << 3) | 5]: 'spsel',
  [(1 << 3) | 0]: 'allint',
  [(3 << 3) | 1]: 'ssbs',
  [(3 << 3) | 2]: 'dit',
  [(3 << 3) | 4]: 'tco',
  [(3 << 3) | 6]: 'daifset',
  [(3 << 3) | 7]: 'daifclr',
};
const PSTATE_BY_NAME = new Map(Object.entries(PSTATE).map(([k, n]) => [n, Number(k)]));

defineKind<number>('PStateField', {
  doc: 'PSTATE field of MSR (immediate), op1:op2: spsel daifset daifclr (and uao pan allint ssbs dit tco, as objdump names them)',
  arity: 2,
  decode: ([op1, op2]) => (PSTATE[(op1 << 3) | op2] ? (op1 << 3) | op2 : undefined),
  encode: (v) => [v >> 3, v & 7],
  print: (v) => PSTATE[v],
  parse: (t) => PSTATE_BY_NAME.get(t.toLowerCase()),
});

// --- system registers (MRS/MSR) ---
function genericName(key: number): string {
  const [op0, op1, crn, crm, op2] = unkey(key);
  return `s${op0}_${op1}_c${crn}_c${crm}_${op2}`;
}
function parseGeneric(t: string): number | undefined {
  const m = /^s([0-3])_([0-7])_c(\d\d?)_c(\d\d?)_([0-7])$/i.exec(t);
  if (!m || Number(m[3]) > 15 || Number(m[4]) > 15) return undefined;
  return sysregKey(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/**
 * Name of a system register key as objdump prints it: the name in lower case, else
 * s<op0>_<op1>_c<n>_c<m>_<op2>. `write` picks the MSR name where it differs.
 */
export function sysRegName(key: number, write = false): string {
  const t = sysregTable();
  const d = (write && t.writeName.get(key)) || t.byKey.get(key);
  return d && d.kind === 'reg' ? d.name.toLowerCase() : genericName(key);
}

interface SysRegOperand { key: number; write: boolean }

defineKind<SysRegOperand>('SysReg', {
  doc: 'system register (op0, op1, CRn, CRm, op2, then 1 for MSR / 0 for MRS): its name, or s<op0>_<op1>_c<CRn>_c<CRm>_<op2>',
  arity: 6,
  decode: ([op0, op1, crn, crm, op2, w]) => ({ key: sysregKey(op0, op1, crn, crm, op2), write: w === 1 }),
  encode: (v) => [...unkey(v.key), undefined],
  print: (v) => sysRegName(v.key, v.write),
  parse: (t) => {
    const g = parseGeneric(t);
    if (g !== undefined) return { key: g, write: false };
    const d = sysregTable().byName.get(t.toUpperCase());
    return d && d.kind === 'reg' ? { key: d.key, write: false } : undefined;
  },
});

// --- system operations (SYS aliases) ---
const FAMILY = ['TLBI', 'AT', 'DC', 'IC', 'CFP', 'DVP', 'CPP'];
interface SysOp { family: number; key: number; rt: number; name: string; xt: boolean }

/**
 * An operation of a SYS alias with its register: `vae1is, x3`, or `vmalle1is`
 * for an operation without Xt (printed without a register whatever Rt is, as
 * objdump does; assembled with Rt = 31). The first argument is the family:
 * 0 TLBI, 1 AT, 2 DC, 3 IC, 4 CFP, 5 DVP, 6 CPP.
 */
defineKind<SysOp>('SysOpAlias', {
  doc: 'operation of tlbi (family 0), at (1), dc (2), ic (3), cfp (4), dvp (5), cpp (6) by its name, with Xt when it takes one',
  arity: 6,
  decode: ([family, op1, crn, crm, op2, rt]) => {
    const key = sysregKey(1, op1, crn, crm, op2);
    const d = sysregTable().byKey.get(key);
    if (!d || d.kind !== 'op' || !d.name.toUpperCase().startsWith(FAMILY[family] + ' ')) return undefined;
    return { family, key, rt, name: d.name, xt: d.xt };
  },
  encode: (v) => {
    const [, op1, crn, crm, op2] = unkey(v.key);
    return [v.family, op1, crn, crm, op2, v.xt ? v.rt : 31];
  },
  print: (v) => v.name.slice(v.name.indexOf(' ') + 1).toLowerCase() + (v.xt ? `, ${xName(v.rt)}` : ''),
  parse: (t) => {
    const table = sysregTable();
    const comma = t.indexOf(',');
    const op = (comma < 0 ? t : t.slice(0, comma)).toUpperCase();
    for (let family = 0; family < FAMILY.length; family++) {
      const d = table.byName.get(`${FAMILY[family]} ${op}`);
      if (!d || d.kind !== 'op') continue;
      const xt = d.xt;
      if (xt !== comma >= 0) return undefined;
      const rt = xt ? parseX(t.slice(comma + 1)) : 31;
      return rt === undefined ? undefined : { family, key: d.key, rt, name: d.name, xt };
    }
    return undefined;
  },
});

/** The last operand of SYS: `, xN`, nothing when Rt is 31 (the disassembler drops the trailing comma). */
defineKind<number>('SysXt', {
  doc: 'optional Xt of SYS: printed unless it is 31 (XZR)',
  arity: 1,
  decode: ([rt]) => rt,
  encode: (rt) => [rt],
  print: (rt) => (rt === 31 ? '' : `x${rt}`),
  parse: parseX,
});

/** C0..C15 of SYS/SYSL. */
defineKind<number>('CReg', {
  doc: 'CRn/CRm operand of SYS/SYSL: C0..C15',
  arity: 1,
  decode: ([v]) => v,
  encode: (v) => [v],
  print: (v) => `C${v}`,
  parse: (t) => {
    const m = /^c(\d\d?)$/i.exec(t);
    return m && Number(m[1]) <= 15 ? Number(m[1]) : undefined;
  },
});
