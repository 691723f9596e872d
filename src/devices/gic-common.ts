// Facts shared by the GICv3's physical and virtual CPU interfaces.

export const NUM_IRQ = 288;
export const SPURIOUS = 1023;
/** Never signalled (the largest PMR is 0xf8), so it also stands for "nothing pending". */
export const IDLE = 0xff;
/** Five priority bits: PMR keeps bits 7:3, and priority p has active-priority bit p >> 3. */
export const PMR_MASK = 0xf8;
export const APR_SHIFT = 3;
/** Smallest binary points with five priority bits (QEMU's icc_min_bpr and icc_min_bpr_ns). */
export const BPR_MIN = [2, 3];
/** ICC_CTLR_EL1: CBPR and EOImode are writable; A3V, IDbits = 1 (24 bits) and PRIbits = 4 are fixed. */
export const CBPR = 1, EOIMODE = 2, ICC_CTLR_FIXED = 0x8c00;

export const ctz = (x: number): number => (x === 0 ? 32 : 31 - Math.clz32(x & -x));
export const u32 = (v: bigint): number => Number(v & 0xffffffffn);
