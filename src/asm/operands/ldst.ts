// Operand kinds of the load/store group: the offset parts of addressing modes
// (what follows the base register inside or after the brackets), prefetch
// operations and literal-pool references. The base register itself is
// {GPRorSP(Rn,1)} and the brackets are literals of the form text, e.g.
//   ldr {GPR(Rt,1)}, [{GPRorSP(Rn,1)}{UOff3(imm12)}]
// Kinds whose encoding depends on the access size come in one variant per
// scale (log2 of the access size): the parse and encode faces do not see the
// template's literal arguments, so the scale is part of the kind's name.
import { defineKind, Misfit, outOfRange, type OperandCtx } from '../operand.js';
import { parseImm, sext } from './common.js';

/** `,#imm` / `,imm` (the text after the base register) or '' → the offset; undefined if it is something else. */
function parseOptOff(t: string, ctx: OperandCtx): bigint | undefined {
  if (t === '') return 0n;
  return t.startsWith(',') ? parseImm(t.slice(1), ctx) : undefined;
}

const optOff = (v: bigint): string => (v === 0n ? '' : `, #${v}`);

/** A signed field of `bits` bits holding offset >> scale, or undefined. */
function signedField(v: bigint, scale: number, bits: number): number | undefined {
  const s = BigInt(scale);
  if (v & ((1n << s) - 1n)) return undefined;
  const f = v >> s;
  const lim = 1n << BigInt(bits - 1);
  return f >= -lim && f < lim ? Number(BigInt.asUintN(bits, f)) : undefined;
}

/** Why a signed `bits`-bit field scaled by 2^scale cannot hold offset v. */
function signedMisfit(v: bigint, scale: number, bits: number): Misfit {
  const s = BigInt(scale);
  if (v & ((1n << s) - 1n)) return new Misfit(`immediate offset must be a multiple of ${1n << s}`);
  const lim = 1n << BigInt(bits - 1);
  return outOfRange('immediate offset', -lim << s, (lim - 1n) << s);
}

/** Why the unsigned 12-bit field (LDR/STR unsigned offset) cannot hold offset v. */
const unsignedMisfit = (scale: number): Misfit =>
  outOfRange('immediate offset', 0, 4095 << scale, scale ? ` (multiples of ${1 << scale})` : '');

/** An unsigned 12-bit field holding offset >> scale (LDR/STR unsigned offset), or undefined. */
function scaledField(v: bigint, scale: number): number | undefined {
  const s = BigInt(scale);
  if (v < 0n || v & ((1n << s) - 1n) || v >> s >= 4096n) return undefined;
  return Number(v >> s);
}

