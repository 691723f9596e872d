// Disassembly of one word, in GNU objdump's syntax: the first preferred form
// of the decoded instruction whose condition holds and whose operands all have
// a printed form.
import { decodeId } from '../generated/decoder.js';
import { INSNS } from '../generated/forms.js';
import { operandKind } from './operands/index.js';
import type { OperandCtx } from './operand.js';
import { fieldsOf, widthOf } from './fields.js';

/** `mnemonic\toperands` for the word at address pc (objdump's text after the hex word). */
export function disassemble(w: number, pc = 0n, symbolize?: (a: bigint) => string | undefined, targetText?: (a: bigint) => string): string {
  const id = decodeId(w >>> 0);
  const undef = `.inst\t0x${(w >>> 0).toString(16).padStart(8, '0')} ; undefined`;
  if (id < 0) return undef;
  const info = INSNS[id];
  const f = fieldsOf(info, w);
  const ctx: OperandCtx = { pc, symbolize, targetText };
  for (const form of info.forms) {
    if (!form.preferred || (form.when && !form.when(f))) continue;
    let text = '';
    let ok = true;
    for (const p of form.printPieces) {
      if (typeof p === 'string') { text += p; continue; }
      const kind = operandKind(p.kind)!;
      ctx.widths = p.args.map((a) => (typeof a === 'string' ? widthOf(info, a) : 0));
      const v = kind.decode(p.args.map((a) => (typeof a === 'string' ? f[a] : a)), ctx);
      if (v === undefined) { ok = false; break; }
      text += kind.print(v, ctx);
    }
    if (!ok) continue;
    text = text.replace(/,\s*$/, '').trim();
    return text ? `${form.mnemonic}\t${text}` : form.mnemonic;
  }
  return undef;
}

/** The instruction's spec name (e.g. ADD_imm), or undefined when unallocated. */
export function insnName(w: number): string | undefined {
  const id = decodeId(w >>> 0);
  return id < 0 ? undefined : INSNS[id].name;
}
