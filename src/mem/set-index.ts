// The set a line or page number falls in, in a set-associative structure (the caches, the TLBs).
// With 2^k sets it is the number's low bits: `&` keeps the low 32 bits of a non-negative integer
// exactly, where a double's `%` is a division, which the hot paths would pay on every lookup.

/** sets - 1 when `sets` is a power of two, else -1 (setOf then divides). */
export const setMaskOf = (sets: number): number => ((sets & (sets - 1)) === 0 ? sets - 1 : -1);

/** The set of the non-negative integer `n` among `sets` sets, `mask` being setMaskOf(sets). */
export function setOf(n: number, sets: number, mask: number): number {
  return mask >= 0 ? n & mask : n % sets;
}
