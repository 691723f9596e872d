// Encoding one instruction from its assembler text: every form with the
// mnemonic is tried; operands are matched against the form's pieces with
// backtracking, each operand's parse+encode binding fields that must agree.
import { decodeId } from '../generated/decoder.js';
import { INSNS } from '../generated/forms.js';
import { operandKind } from './operands/index.js';
import { Misfit, type OperandCtx } from './operand.js';
import type { FieldVals, FormInfo, InsnInfo } from './insn-info.js';
import type { Piece } from './template.js';
import { widthOf } from './fields.js';

/**
 * An instruction that cannot be encoded. `offset`, where in the operand text
 * (whitespace kept) the problem is, is set when a form parsed the operands but
 * a value did not fit (the message then says why).
 */
export class AsmError extends Error {
  constructor(message: string, readonly offset?: number) {
    super(message);
  }
}

/** A value some form parsed but could not hold: at operand `operand` (1-based), at `pos` of the operand text without whitespace. */
interface Refusal { misfit: Misfit; operand: number; pos: number }

/** The 1-based operand that starts at or contains `pos` (commas inside [] and {} do not separate operands). */
function operandAt(text: string, pos: number): number {
  let n = 1, depth = 0;
  for (let i = 0; i < pos; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) n++;
  }
  return n;
}

const byMnemonic = new Map<string, { info: InsnInfo; id: number; form: FormInfo }[]>();
INSNS.forEach((info, id) => {
  for (const form of info.forms) {
    const list = byMnemonic.get(form.mnemonic) ?? [];
    list.push({ info, id, form });
    byMnemonic.set(form.mnemonic, list);
  }
});

export function isMnemonic(m: string): boolean {
  return byMnemonic.has(m.toLowerCase());
}

function bind(f: FieldVals, info: InsnInfo, name: string, v: number): boolean {
  if (f[name] !== undefined) return f[name] === v;
  const w = widthOf(info, name);
  if (v < 0 || v >= 2 ** w) return false;
  f[name] = v;
  return true;
}

function match(pieces: Piece[], i: number, text: string, pos: number, f: FieldVals, info: InsnInfo, ctx: OperandCtx, refused: Refusal[]): FieldVals | undefined {
  if (i === pieces.length) return pos === text.length ? f : undefined;
  const p = pieces[i];
  if (typeof p === 'string') {
    return text.startsWith(p, pos) ? match(pieces, i + 1, text, pos + p.length, f, info, ctx, refused) : undefined;
  }
  const kind = operandKind(p.kind)!;
  // Try every end position; the longest first so greedy operands (expressions) win.
  // The last piece takes the rest of the text: a shorter candidate could only
  // fail, and would evaluate (and name as undefined) prefixes of a symbol.
  const next = pieces[i + 1];
  const shortest = next === undefined ? text.length : pos;
  for (let end = text.length; end >= shortest; end--) {
    if (typeof next === 'string' && !text.startsWith(next, end)) continue;
    ctx.widths = p.args.map((a) => (typeof a === 'string' ? widthOf(info, a) : 0));
    const v = kind.parse(text.slice(pos, end), ctx);
    if (v === undefined) continue;
    const enc = kind.encode(v, ctx);
    if (enc instanceof Misfit) {
      // A slot starting with its separator (", lsl #64") continues the operand before it,
      // as GNU as counts operands; the position skips the separator to name the value.
      refused.push({ misfit: enc, operand: operandAt(text, pos) + enc.operand, pos: text[pos] === ',' ? pos + 1 : pos });
      continue;
    }
    if (!enc) continue;
    const g = { ...f };
    let ok = true;
    p.args.forEach((a, k) => {
      if (!ok || enc[k] === undefined) return;
      if (typeof a === 'number') ok = a === enc[k];
      else ok = bind(g, info, a, enc[k]!);
    });
    if (!ok) continue;
    const r = match(pieces, i + 1, text, end, g, info, ctx, refused);
    if (r) return r;
  }
  return undefined;
}

/** Encodes `mnemonic operands` at address ctx.pc; throws AsmError naming what did not fit. */
export function encodeInstruction(mnemonic: string, operands: string, ctx: OperandCtx): number {
  const m = mnemonic.toLowerCase();
  const forms = byMnemonic.get(m);
  if (!forms) throw new AsmError(`unknown instruction '${mnemonic}'`);
  const text = operands.replace(/\s+/g, '');
  ctx.mnemonic = m;
  const refused: Refusal[] = [];
  for (const { info, id, form } of forms) {
    const f = match(form.pieces, 0, text, 0, { ...form.fixed }, info, ctx, refused);
    if (!f) continue;
    for (const [name] of info.fields) f[name] ??= 0;
    if (form.when && !form.when(f)) continue;
    if (info.undefinedIf && info.undefinedIf(f)) continue;
    let w = info.value;
    for (const [name, lsb, width] of info.fields) w |= (f[name] & (width === 32 ? -1 : (1 << width) - 1)) << lsb;
    w >>>= 0;
    if (decodeId(w) !== id) continue; // another instruction claims this encoding
    return w;
  }
  if (refused.length) throw misfitError(m, operands, refused);
  throw new AsmError(`operands do not match any form of '${m}': ${operands.trim() || '(none)'}`);
}

/**
 * The refusal at the furthest operand (forms that got that far matched all
 * operands before it), as GNU as words it: "immediate value out of range 0 to
 * 63 at operand 3 -- `lsl x0, x1, #64'". Forms refusing the same operand for
 * the same reason with other ranges are joined: "… 0 to 32760 (multiples of 8) or -256 to 255".
 */
function misfitError(m: string, operands: string, refused: Refusal[]): AsmError {
  // The furthest operand, and within it the furthest position: `x2, lsl #64` is a shifted
  // register refused at its shift before it is an extended register refused at `x2`.
  const last = Math.max(...refused.map((r) => r.operand));
  const pos = Math.max(...refused.filter((r) => r.operand === last).map((r) => r.pos));
  const at = refused.filter((r) => r.operand === last && r.pos === pos);
  const problems = new Map<string, string[]>();
  for (const { misfit } of at) {
    const ranges = problems.get(misfit.problem) ?? [];
    if (misfit.range !== undefined && !ranges.includes(misfit.range)) ranges.push(misfit.range);
    problems.set(misfit.problem, ranges);
  }
  const why = [...problems].map(([p, ranges]) => (ranges.length ? `${p} ${ranges.join(' or ')}` : p)).join('; ');
  // Branches and literal loads name only the instruction, as GNU as does; values name the operand.
  const whole = /branch|pc-relative/.test(why);
  const message = whole ? why : `${why} at operand ${last} -- \`${m} ${operands.trim()}'`;
  return new AsmError(message, originalOffset(operands, at[0].pos));
}

/** The offset in `operands` of the `pos`-th character that is not whitespace. */
function originalOffset(operands: string, pos: number): number {
  let seen = 0;
  for (let i = 0; i < operands.length; i++) {
    if (/\s/.test(operands[i])) continue;
    if (seen++ === pos) return i;
  }
  return operands.length;
}
