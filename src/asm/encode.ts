// Encoding one instruction from its assembler text: every form with the
// mnemonic is tried; operands are matched against the form's pieces with
// backtracking, each operand's parse+encode binding fields that must agree.
import { decodeId } from '../generated/decoder.js';
import { INSNS } from '../generated/forms.js';
import { operandKind } from './operands/index.js';
import type { OperandCtx } from './operand.js';
import type { FieldVals, FormInfo, InsnInfo } from './insn-info.js';
import type { Piece } from './template.js';
import { widthOf } from './fields.js';

export class AsmError extends Error {}

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

function match(pieces: Piece[], i: number, text: string, pos: number, f: FieldVals, info: InsnInfo, ctx: OperandCtx): FieldVals | undefined {
  if (i === pieces.length) return pos === text.length ? f : undefined;
  const p = pieces[i];
  if (typeof p === 'string') {
    return text.startsWith(p, pos) ? match(pieces, i + 1, text, pos + p.length, f, info, ctx) : undefined;
  }
  const kind = operandKind(p.kind)!;
  // Try every end position; the longest first so greedy operands (expressions) win.
  for (let end = text.length; end >= pos; end--) {
    const next = pieces[i + 1];
    if (typeof next === 'string' && !text.startsWith(next, end)) continue;
    ctx.widths = p.args.map((a) => (typeof a === 'string' ? widthOf(info, a) : 0));
    const v = kind.parse(text.slice(pos, end), ctx);
    if (v === undefined) continue;
    const enc = kind.encode(v, ctx);
    if (!enc) continue;
    const g = { ...f };
    let ok = true;
    p.args.forEach((a, k) => {
      if (!ok || enc[k] === undefined) return;
      if (typeof a === 'number') ok = a === enc[k];
      else ok = bind(g, info, a, enc[k]!);
    });
    if (!ok) continue;
    const r = match(pieces, i + 1, text, end, g, info, ctx);
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
  for (const { info, id, form } of forms) {
    const f = match(form.pieces, 0, text, 0, { ...form.fixed }, info, ctx);
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
  throw new AsmError(`operands do not match any form of '${m}': ${operands.trim() || '(none)'}`);
}
