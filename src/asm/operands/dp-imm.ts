// Operand kinds of the dp-imm group: bitmask immediates (logical immediate and
// the MOV bitmask alias), move-wide immediates (MOVZ/MOVN/MOVK and their MOV
// aliases), the operands of the bitfield aliases (LSL shift, lsb/width pairs)
// and the repeated source register of ROR (EXTR alias).
//
// The encode face sees only the parsed value, not the other fields, so kinds
// whose encoding depends on the operation width come in two variants named by
// width (BitmaskImm32 / BitmaskImm64, …); the spec has one form per width,
// pinned by `sf == 0` / `sf == 1` in its `when`.
import { defineKind, Misfit, outOfRange, type OperandCtx } from '../operand.js';
import { decodeBitMasks } from '../../core/isalib.js';
import { parseImm, fits, hex } from './common.js';

const M64 = (1n << 64n) - 1n;
const maskOf = (w: number): bigint => (w === 64 ? M64 : (1n << BigInt(w)) - 1n);
type W = 32 | 64;

/**
 * An immediate as GNU as takes it for a `w`-bit operand: for 32 bits the upper
 * half may be all zeros or all ones (so `#-2` and `#~1` are accepted).
 */
function normalize(v: bigint, w: W): bigint | undefined {
  if (v < -(1n << 63n) || v > M64) return undefined;
  const u = BigInt.asUintN(64, v);
  if (w === 64) return u;
  const up = u >> 32n;
  return up === 0n || up === 0xffffffffn ? u & 0xffffffffn : undefined;
}

/** aarch64_wide_constant_p: hw such that v = imm16 << 16*hw (a MOVZ can make v), else undefined. */
export function wideHw(v: bigint, w: W): number | undefined {
  for (let hw = 0; hw < w / 16; hw++) {
    const sh = BigInt(16 * hw);
    if ((v & (0xffffn << sh)) === v) return hw;
  }
  return undefined;
}

/** (N, immr, imms) of a bitmask immediate for a `w`-bit operation (as GNU as encodes it), or undefined. */
export function encodeBitmask(v: bigint, w: W): [number, number, number] | undefined {
  // Replicate a 32-bit value to 64 bits, then find the smallest element size it repeats with.
  let x = w === 32 ? v | (v << 32n) : v;
  if (x === 0n || x === M64) return undefined;
  let e = 64;
  while (e > 2) {
    const h = e / 2;
    const hm = maskOf(h);
    if ((x & hm) !== ((x >> BigInt(h)) & hm)) break;
    e = h;
  }
  const em = maskOf(e);
  x &= em;
  // The element must be ROR(Ones(s+1), r): find r such that ROL(x, r) is Ones(s+1).
  const eb = BigInt(e);
  for (let r = 0; r < e; r++) {
    const rb = BigInt(r);
    const y = r === 0 ? x : ((x << rb) | (x >> (eb - rb))) & em;
    if ((y & (y + 1n)) === 0n) {
      const s = y.toString(2).length - 1;
      // imms: the element size as a prefix of ones then a zero (64: none, N=1), then s.
      const imms = e === 64 ? s : ((0x3f & ~(2 * e - 1)) | s);
      return [e === 64 ? 1 : 0, r, imms];
    }
  }
  return undefined;
}

/** The value of a bitmask immediate (DecodeBitMasks wmask), or undefined when reserved. */
export function bitmaskValue(n: number, immr: number, imms: number, w: W): bigint | undefined {
  if (w === 32 && n) return undefined;
  return decodeBitMasks(n, imms, immr, true, w)?.[0];
}

const parseHash = (t: string, ctx: OperandCtx) => parseImm(t, ctx);

const notBitmask = (w: W) => new Misfit('immediate out of range', `(not a ${w}-bit bitmask immediate: a repeated, rotated run of ones)`);
const notMovable = () => new Misfit('immediate cannot be moved by a single instruction');
const orMisfit = <T>(v: T | undefined, m: Misfit): T | Misfit => (v === undefined ? m : v);

