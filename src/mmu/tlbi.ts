// The operand of a TLBI instruction: the operations el2sim knows, their names without the
// IS suffix, and the fields of Xt (VA, ASID, IPA). Shared by the TLBs (tlb.ts) and the walk
// caches (walk-cache.ts), which each match the operation's scope against their entries.

export interface TlbiContext {
  /** The current VMID (VTTBR_EL2.VMID). */
  readonly vmid: number;
  /** TCR_EL1.AS: 16-bit ASIDs; with 8-bit ASIDs Xt[63:56] is ignored. */
  readonly asid16: boolean;
}

/** The TLBI operations `tlbi` knows, without their IS suffix. */
export const TLBI_OPS = [
  'VMALLE1', 'VAE1', 'VALE1', 'VAAE1', 'VAALE1', 'ASIDE1', 'IPAS2E1', 'IPAS2LE1',
  'VMALLS12E1', 'ALLE1', 'ALLE2', 'VAE2', 'VALE2',
] as const;
export type TlbiOp = (typeof TLBI_OPS)[number];

/** Xt[43:0] = VA[55:12]. */
export function tlbiVa(xt: bigint): bigint {
  return (xt & ((1n << 44n) - 1n)) << 12n;
}
/** Xt[63:48] = ASID (Xt[63:56] ignored with 8-bit ASIDs). */
export function tlbiAsid(xt: bigint, asid16: boolean): number {
  return Number(xt >> 48n) & (asid16 ? 0xffff : 0xff);
}
/** Xt[35:0] = IPA[47:12] (Armv8.0, 48-bit IPA). */
export function tlbiIpa(xt: bigint): bigint {
  return (xt & ((1n << 36n) - 1n)) << 12n;
}

/** A TLBI operation's name without its IS (Inner Shareable) suffix; throws on an unknown one. */
export function baseOp(op: string): TlbiOp {
  const u = op.toUpperCase();
  const b = u.endsWith('IS') ? u.slice(0, -2) : u;
  if (!(TLBI_OPS as readonly string[]).includes(b)) throw new Error(`TLBI ${op}: not a known operation`);
  return b as TlbiOp;
}

