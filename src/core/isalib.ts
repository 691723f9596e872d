// Shared pieces of instruction semantics (Arm ARM pseudocode functions) that
// the exec snippets of several encoding groups use. Anything used by one group
// only belongs in that group's `prelude`.
export { ArchException, EC, undefinedInstruction } from './exception.js';
export { rz, wz, rs, SP, ZR, T3, MASK32 } from './regs.js';
export { Access } from './memory.js';
export { sysregKey, sysTrapIss } from '../spec/encoding.js';

/** Sign-extends the low `bits` bits of a Number field. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

/** Ones(n) as a bigint. */
export const ones = (n: number): bigint => (1n << BigInt(n)) - 1n;

/** Rotate right within `width` bits. */
export function ror(v: bigint, amount: number, width: number): bigint {
  const m = ones(width);
  const a = BigInt(amount % width);
  if (a === 0n) return v & m;
  return ((v >> a) | (v << (BigInt(width) - a))) & m;
}

/** DecodeBitMasks(N, imms, immr): the (wmask, tmask) pair, or undefined when reserved. */
export function decodeBitMasks(n: number, imms: number, immr: number, immediate: boolean, width: number): [bigint, bigint] | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const d = (s - r) & levels;
  const esize = 1 << len;
  if (esize > width) return undefined;
  const welem = ones(s + 1);
  const telem = ones(d + 1);
  const wrep = ror(welem, r, esize);
  let wmask = 0n, tmask = 0n;
  for (let i = 0; i < width; i += esize) {
    wmask |= wrep << BigInt(i);
    tmask |= telem << BigInt(i);
  }
  return [wmask, tmask];
}
