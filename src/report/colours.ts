// Shades of a hue, for charts that keep one hue per mode or per timing preset
// and tell its further series apart by lightness.

/** `hex` moved toward white by the fraction t (0: the hue itself). */
export function tint(hex: string, t: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).map((v) => Math.round(v + (255 - v) * t));
  return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** Shade k of n of a hue: from the hue itself (k = 0) toward white, each one distinct. */
export const shade = (hex: string, k: number, n: number): string => tint(hex, n <= 1 ? 0 : (0.7 * k) / (n - 1));