for (const scale of [0, 1, 2, 3, 4]) {
  /** Unsigned scaled 12-bit offset, omitted when zero: `[x1]`, `[x1, #8]`. */
  defineKind<bigint>(`UOff${scale}`, {
    doc: `unsigned offset, imm12 * ${1 << scale} bytes; printed ", #n" in decimal, nothing when 0 (LDR/STR unsigned offset)`,
    arity: 1,
    decode: ([imm]) => BigInt(imm) << BigInt(scale),
    encode: (v) => {
      const f = scaledField(v, scale);
      return f === undefined ? unsignedMisfit(scale) : [f];
    },
    print: optOff,
    parse: parseOptOff,
  });

  /** Signed scaled offset inside the brackets, omitted when zero: `[x1, #-8]` (LDUR, LDTR, LDP signed offset). */
  defineKind<bigint>(`SOff${scale}`, {
    doc: `signed offset, field * ${1 << scale} bytes; printed ", #n" in decimal, nothing when 0 (LDUR/LDTR, LDP offset)`,
    arity: 1,
    decode: ([imm], ctx) => BigInt(sext(imm, ctx.widths![0])) << BigInt(scale),
    encode: (v, ctx) => {
      const f = signedField(v, scale, ctx.widths![0]);
      return f === undefined ? signedMisfit(v, scale, ctx.widths![0]) : [f];
    },
    print: optOff,
    parse: parseOptOff,
  });

  /** Signed scaled index of pre/post-indexed forms, always printed: `[x1, #8]!`, `[x1], #-8`. */
  defineKind<bigint>(`SImm${scale}`, {
    doc: `signed index, field * ${1 << scale} bytes; printed "#n" in decimal, also when 0 (pre/post-index)`,
    arity: 1,
    decode: ([imm], ctx) => BigInt(sext(imm, ctx.widths![0])) << BigInt(scale),
    encode: (v, ctx) => {
      const f = signedField(v, scale, ctx.widths![0]);
      return f === undefined ? signedMisfit(v, scale, ctx.widths![0]) : [f];
    },
    print: (v) => `#${v}`,
    parse: parseImm,
  });

  /**
   * The 9-bit unscaled offset written with the scaled mnemonic (`ldr x0, [x1, #-8]`
   * assembles as LDUR, as GNU as does): accepted only when the scaled form cannot
   * encode the offset, so `ldr x0, [x1, #8]` stays LDR (unsigned offset).
   */
  defineKind<bigint>(`UnscaledOff${scale}`, {
    doc: `unscaled signed 9-bit offset that an access of ${1 << scale} bytes cannot encode as unsigned offset (ldr → ldur)`,
    arity: 1,
    decode: ([imm]) => BigInt(sext(imm, 9)),
    encode: (v) => {
      if (scaledField(v, scale) !== undefined) return undefined;
      const f = signedField(v, 0, 9);
      return f === undefined ? signedMisfit(v, 0, 9) : [f];
    },
    print: optOff,
    parse: parseOptOff,
  });

  /** Register offset: `, x2`, `, x2, lsl #3`, `, w2, uxtw`, `, w2, sxtw #3`, `, x2, sxtx`. */
  defineKind<RegOff>(`RegOff${scale}`, {
    doc: `register offset (Rm, option, S): "x2" | "x2, lsl #${scale}" | "w2, uxtw|sxtw [#${scale}]" | "x2, sxtx [#${scale}]"`,
    arity: 3,
    decode: ([rm, option, s]) => ((option & 2) === 0 ? undefined : { rm, option, s }),
    encode: (v) => [v.rm, v.option, v.s],
    print: (v) => printRegOff(v, scale),
    parse: (t) => parseRegOff(t, scale),
  });
}

interface RegOff { rm: number; option: number; s: number }
const EXTENDS: Record<number, string> = { 2: 'uxtw', 3: 'lsl', 6: 'sxtw', 7: 'sxtx' };

function printRegOff({ rm, option, s }: RegOff, scale: number): string {
  const x = (option & 1) === 1;
  const reg = rm === 31 ? (x ? 'xzr' : 'wzr') : (x ? 'x' : 'w') + rm;
  if (option === 3) return s ? `, ${reg}, lsl #${scale}` : `, ${reg}`;
  return `, ${reg}, ${EXTENDS[option]}` + (s ? ` #${scale}` : '');
}

const REG_ALIASES: Record<string, number> = { fp: 29, lr: 30, ip0: 16, ip1: 17 };

