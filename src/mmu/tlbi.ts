// The operand of a TLBI instruction: the operations el2sim knows, their names without the
// IS suffix, and the fields of Xt (VA, ASID, IPA). Shared by the TLBs (tlb.ts) and the walk
// caches (walk-cache.ts), which each match the operation's scope against their entries.
import { TLBI_SCOPES } from '../generated/sysregs.js';

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


/**
 * A TLBI decoded once: its scope from the spec (spec/sysregs/ops-tlbi.yaml) with Xt's operand
 * and the current context filled in. The TLBs (tlb.ts), the walk caches and the nested TLB
 * (walk-cache.ts) each match their entries against it.
 */
export interface TlbiRecord {
  /** The operation as given, upper case (e.g. VAE1IS). */
  readonly op: string;
  readonly regime: 'el10' | 'el2';
  /** The VMID entries must have; -1: any. */
  readonly vmid: number;
  /** The ASID named by Xt; -1: any ASID. */
  readonly asid: number;
  /** With an ASID: only non-global entries of it (ASIDE1); else global entries match too. */
  readonly nonGlobalOnly: boolean;
  readonly address: 'all' | 'va' | 'ipa';
  /** address 'va': VA[55:0] and its 4 KiB page number VA[55:12]. */
  readonly va: bigint;
  readonly vaPage: number;
  /** address 'ipa': the IPA. */
  readonly ipa: bigint;
  /** Last-level (leaf) entries only. */
  readonly lastLevel: boolean;
  /** Walk-cache entries of stage 1, 2 or both (0). */
  readonly stage: 0 | 1 | 2;
}

/** Decodes `TLBI op, Xt` in context `ctx`; throws on an operation without a declared scope. */
export function decodeTlbi(op: string, xt: bigint, ctx: TlbiContext): TlbiRecord {
  const name = op.toUpperCase();
  baseOp(name);
  const s = TLBI_SCOPES[name];
  if (!s) throw new Error(`TLBI ${op}: no scope declared in spec/sysregs`);
  const va = s.address === 'va' ? tlbiVa(xt) : 0n;
  return {
    op: name,
    regime: s.regime,
    vmid: s.vmid === 'current' ? ctx.vmid : -1,
    asid: s.asid === 'any' ? -1 : tlbiAsid(xt, ctx.asid16),
    nonGlobalOnly: s.asid === 'xt-nonglobal',
    address: s.address,
    va,
    vaPage: Number(va >> 12n),
    ipa: s.address === 'ipa' ? tlbiIpa(xt) : 0n,
    lastLevel: s.level === 'last',
    stage: s.stage === 'both' ? 0 : s.stage,
  };
}
