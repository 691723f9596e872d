// The VMSAv8-64 translation regimes (Armv8.0, no 52-bit PA, no LPA/TTST/HA/HD),
// decoded from raw register values into what the walker needs: granule,
// input size, start level, table base, output size, ASID/VMID. A reserved or
// inconsistent configuration is not an error here: it is recorded as the fault
// the walk must report before fetching anything (Arm ARM AArch64.TranslationTableWalk:
// `!basefound || disabled` → translation fault at level 0; TTBR base above the
// output size → address size fault at level 0).
import { F } from '../generated/sysregs.js';

export type GranuleBits = 12 | 14 | 16;

/** What a walk of one set of tables (one TTBR, or VTTBR) needs. */
export interface TableRegime {
  /** log2 of the granule: 12 (4K), 14 (16K), 16 (64K). */
  readonly granuleBits: GranuleBits;
  /** Input address size in bits: 64 - TnSZ (after the Armv8.0 limits 25..48). */
  readonly inputBits: number;
  /** Level of the first lookup (0..3). */
  readonly startLevel: number;
  /** Address of the (first) start-level table, aligned to the start table size. */
  readonly base: bigint;
  /** `base` as a Number (exact: at most 48 bits), for the walker. */
  readonly baseNum: number;
  /** Number of concatenated start-level tables (stage 2 only; 1 for stage 1). */
  readonly concat: number;
  /** Output address size in bits (IPS/PS limited by PAMax). */
  readonly oaBits: number;
  /** A fault any walk with these registers reports at level 0 before fetching anything. */
  readonly fault?: 'translation' | 'address-size';
}

export interface Stage1Half extends TableRegime {
  /** The ASID tagging non-global entries of this regime (same for both halves). */
  readonly asid: number;
}

export interface Stage1Regime {
  readonly stage: 1;
  /** 'el10': the EL1&0 regime (TTBR0/1_EL1), 'el2': the EL2 regime (TTBR0_EL2). */
  readonly regime: 'el10' | 'el2';
  /** SCTLR_ELx.M */
  readonly enabled: boolean;
  /** SCTLR_ELx.WXN */
  readonly wxn: boolean;
  readonly asidBits: 8 | 16;
  /** Top byte ignore for VA bit 55 = 0 / = 1 halves. */
  readonly tbi: readonly [boolean, boolean];
  /** [TTBR0 half, TTBR1 half] (the EL2 regime has no TTBR1 half). */
  readonly halves: readonly [Stage1Half, Stage1Half | null];
  /** PAMax: the implemented physical address size (output when the MMU is off). */
  readonly paBits: number;
}

export interface Stage2Regime extends TableRegime {
  readonly stage: 2;
  readonly vmid: number;
}

export interface RegimeOptions {
  /** PAMax in bits; default 44 (ID_AA64MMFR0_EL1.PARange = 0b0100 of the Cortex-A57). */
  paBits?: number;
}

const DEFAULT_PA_BITS = 44;

const field = (v: bigint, f: { lsb: number; mask: bigint }): number => Number((v & f.mask) >> BigInt(f.lsb));

/** Decodes an IPS/PS field to bits (reserved encodings behave as the largest, 48), limited by PAMax. */
export function paSizeBits(ps: number, paMax: number): number {
  const bits = [32, 36, 40, 42, 44, 48, 48, 48][ps & 7];
  return Math.min(bits, paMax);
}

/** TCR_EL1.TG0 / TCR_EL2.TG0 / VTCR_EL2.TG0: 00 4K, 01 64K, 10 16K; 11 reserved, treated as 4K. */
export function tg0Bits(tg: number): GranuleBits {
  return tg === 1 ? 16 : tg === 2 ? 14 : 12;
}

/** TCR_EL1.TG1: 01 16K, 10 4K, 11 64K; 00 reserved, treated as 4K. */
export function tg1Bits(tg: number): GranuleBits {
  return tg === 1 ? 14 : tg === 3 ? 16 : 12;
}

/** Armv8.0 input size limits: TnSZ outside 16..39 is CONSTRAINED UNPREDICTABLE; el2sim clamps (as QEMU does). */
function clampInput(tnsz: number): number {
  return 64 - Math.min(39, Math.max(16, tnsz));
}

const ADDR47 = (1n << 48n) - 1n;

/** Start table base: BADDR<47:lowerbound>, lowerbound = 3 + log2(entries of the start-level table(s)). */
function baseAndCheck(baddr: bigint, lowerBound: number, oaBits: number): { base: bigint; fault?: 'address-size' } {
  const b = baddr & ADDR47;
  const base = (b >> BigInt(lowerBound)) << BigInt(lowerBound);
  return b >> BigInt(oaBits) !== 0n ? { base, fault: 'address-size' } : { base };
}

function stage1Half(tnsz: number, g: GranuleBits, ttbr: bigint, oaBits: number, asid: number, disabled: boolean): Stage1Half {
  const inputBits = clampInput(tnsz);
  const stride = g - 3;
  const levels = Math.ceil((inputBits - g) / stride);
  const startLevel = 4 - levels;
  const indexBits = inputBits - ((3 - startLevel) * stride + g);
  const { base, fault } = baseAndCheck(ttbr, 3 + indexBits, oaBits);
  return { granuleBits: g, inputBits, startLevel, base, baseNum: Number(base), concat: 1, oaBits, asid, fault: disabled ? 'translation' : fault };
}

