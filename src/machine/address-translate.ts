// The AT instructions: a translation performed on request, its result in
// PAR_EL1 instead of an exception (Arm ARM AArch64.AT and the PAR_EL1 formats).
import type { Cpu } from '../core/cpu.js';
import { SLOT, F } from '../generated/sysregs.js';
import { walk, isFault, faultStatus, type Access, type DescRead } from '../mmu/walker.js';
import type { Stage1Regime, Stage2Regime } from '../mmu/regime.js';

/** PAR_EL1 bit 11 is RES1 in the fault format; QEMU sets it in both (the "LPAE" bit). */
const PAR_RES1 = 1n << 11n;

export interface Regimes { el10: Stage1Regime; el2: Stage1Regime; s2: Stage2Regime }

/** `op` is the operation's name after "AT " (S1E1R, S12E0W, S1E2R…); `va` is Xt. */
export function addressTranslate(c: Cpu, op: string, va: bigint, r: Regimes, mem: DescRead): void {
  const m = /^S(1|12)E([012])([RW])$/.exec(op);
  if (!m) return;
  const el = Number(m[2]) as 0 | 1 | 2;
  const access: Access = m[3] === 'W' ? 'write' : 'read';
  const vm = el < 2 && (c.sys[SLOT.HCR_EL2] & F.HCR_EL2.VM.mask) !== 0n;
  // S1E*: stage 1 only, but with stage 2 on its table walks the tables are at IPAs
  const stage2 = vm ? r.s2 : undefined;
  const regime = el === 2 ? r.el2 : r.el10;
  const res = walk(va, access, el, regime, mem, stage2);
  if (isFault(res)) {
    // for a stage 1 lookup, a stage 2 fault on the final IPA is not a fault of the operation
    if (m[1] === '1' && res.stage === 2 && !res.s1ptw && res.ipa !== undefined) {
      c.sys[SLOT.PAR_EL1] = parSuccess(res.ipa, -1, -1, 0n);
      return;
    }
    const fst = BigInt(faultStatus(res));
    c.sys[SLOT.PAR_EL1] = 1n | (fst << 1n) | (BigInt(res.s1ptw) << 8n) | (BigInt(res.stage === 2) << 9n) | PAR_RES1;
    return;
  }
  const out = m[1] === '1' ? res.ipa : res.pa;
  const mair = c.sys[el === 2 ? SLOT.MAIR_EL2 : SLOT.MAIR_EL1];
  c.sys[SLOT.PAR_EL1] = parSuccess(out, res.attrs.attrIndx, res.attrs.sh, mair);
}

/** The success format: PA[47:12], NS = 1 (no Secure state here), SH, and ATTR from MAIR. */
function parSuccess(pa: bigint, attrIndx: number, sh: number, mair: bigint): bigint {
  const attr = attrIndx >= 0 ? (mair >> BigInt(8 * attrIndx)) & 0xffn : 0n;
  return (attr << 56n) | (pa & 0xfffffffff000n) | (1n << 9n) | (BigInt(Math.max(sh, 0)) << 7n) | PAR_RES1;
}
