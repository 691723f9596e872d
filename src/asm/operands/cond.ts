// Condition codes (eq, ne, …). InvCond prints the inverted condition, as the
// cset/cinc/cneg aliases are written (their encoding holds the inverse).
import { defineKind } from '../operand.js';

export const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
const SYNONYMS: Record<string, number> = { hs: 2, lo: 3 };

function parseCond(t: string): number | undefined {
  const s = t.toLowerCase();
  const i = COND_NAMES.indexOf(s);
  return i >= 0 ? i : SYNONYMS[s];
}

defineKind<number>('Cond', {
  doc: 'condition code: eq ne cs/hs cc/lo mi pl vs vc hi ls ge lt gt le al nv',
  arity: 1,
  decode: ([c]) => c,
  encode: (c) => [c],
  print: (c) => COND_NAMES[c],
  parse: parseCond,
});

defineKind<number>('InvCond', {
  doc: 'condition code stored inverted (cset, csetm, cinc, cinv, cneg); al and nv are not allowed',
  arity: 1,
  decode: ([c]) => ((c >> 1) === 7 ? undefined : c ^ 1),
  encode: (c) => ((c >> 1) === 7 ? undefined : [c ^ 1]),
  print: (c) => COND_NAMES[c],
  parse: parseCond,
});
