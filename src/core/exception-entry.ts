// Taking an exception and returning from one (Arm ARM AArch64.TakeException
// and AArch64.ExceptionReturn), for a machine with EL0–EL2, no EL3 and no
// AArch32. The syndrome comes with the ArchException; this writes it to the
// target EL's registers, saves PSTATE, and vectors.
import type { Cpu } from './cpu.js';
import { ArchException, EC } from './exception.js';
import { SLOT, F } from '../generated/sysregs.js';

export const enum Vector { Sync = 0x000, Irq = 0x080, Fiq = 0x100, SError = 0x180 }

const ELR = [-1, SLOT.ELR_EL1, SLOT.ELR_EL2];
const SPSR = [-1, SLOT.SPSR_EL1, SLOT.SPSR_EL2];
const ESR = [-1, SLOT.ESR_EL1, SLOT.ESR_EL2];
const FAR = [-1, SLOT.FAR_EL1, SLOT.FAR_EL2];
const VBAR = [-1, SLOT.VBAR_EL1, SLOT.VBAR_EL2];
const HCR_TGE = F.HCR_EL2.TGE.mask;

/**
 * ECs whose preferred return address is the next instruction (the exception is taken after it
 * executes). Not SMC: without EL3 an SMC exception is only ever the HCR_EL2.TSC trap, which
 * returns to the SMC itself.
 */
const RETURNS_AFTER = new Set<number>([EC.SVC64, EC.HVC64]);
/** ECs that set FAR. */
const SETS_FAR = new Set<number>([EC.IABT_LOWER, EC.IABT_SAME, EC.DABT_LOWER, EC.DABT_SAME, EC.PC_ALIGN]);

/** The EL a synchronous exception goes to when the rule that raised it did not say. */
export function defaultTarget(c: Cpu): number {
  if (c.el === 0) return c.sys[SLOT.HCR_EL2] & HCR_TGE ? 2 : 1;
  return c.el;
}

/** PSTATE as SPSR_ELx saves it: NZCV, DAIF, IL, M[3:0] = EL and SP select. */
export function savedPstate(c: Cpu): bigint {
  return BigInt(((c.nzcv >>> 0) | (c.daif << 6) | (c.il << 20) | (c.el << 2) | c.spsel) >>> 0);
}

/**
 * Takes a synchronous exception (or, with `vector`, an asynchronous one) at the current
 * instruction `c.pc`. Returns the target EL.
 */
export function takeException(c: Cpu, e: ArchException, vector = Vector.Sync): number {
  const target = e.targetEl >= 0 ? e.targetEl : defaultTarget(c);
  let ec = e.ec;
  // abort ECs say whether the exception came from a lower EL or the same one
  if (ec === EC.IABT_LOWER || ec === EC.IABT_SAME) ec = target > c.el ? EC.IABT_LOWER : EC.IABT_SAME;
  if (ec === EC.DABT_LOWER || ec === EC.DABT_SAME) ec = target > c.el ? EC.DABT_LOWER : EC.DABT_SAME;
  const from = target > c.el ? 0x400 : c.spsel ? 0x200 : 0x000;
  const ret = vector === Vector.Sync && RETURNS_AFTER.has(ec) ? c.pc + 4 : c.pc;
  c.sys[SPSR[target]] = savedPstate(c);
  c.sys[ELR[target]] = BigInt.asUintN(64, BigInt(ret));
  if (vector === Vector.Sync) {
    // IL = 1: every A64 instruction is 32 bits
    c.sys[ESR[target]] = BigInt(((ec << 26) | (1 << 25) | (e.iss & 0x1ffffff)) >>> 0);
    if (SETS_FAR.has(ec)) c.sys[FAR[target]] = e.far ?? 0n;
    if (e.ipa !== undefined && target === 2) c.sys[SLOT.HPFAR_EL2] = (e.ipa >> 12n) << 4n;
  }
  c.setEl(target, 1);
  c.daif = 0xf;
  c.il = 0;
  c.exclusive = NaN;
  c.npc = c.addr(c.sys[VBAR[target]] + BigInt(from + vector));
  return target;
}

/** ERET: restores PSTATE from SPSR_ELx and returns to ELR_ELx; an illegal return sets PSTATE.IL instead of changing EL. */
export function exceptionReturn(c: Cpu): void {
  const spsr = Number(c.sys[SPSR[c.el]] & 0xffffffffn);
  const elr = c.sys[ELR[c.el]];
  const m = spsr & 0x1f;
  const el = (m >> 2) & 3;
  // M[4] = 1 is AArch32 (not implemented); returning to a higher EL, to EL3, or to EL0 with SP_ELx is illegal
  const illegal = (m & 0x10) !== 0 || el > c.el || el === 3 || (el === 0 && (m & 1) !== 0) || (m & 2) !== 0;
  c.nzcv = spsr & 0xf0000000;
  c.daif = (spsr >> 6) & 0xf;
  if (illegal) c.il = 1;
  else {
    c.il = (spsr >> 20) & 1;
    c.setEl(el, m & 1);
  }
  c.exclusive = NaN;
  c.branchTo(elr);
}