for (const w of [32, 64] as const) {
  const mask = maskOf(w);

  defineKind<bigint>(`BitmaskImm${w}`, {
    doc: `bitmask immediate of a ${w}-bit logical instruction; args N, immr, imms; printed #0x..`,
    arity: 3,
    decode: ([n, immr, imms]) => bitmaskValue(n, immr, imms, w),
    encode: (v) => {
      const u = normalize(v, w);
      return orMisfit(u === undefined ? undefined : encodeBitmask(u, w), notBitmask(w));
    },
    print: hex,
    parse: parseHash,
  });

  /** BIC (immediate): GNU as accepts it as AND with the inverted immediate; objdump never prints it. */
  defineKind<bigint>(`BitmaskImmNot${w}`, {
    doc: `inverted bitmask immediate of BIC (an assembler alias of ${w}-bit AND); args N, immr, imms`,
    arity: 3,
    decode: ([n, immr, imms]) => {
      const v = bitmaskValue(n, immr, imms, w);
      return v === undefined ? undefined : ~v & mask;
    },
    encode: (v) => {
      const u = normalize(v, w);
      return orMisfit(u === undefined ? undefined : encodeBitmask(~u & mask, w), notBitmask(w));
    },
    print: hex,
    parse: parseHash,
  });

  /** MOV (bitmask immediate): objdump prints ORR as MOV unless MOVZ or MOVN could make the value. */
  defineKind<bigint>(`MovBitmaskImm${w}`, {
    doc: `${w}-bit bitmask immediate of MOV (ORR alias); undecodable when MOVZ/MOVN could make it (objdump prints ORR then)`,
    arity: 3,
    decode: ([n, immr, imms]) => {
      const v = bitmaskValue(n, immr, imms, w);
      if (v === undefined || wideHw(v, w) !== undefined || wideHw(~v & mask, w) !== undefined) return undefined;
      return v;
    },
    encode: (v) => {
      const u = normalize(v, w);
      return orMisfit(u === undefined ? undefined : encodeBitmask(u, w), notMovable());
    },
    print: hex,
    parse: parseHash,
  });

  /** MOV (wide immediate), MOVZ alias: the value imm16 << 16*hw. */
  defineKind<bigint>(`MovZImm${w}`, {
    doc: `${w}-bit MOV immediate made by MOVZ (imm16, hw); #0 with a shift has no MOV form`,
    arity: 2,
    decode: ([imm16, hw]) => (imm16 === 0 && hw !== 0 ? undefined : BigInt(imm16) << BigInt(16 * hw)),
    encode: (v) => {
      const u = normalize(v, w);
      if (u === undefined) return notMovable();
      const hw = wideHw(u, w);
      return hw === undefined ? notMovable() : [Number(u >> BigInt(16 * hw)), hw];
    },
    print: hex,
    parse: parseHash,
  });

  /** MOV (inverted wide immediate), MOVN alias: NOT(imm16 << 16*hw), only when MOVZ could not make it. */
  defineKind<bigint>(`MovNImm${w}`, {
    doc: `${w}-bit MOV immediate made by MOVN (imm16, hw); undecodable when MOVZ could make the value`,
    arity: 2,
    decode: ([imm16, hw]) => {
      if (imm16 === 0 && hw !== 0) return undefined;
      const v = ~(BigInt(imm16) << BigInt(16 * hw)) & mask;
      return wideHw(v, w) === undefined ? v : undefined;
    },
    encode: (v) => {
      const u = normalize(v, w);
      if (u === undefined) return notMovable();
      const inv = ~u & mask;
      const hw = wideHw(inv, w);
      return hw === undefined ? notMovable() : [Number(inv >> BigInt(16 * hw)), hw];
    },
    print: hex,
    parse: parseHash,
  });

  /** LSL (immediate), UBFM alias: immr = -shift MOD w, imms = w-1-shift. */
  defineKind<bigint>(`LslShift${w}`, {
    doc: `shift of LSL (immediate), a ${w}-bit UBFM alias (immr, imms)`,
    arity: 2,
    decode: ([immr, imms]) => (immr === imms + 1 || (immr === 0 && imms === w - 1) ? BigInt(w - 1 - imms) : undefined),
    encode: (s) => (s >= 0n && s < BigInt(w) ? [(w - Number(s)) % w, w - 1 - Number(s)] : outOfRange('immediate value', 0, w - 1)),
    print: (s) => `#${s}`,
    parse: parseImm,
  });

  /** `#lsb, #width` of BFI/BFC/SBFIZ/UBFIZ: immr = -lsb MOD w, imms = width-1; printed when imms < immr. */
  defineKind<{ lsb: number; width: number }>(`BfizOps${w}`, {
    doc: `"#lsb, #width" of the ${w}-bit insert-in-zero/insert aliases (BFI, BFC, SBFIZ, UBFIZ): args immr, imms`,
    arity: 2,
    decode: ([immr, imms]) => (imms < immr ? { lsb: (w - immr) & (w - 1), width: imms + 1 } : undefined),
    encode: ({ lsb, width }) => bitfield(lsb, width, w) ?? [(w - lsb) & (w - 1), width - 1],
    print: ({ lsb, width }) => `#${lsb}, #${width}`,
    parse: (t, ctx) => parsePair(t, ctx),
  });

  /** `#lsb, #width` of BFXIL/SBFX/UBFX: immr = lsb, imms = lsb+width-1; printed when imms >= immr. */
  defineKind<{ lsb: number; width: number }>(`BfxOps${w}`, {
    doc: `"#lsb, #width" of the ${w}-bit extract aliases (BFXIL, SBFX, UBFX): args immr, imms`,
    arity: 2,
    decode: ([immr, imms]) => (imms >= immr ? { lsb: immr, width: imms + 1 - immr } : undefined),
    encode: ({ lsb, width }) => bitfield(lsb, width, w) ?? [lsb, lsb + width - 1],
    print: ({ lsb, width }) => `#${lsb}, #${width}`,
    parse: (t, ctx) => parsePair(t, ctx),
  });
}