/** The registers each regime is decoded from (a write to one decodes that regime again). */
export const EL10_REGS = ['SCTLR_EL1', 'TCR_EL1', 'TTBR0_EL1', 'TTBR1_EL1'] as const;
export const EL2_REGS = ['SCTLR_EL2', 'TCR_EL2', 'TTBR0_EL2'] as const;
export const STAGE2_REGS = ['VTCR_EL2', 'VTTBR_EL2'] as const;
export type El10Regs = Record<(typeof EL10_REGS)[number], bigint>;
export type El2Regs = Record<(typeof EL2_REGS)[number], bigint>;
export type Stage2Regs = Record<(typeof STAGE2_REGS)[number], bigint>;

/** Stage 1 of the EL1&0 regime from SCTLR_EL1, TCR_EL1, TTBR0_EL1, TTBR1_EL1. */
export function decodeEl10(r: El10Regs, opts: RegimeOptions = {}): Stage1Regime {
  const paBits = opts.paBits ?? DEFAULT_PA_BITS;
  const T = F.TCR_EL1, tcr = r.TCR_EL1;
  const oaBits = paSizeBits(field(tcr, T.IPS), paBits);
  const asidBits = field(tcr, T.AS) ? 16 : 8;
  const asidReg = field(tcr, T.A1) ? r.TTBR1_EL1 : r.TTBR0_EL1;
  const asid = Number(asidReg >> 48n) & (asidBits === 16 ? 0xffff : 0xff);
  return {
    stage: 1,
    regime: 'el10',
    enabled: (r.SCTLR_EL1 & F.SCTLR_EL1.M.mask) !== 0n,
    wxn: (r.SCTLR_EL1 & F.SCTLR_EL1.WXN.mask) !== 0n,
    asidBits,
    tbi: [field(tcr, T.TBI0) === 1, field(tcr, T.TBI1) === 1],
    halves: [
      stage1Half(field(tcr, T.T0SZ), tg0Bits(field(tcr, T.TG0)), r.TTBR0_EL1 & F.TTBR0_EL1.BADDR.mask, oaBits, asid, field(tcr, T.EPD0) === 1),
      stage1Half(field(tcr, T.T1SZ), tg1Bits(field(tcr, T.TG1)), r.TTBR1_EL1 & F.TTBR1_EL1.BADDR.mask, oaBits, asid, field(tcr, T.EPD1) === 1),
    ],
    paBits,
  };
}

/** Stage 1 of the EL2 regime (Armv8.0, no VHE) from SCTLR_EL2, TCR_EL2, TTBR0_EL2. */
export function decodeEl2(r: El2Regs, opts: RegimeOptions = {}): Stage1Regime {
  const paBits = opts.paBits ?? DEFAULT_PA_BITS;
  const T = F.TCR_EL2, tcr = r.TCR_EL2;
  const oaBits = paSizeBits(field(tcr, T.PS), paBits);
  const tbi = field(tcr, T.TBI) === 1;
  return {
    stage: 1,
    regime: 'el2',
    enabled: (r.SCTLR_EL2 & F.SCTLR_EL2.M.mask) !== 0n,
    wxn: (r.SCTLR_EL2 & F.SCTLR_EL2.WXN.mask) !== 0n,
    asidBits: 8,
    tbi: [tbi, tbi],
    halves: [stage1Half(field(tcr, T.T0SZ), tg0Bits(field(tcr, T.TG0)), r.TTBR0_EL2 & F.TTBR0_EL2.BADDR.mask, oaBits, 0, false), null],
    paBits,
  };
}

/**
 * Stage 2 from VTCR_EL2 and VTTBR_EL2 (the caller decides HCR_EL2.VM). Start level from SL0
 * (4K: 2 - SL0; 16K, 64K: 3 - SL0), with the Armv8.0 checks: level 0 only for 4K with
 * PAMax > 42; level 1 needs PAMax > 40 (16K) or > 42 (64K); the IPA size must not exceed
 * PAMax (CONSTRAINED UNPREDICTABLE: el2sim faults); the start level must resolve at least
 * 1 and at most stride + 4 bits (2 entries .. 16 concatenated tables). Any failure is a
 * stage 2 translation fault at level 0 on every walk.
 */
export function decodeStage2(r: Stage2Regs, opts: RegimeOptions = {}): Stage2Regime {
  const paBits = opts.paBits ?? DEFAULT_PA_BITS;
  const V = F.VTCR_EL2, vtcr = r.VTCR_EL2;
  const g = tg0Bits(field(vtcr, V.TG0));
  const stride = g - 3;
  const sl0 = field(vtcr, V.SL0);
  const inputBits = clampInput(field(vtcr, V.T0SZ));
  const oaBits = paSizeBits(field(vtcr, V.PS), paBits);
  const startLevel = g === 12 ? 2 - sl0 : 3 - sl0;
  let ok = true;
  if (g === 16) ok = !(startLevel <= 0 || (startLevel === 1 && paBits <= 42));
  else if (g === 14) ok = !(startLevel <= 0 || (startLevel === 1 && paBits <= 40));
  else ok = !(startLevel < 0 || (startLevel === 0 && paBits <= 42));
  if (inputBits > paBits) ok = false;
  const startBits = inputBits - ((3 - Math.max(0, startLevel)) * stride + g);
  if (startBits < 1 || startBits > stride + 4) ok = false;
  const level = Math.max(0, Math.min(3, startLevel));
  const concat = ok ? 2 ** Math.max(0, startBits - stride) : 1;
  const { base, fault } = baseAndCheck(r.VTTBR_EL2 & F.VTTBR_EL2.BADDR.mask, 3 + Math.max(0, startBits), oaBits);
  return {
    stage: 2,
    granuleBits: g,
    inputBits,
    startLevel: level,
    base,
    baseNum: Number(base),
    concat,
    oaBits,
    vmid: field(r.VTTBR_EL2, F.VTTBR_EL2.VMID),
    fault: ok ? fault : 'translation',
  };
}
