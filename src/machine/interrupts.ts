// Routing and masking of asynchronous exceptions for a machine with EL2 and
// without EL3 (Arm ARM, "Asynchronous exception routing" and "masking"):
// physical IRQ/FIQ go to EL2 when HCR_EL2.IMO/FMO (or TGE) say so, else EL1;
// virtual IRQ/FIQ (HCR_EL2.VI/VF) only reach EL1 and below.
import type { Cpu } from '../core/cpu.js';
import { F, SLOT } from '../generated/sysregs.js';

const H = F.HCR_EL2;
const I_BIT = 0b0010, F_BIT = 0b0001; // PSTATE.DAIF bits as Cpu.daif holds them

export type Async = 'irq' | 'fiq';

/** The EL a physical interrupt of this kind is taken to now, or -1 if it stays pending. */
export function physicalTarget(c: Cpu, kind: Async): number {
  const hcr = c.sys[SLOT.HCR_EL2];
  const toEl2 = (hcr & (kind === 'irq' ? H.IMO.mask : H.FMO.mask)) !== 0n || (hcr & H.TGE.mask) !== 0n;
  const masked = (c.daif & (kind === 'irq' ? I_BIT : F_BIT)) !== 0;
  if (toEl2) return c.el < 2 || !masked ? 2 : -1; // from below EL2 PSTATE masks do not apply
  return c.el <= 1 && !masked ? 1 : -1; // an EL1 interrupt is never taken at EL2
}

/** Whether a virtual interrupt of this kind (HCR_EL2.VI/VF) is taken to EL1 now. */
export function virtualTaken(c: Cpu, kind: Async, fromGic = false): boolean {
  const hcr = c.sys[SLOT.HCR_EL2];
  const routed = hcr & (kind === 'irq' ? H.IMO.mask : H.FMO.mask) && !(hcr & H.TGE.mask);
  const pending = fromGic || (hcr & (kind === 'irq' ? H.VI.mask : H.VF.mask)) !== 0n;
  const masked = (c.daif & (kind === 'irq' ? I_BIT : F_BIT)) !== 0;
  return !!routed && !!pending && c.el <= 1 && !masked;
}

/** Whether HCR_EL2 holds a virtual interrupt pending (it wakes WFI even while masked). */
export function virtualPending(c: Cpu): boolean {
  return (c.sys[SLOT.HCR_EL2] & (H.VI.mask | H.VF.mask)) !== 0n;
}

/** PPIs of the generic timers on the virt machine. */
export const TIMER_PPI = { P: 30, V: 27, HP: 26 } as const;
/** The PL011's interrupt on the virt machine: SPI 1. */
export const UART_INTID = 33;