/** What is wrong with `#lsb, #width` of a `w`-bit bitfield alias (GNU as's ranges), or undefined when both fit. */
function bitfield(lsb: number, width: number, w: number): Misfit | undefined {
  if (lsb < 0 || lsb >= w) return outOfRange('immediate value', 0, w - 1);
  if (width < 1 || width > w - lsb) return outOfRange('immediate value', 1, w - lsb, '', 1);
  return undefined;
}

function parsePair(t: string, ctx: OperandCtx): { lsb: number; width: number } | undefined {
  const i = t.indexOf(',');
  if (i < 0) return undefined;
  const a = parseImm(t.slice(0, i), ctx), b = parseImm(t.slice(i + 1), ctx);
  if (a === undefined || b === undefined) return undefined;
  // Beyond any register width: kept out of Number's range issues, and still reported as out of range.
  const clamp = (v: bigint) => Number(v < -1n ? -1n : v > 1000n ? 1000n : v);
  return { lsb: clamp(a), width: clamp(b) };
}

/** Move-wide immediate of MOVZ/MOVN/MOVK: `#imm16` with an optional `, lsl #(0|16|32|48)`. */
defineKind<{ imm: bigint; hw: bigint }>('MovWideImm', {
  doc: '16-bit immediate of MOVZ/MOVN/MOVK with ", lsl #16*hw" (args imm16, hw); hw holds the shift in bits when assembling',
  arity: 2,
  decode: ([imm, hw]) => ({ imm: BigInt(imm), hw: BigInt(hw * 16) }),
  encode: ({ imm, hw }) => {
    if (!fits(imm, 16)) return outOfRange('immediate value', 0, 65535);
    if (hw % 16n !== 0n) return new Misfit('shift amount must be a multiple of 16');
    if (hw < 0n || hw > 48n) return outOfRange('shift amount', 0, 48);
    return [Number(imm), Number(hw / 16n)];
  },
  print: ({ imm, hw }) => hex(imm) + (hw ? `, lsl #${hw}` : ''),
  parse: (t, ctx) => {
    const m = /^(.*),lsl#?(.+)$/i.exec(t);
    const imm = parseImm(m ? m[1] : t, ctx);
    if (imm === undefined) return undefined;
    const sh = m ? parseImm(m[2], ctx) : 0n;
    return sh === undefined ? undefined : { imm, hw: sh };
  },
});

/** ROR (immediate): EXTR with Rn == Rm, written once. */
defineKind<{ r: number; sf: number }>('ExtrSrc', {
  doc: 'source register of ROR (immediate): the EXTR fields Rn and Rm hold the same register; args Rn, Rm, sf',
  arity: 3,
  decode: ([rn, rm, sf]) => (rn === rm ? { r: rn, sf } : undefined),
  encode: ({ r, sf }) => [r, r, sf],
  print: ({ r, sf }) => (r === 31 ? (sf ? 'xzr' : 'wzr') : (sf ? 'x' : 'w') + r),
  parse: (t) => {
    const s = t.toLowerCase();
    if (s === 'xzr') return { r: 31, sf: 1 };
    if (s === 'wzr') return { r: 31, sf: 0 };
    const a: Record<string, number> = { fp: 29, lr: 30, ip0: 16, ip1: 17 };
    if (s in a) return { r: a[s], sf: 1 };
    const m = /^([xw])(\d\d?)$/.exec(s);
    if (!m || Number(m[2]) > 30 || (m[2].length === 2 && m[2][0] === '0')) return undefined;
    return { r: Number(m[2]), sf: m[1] === 'x' ? 1 : 0 };
  },
});
