// The encoding string of an instruction: MSB-first fixed bits, don't-care
// bits and named fields. Everything about bit positions is derived here.
export interface Field { name: string; lsb: number; width: number }
export interface Encoding { mask: number; value: number; fields: Field[] }

/** Parses an encoding; throws Error(message, with the column of the bad token in `col`). */
export function parseEncoding(text: string): Encoding {
  const fields: Field[] = [];
  let pos = 32;
  let mask = 0;
  let value = 0;
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tok = m[0];
    const fail = (why: string): never => { throw Object.assign(new Error(why), { col: m!.index }); };
    const named = /^([A-Za-z][A-Za-z0-9_]*):(\d+)$/.exec(tok);
    if (named) {
      const width = Number(named[2]);
      if (width < 1) fail(`field '${named[1]}' has width 0`);
      pos -= width;
      if (fields.some((f) => f.name === named[1])) fail(`field '${named[1]}' appears twice`);
      fields.push({ name: named[1], lsb: pos, width });
    } else if (/^[01x]+$/.test(tok)) {
      for (const ch of tok) {
        pos--;
        if (pos < 0) break;
        if (ch !== 'x') { mask |= 1 << pos; if (ch === '1') value |= 1 << pos; }
      }
    } else {
      fail(`bad token '${tok}': expected bits (0, 1, x) or name:width`);
    }
  }
  if (pos !== 0) throw Object.assign(new Error(`field widths sum to ${32 - pos}, not 32`), { col: 0 });
  return { mask: mask >>> 0, value: value >>> 0, fields };
}

export function fieldValue(word: number, f: Field): number {
  return f.width === 32 ? word >>> 0 : (word >>> f.lsb) & ((1 << f.width) - 1);
}

/** Key of a system register or operation: op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 (bits 20:5 of MRS/MSR/SYS). */
export function sysregKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** ISS of an EC 0x18 trap (MSR, MRS, SYS): Op0, Op2, Op1, CRn, Rt, CRm, Direction (1 = read). */
export function sysTrapIss(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, isRead: boolean | number): number {
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (isRead ? 1 : 0);
}

/**
 * ISS bits 24:14 of a data abort with a valid instruction syndrome (ISV, SAS, SSE, SF, AR) for an
 * instruction's `syndrome`; SRT (bits 20:16) is the Rt of the instruction word. 0 without one.
 */
export function syndromeIss(s: { size: number; signed: boolean; sf: boolean; acqrel: boolean } | undefined): number {
  if (!s) return 0;
  return (1 << 24) | (Math.log2(s.size) << 22) | (Number(s.signed) << 21) | (Number(s.sf) << 15) | (Number(s.acqrel) << 14);
}
