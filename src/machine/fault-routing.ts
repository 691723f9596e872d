// HACR_EL2.TS1F (spec/sysregs/el2.yaml): the model's stand-in for x86 VMX's
// page-fault exiting, which shadow paging needs and Armv8 does not have. With
// stage 2 off (HCR_EL2.VM = 0, TGE = 0), a stage 1 translation, access flag or
// permission fault of the EL1&0 regime taken from EL0 or EL1 goes to EL2
// instead of EL1. takeException then reports it as an abort from a lower EL
// with FAR_EL2 = the VA; the machine adds the instruction syndrome, as for
// every data abort taken to EL2.
import { ArchException, EC } from '../core/exception.js';
import { F } from '../generated/sysregs.js';

const ABORTS = new Set<number>([EC.IABT_LOWER, EC.IABT_SAME, EC.DABT_LOWER, EC.DABT_SAME]);
/** DFSC/IFSC bits 5:2 of translation (0b0001), access flag (0b0010) and permission (0b0011) faults, any level. */
const ROUTED_FSC = new Set([1, 2, 3]);

/** `e`, or the same abort retargeted to EL2 when HACR_EL2.TS1F routes it there. */
export function routeStage1Fault(e: ArchException, el: number, hcr: bigint, hacr: bigint): ArchException {
  if (el >= 2 || e.targetEl !== -1 || !ABORTS.has(e.ec)) return e; // -1: a stage 1 fault's default routing
  if ((hacr & F.HACR_EL2.TS1F.mask) === 0n || (hcr & (F.HCR_EL2.VM.mask | F.HCR_EL2.TGE.mask)) !== 0n) return e;
  if (!ROUTED_FSC.has((e.iss & 0x3f) >> 2)) return e;
  return new ArchException(e.ec, e.iss, 2, e.far);
}
