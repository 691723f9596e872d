// Powers of two for address arithmetic in Numbers (addresses of up to 56 bits are exact in a
// double, but past 32 bits the bitwise operators do not apply). Both helpers keep the JIT on
// fast paths: `2 ** x` with a variable x is a Math.pow call, and `%` of a double is a call into
// the runtime (a walk made several per level), where dividing by a power of two is exact.

/** 2 ** i for i in 0..64. */
export const POW2 = Float64Array.from({ length: 65 }, (_, i) => 2 ** i);

export const TWO32 = 2 ** 32;

/**
 * x mod size (the non-negative remainder) for an integer x (|x| < 2^53) and a power of two
 * `size`. Up to 2^31 it is x's low bits: `&` takes the low 32 bits of any such integer exactly
 * (two's complement, so a negative x gives the floor remainder too) without dividing.
 */
export function modPow2(x: number, size: number): number {
  if (size <= 0x80000000) return x & (size - 1);
  return x - Math.floor(x / size) * size;
}
