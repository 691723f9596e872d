// Field extraction and insertion for the generated instruction table.
import type { FieldVals, InsnInfo } from './insn-info.js';

export function fieldsOf(info: InsnInfo, w: number): FieldVals {
  const f: FieldVals = {};
  for (const [name, lsb, width] of info.fields) f[name] = width === 32 ? w >>> 0 : (w >>> lsb) & ((1 << width) - 1);
  return f;
}

export function widthOf(info: InsnInfo, name: string): number {
  return info.fields.find((f) => f[0] === name)?.[2] ?? 0;
}