function parseRegOff(t: string, scale: number): RegOff | undefined {
  const m = /^,([a-z0-9]+)(?:,(lsl|uxtw|sxtw|sxtx)(?:#?(\d+|0x[0-9a-f]+))?)?$/i.exec(t);
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  let x: boolean, rm: number;
  if (name === 'xzr' || name === 'wzr') { x = name[0] === 'x'; rm = 31; }
  else if (name in REG_ALIASES) { x = true; rm = REG_ALIASES[name]; }
  else {
    const r = /^([xw])([12]?\d|3[0])$/.exec(name);
    if (!r) return undefined;
    x = r[1] === 'x';
    rm = Number(r[2]);
  }
  const ext = m[2]?.toLowerCase();
  let option: number;
  if (ext === undefined || ext === 'lsl') option = 3;
  else option = { uxtw: 2, sxtw: 6, sxtx: 7 }[ext]!;
  if (x !== ((option & 1) === 1)) return undefined;
  if (m[3] === undefined) return ext === 'lsl' ? undefined : { rm, option, s: 0 };
  const amount = Number(m[3]);
  if (amount === scale) return { rm, option, s: 1 };
  return amount === 0 ? { rm, option, s: 0 } : undefined;
}

/** An offset that must be zero: `[x1]` or `[x1, #0]` (exclusives, acquire/release). */
defineKind<bigint>('ZeroOff', {
  doc: 'offset that is always zero: nothing, or ", #0" when assembling (exclusive and acquire/release accesses)',
  arity: 0,
  decode: () => 0n,
  encode: (v) => (v === 0n ? [] : undefined),
  print: () => '',
  parse: parseOptOff,
});

// Prefetch operations, as objdump names them: type (PLD, PLI, PST), target
// cache level (L1..L3), policy (KEEP, STRM); other values print as #0xNN.
const PRF_TYPES = ['pld', 'pli', 'pst'];
const PRF_POLICY = ['keep', 'strm'];

function prfName(op: number): string | undefined {
  const type = op >> 3, target = (op >> 1) & 3;
  if (type > 2 || target > 2) return undefined;
  return `${PRF_TYPES[type]}l${target + 1}${PRF_POLICY[op & 1]}`;
}
const PRF_BY_NAME = new Map<string, number>();
for (let op = 0; op < 32; op++) {
  const n = prfName(op);
  if (n) PRF_BY_NAME.set(n, op);
}

defineKind<bigint>('PrfOp', {
  doc: 'prefetch operation (Rt of PRFM): pldl1keep … pstl3strm, or #imm5 for unnamed values',
  arity: 1,
  decode: ([op]) => BigInt(op),
  encode: (op) => (op >= 0n && op < 32n ? [Number(op)] : outOfRange('immediate value', 0, 31)),
  print: (op) => prfName(Number(op)) ?? `#0x${op.toString(16).padStart(2, '0')}`,
  parse: (t, ctx) => {
    const named = PRF_BY_NAME.get(t.toLowerCase());
    if (named !== undefined) return BigInt(named);
    if (!/^#/.test(t) && !/^\d/.test(t)) return undefined;
    return parseImm(t, ctx);
  },
});

// `ldr x0, =value`: the assembler puts value in its literal pool and encodes a
// PC-relative load of it (GNU as always uses the pool, never a MOV). Accepted
// only when assembling; the disassembler prints the Label form instead.
for (const size of [4, 8] as const) {
  defineKind<bigint>(`LitPool${size}`, {
    doc: `"=value": a ${size}-byte literal-pool entry, addressed PC-relative by imm19 (assembler only)`,
    arity: 1,
    decode: ([imm], ctx) => BigInt.asUintN(64, ctx.pc + BigInt(sext(imm, ctx.widths![0]) * 4)),
    encode: (target, ctx) => {
      const off = BigInt.asIntN(64, target - ctx.pc);
      const f = off & 3n ? undefined : signedField(off, 2, ctx.widths![0]);
      return f === undefined ? new Misfit('pc-relative load offset out of range', '(the literal pool is more than 1 MiB away: place one nearer with .ltorg)') : [f];
    },
    print: (a) => a.toString(16),
    parse: (t, ctx) => {
      if (!t.startsWith('=') || !ctx.literal) return undefined;
      const v = ctx.evaluate?.(t.slice(1).replace(/^#/, ''));
      if (v === undefined) return ctx.firstPass ? ctx.pc : undefined;
      return ctx.literal(BigInt.asUintN(size * 8, v), size); // truncated, as GNU as does (with a warning)
    },
  });
}
