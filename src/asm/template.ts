// An assembler form's text ("add {GPR(Rd,sf)}, {GPR(Rn,sf)}") split into the
// mnemonic, literal pieces and operand slots. Whitespace is not significant
// inside operands (GNU as ignores it), so literals are kept without it.
export interface Slot { kind: string; args: (string | number)[]; col: number }
export type Piece = string | Slot;
export interface Template { mnemonic: string; pieces: Piece[]; printPieces: Piece[] }

export function parseTemplate(text: string): Template {
  const m = /^\s*([a-z][a-z0-9.]*)(\s+|$)/.exec(text);
  if (!m) throw Object.assign(new Error(`form must start with a lower-case mnemonic`), { col: 0 });
  const pieces: Piece[] = [];
  const printPieces: Piece[] = [];
  let i = m[0].length;
  let lit = '';
  const flush = () => { if (lit) { pieces.push(lit.replace(/\s+/g, '')); printPieces.push(lit); lit = ''; } };
  while (i < text.length) {
    if (text[i] === '{') {
      const end = text.indexOf('}', i);
      const s = end < 0 ? null : /^\{([A-Za-z][A-Za-z0-9]*)\(([^)]*)\)\}$/.exec(text.slice(i, end + 1));
      if (!s) throw Object.assign(new Error(`bad operand slot: expected {Kind(arg, ...)}`), { col: i });
      flush();
      const args = s[2].split(',').map((a) => a.trim()).filter((a) => a !== '').map((a) => (/^-?\d+$/.test(a) ? Number(a) : a));
      const slot: Slot = { kind: s[1], args, col: i };
      pieces.push(slot);
      printPieces.push(slot);
      i = end + 1;
    } else {
      lit += text[i++];
    }
  }
  flush();
  return { mnemonic: m[1], pieces: pieces.filter((p) => p !== ''), printPieces };
}
