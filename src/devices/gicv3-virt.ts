// The GICv3 virtual CPU interface (QEMU's arm_gicv3_cpuif.c, without vLPIs):
// the ICH_*_EL2 registers a hypervisor programs, and the ICV view an EL1 guest
// gets of its ICC registers when HCR_EL2.IMO/FMO route its interrupts to EL2.
import { NUM_IRQ, SPURIOUS, IDLE, PMR_MASK, APR_SHIFT, BPR_MIN, CBPR, EOIMODE, ICC_CTLR_FIXED, ctz, u32 } from './gic-common.js';

/** Four list registers (ICH_LR0_EL2..ICH_LR3_EL2). */
const NUM_LR = 4;
/** ICH_LR<n>_EL2 fields (vINTID 31:0, pINTID 44:32, of which bit 41 is EOI when HW = 0). */
const LR_PENDING = 1n << 62n, LR_ACTIVE = 1n << 63n, LR_STATE = LR_PENDING | LR_ACTIVE;
const LR_HW = 1n << 61n, LR_EOI = 1n << 41n;
/** Five virtual priority bits: writes clear the low three bits of an LR's priority (QEMU enforces them RES0). */
const LR_PRIO_RES0 = 0x7n << 48n;
const lrPriority = (lr: bigint): number => Number((lr >> 48n) & 0xffn);
const lrGroup = (lr: bigint): number => Number((lr >> 60n) & 1n);
const lrVintid = (lr: bigint): number => Number(lr & 0xffffffffn);
const lrPintid = (lr: bigint): number => Number((lr >> 32n) & 0x1fffn);
const isSpecial = (intid: number): boolean => intid >= 1020 && intid <= 1023;

/** ICH_HCR_EL2 bits. */
const HCR_EN = 1, HCR_UIE = 2, HCR_LRENPIE = 4, HCR_NPIE = 8;
const HCR_VGRP0EIE = 0x10, HCR_VGRP0DIE = 0x20, HCR_VGRP1EIE = 0x40, HCR_VGRP1DIE = 0x80;
const EOICOUNT_SHIFT = 27, EOICOUNT_MASK = 0x1f << EOICOUNT_SHIFT;
/** ICH_MISR_EL2 bits. */
const MISR_EOI = 1, MISR_U = 2, MISR_LRENP = 4, MISR_NP = 8, MISR_VGRP0E = 0x10, MISR_VGRP0D = 0x20, MISR_VGRP1E = 0x40, MISR_VGRP1D = 0x80;
/** ICH_VMCR_EL2 fields: VENG0, VENG1, VFIQEn (RAO, no Secure state), VCBPR, VEOIM, VBPR1 20:18, VBPR0 23:21, VPMR 31:24. */
const VENG0 = 1, VENG1 = 2, VFIQEN = 8, VCBPR = 0x10, VEOIM = 0x200;
const VBPR1_SHIFT = 18, VBPR0_SHIFT = 21, VPMR_SHIFT = 24;
const VMCR_WRITABLE = VENG0 | VENG1 | VCBPR | VEOIM | (7 << VBPR1_SHIFT) | (7 << VBPR0_SHIFT) | (0xff << VPMR_SHIFT);
/** ICH_VTR_EL2: PRIbits = 4, PREbits = 4, IDbits = 1 (24 bits), A3V, nV4 (no GICv4), TDS, ListRegs = 3. */
const ICH_VTR = (4 << 29) | (4 << 26) | (1 << 23) | (1 << 21) | (1 << 20) | (1 << 19) | (NUM_LR - 1);

/**
 * What the hypervisor programs in ICH_*_EL2 and the guest sees through the
 * ICV_* view of the ICC registers, as QEMU models it (arm_gicv3_cpuif.c): the
 * highest-priority pending list register (its group enabled in ICH_VMCR_EL2,
 * the lowest-numbered among equals) is signalled when ICH_HCR_EL2.En is set
 * and its priority beats the virtual priority mask and running priority.
 * Group 0 is vFIQ, Group 1 vIRQ. An EOI drops the highest active priority of
 * either group first and, with VEOIM = 0, deactivates the list register that
 * holds the INTID (an INTID no list register holds counts in EOIcount).
 */
export class VirtualInterface {
  private readonly lr = new BigUint64Array(NUM_LR);
  private hcr = 0;
  /** Reset as QEMU: VFIQEn, VBPR0 and VBPR1 at their minimums (2 and 3). */
  private vmcr = VFIQEN | (BPR_MIN[1] << VBPR1_SHIFT) | (BPR_MIN[0] << VBPR0_SHIFT);
  private readonly apr = new Uint32Array(2); // ICH_AP0R0_EL2 (ICV_AP0R0_EL1), ICH_AP1R0_EL2 (ICV_AP1R0_EL1)

  constructor(private readonly deactivatePhysical: (intid: number) => void) {}

  /** The virtual interface's outputs: vIRQ, vFIQ and the maintenance interrupt's line. */
  signals(): { irq: boolean; fiq: boolean; maintenance: boolean } {
    const i = this.highestPending();
    const signal = i >= 0 && this.canSignal(this.lr[i]);
    const g = signal ? lrGroup(this.lr[i]) : -1;
    return { irq: g === 1, fiq: g === 0, maintenance: (this.hcr & HCR_EN) !== 0 && this.misr() !== 0 };
  }

  /** An ICH_* register, or the ICV_* view of an ICC register (named by its ICC name). */
  read(name: string): bigint | undefined {
    const lrn = /^ICH_LR([0-3])_EL2$/.exec(name);
    if (lrn) return this.lr[Number(lrn[1])];
    switch (name) {
      case 'ICH_HCR_EL2': return BigInt(this.hcr >>> 0);
      case 'ICH_VTR_EL2': return BigInt(ICH_VTR >>> 0);
      case 'ICH_VMCR_EL2': return BigInt(this.vmcr >>> 0);
      case 'ICH_MISR_EL2': return BigInt(this.misr());
      case 'ICH_EISR_EL2': return BigInt(this.eisr());
      case 'ICH_ELRSR_EL2': return BigInt(this.elrsr());
      case 'ICH_AP0R0_EL2': case 'ICC_AP0R0_EL1': return BigInt(this.apr[0]);
      case 'ICH_AP1R0_EL2': case 'ICC_AP1R0_EL1': return BigInt(this.apr[1]);
      case 'ICC_PMR_EL1': return BigInt(this.vpmr());
      case 'ICC_IAR0_EL1': return BigInt(this.acknowledge(0));
      case 'ICC_IAR1_EL1': return BigInt(this.acknowledge(1));
      case 'ICC_HPPIR0_EL1': return BigInt(this.hppir(0));
      case 'ICC_HPPIR1_EL1': return BigInt(this.hppir(1));
      case 'ICC_BPR0_EL1': return BigInt(this.vbpr(0));
      // With VCBPR, BPR1 reads as BPR0 + 1 (saturated) and ignores writes.
      case 'ICC_BPR1_EL1': return BigInt(this.vmcr & VCBPR ? Math.min(this.vbpr(0) + 1, 7) : this.vbpr(1));
      case 'ICC_RPR_EL1': return BigInt(this.runningPriority());
      case 'ICC_CTLR_EL1': return BigInt(ICC_CTLR_FIXED | (this.vmcr & VCBPR ? CBPR : 0) | (this.vmcr & VEOIM ? EOIMODE : 0));
      case 'ICC_IGRPEN0_EL1': return BigInt(this.vmcr & VENG0);
      case 'ICC_IGRPEN1_EL1': return BigInt((this.vmcr & VENG1) >> 1);
    }
    return undefined;
  }

  /** The write counterpart of read(); false if `name` is not served. */
  write(name: string, v: bigint): boolean {
    const x = u32(v);
    const lrn = /^ICH_LR([0-3])_EL2$/.exec(name);
    if (lrn) {
      this.lr[Number(lrn[1])] = v & ~LR_PRIO_RES0;
      return true;
    }
    switch (name) {
      case 'ICH_HCR_EL2': this.hcr = x; break;
      case 'ICH_VMCR_EL2':
        this.vmcr = ((x & VMCR_WRITABLE) | VFIQEN) >>> 0;
        this.setVbpr(0, this.vbpr(0));
        this.setVbpr(1, this.vbpr(1));
        break;
      case 'ICH_AP0R0_EL2': case 'ICC_AP0R0_EL1': this.apr[0] = x; break;
      case 'ICH_AP1R0_EL2': case 'ICC_AP1R0_EL1': this.apr[1] = x; break;
      case 'ICC_PMR_EL1': this.vmcr = ((this.vmcr & ~(0xff << VPMR_SHIFT)) | ((x & PMR_MASK) << VPMR_SHIFT)) >>> 0; break;
      case 'ICC_EOIR0_EL1': this.endOfInterrupt(0, x); break;
      case 'ICC_EOIR1_EL1': this.endOfInterrupt(1, x); break;
      case 'ICC_DIR_EL1': this.deactivateByDir(x); break;
      case 'ICC_BPR0_EL1': this.setVbpr(0, x & 7); break;
      case 'ICC_BPR1_EL1': if (!(this.vmcr & VCBPR)) this.setVbpr(1, x & 7); break;
      case 'ICC_CTLR_EL1': this.vmcr = (this.vmcr & ~(VCBPR | VEOIM)) | (x & CBPR ? VCBPR : 0) | (x & EOIMODE ? VEOIM : 0); break;
      case 'ICC_IGRPEN0_EL1': this.vmcr = (this.vmcr & ~VENG0) | (x & 1); break;
      case 'ICC_IGRPEN1_EL1': this.vmcr = (this.vmcr & ~VENG1) | ((x & 1) << 1); break;
      default: return false;
    }
    return true;
  }

  private vpmr(): number {
    return this.vmcr >>> VPMR_SHIFT;
  }

  private vbpr(g: number): number {
    return (this.vmcr >>> (g ? VBPR1_SHIFT : VBPR0_SHIFT)) & 7;
  }

  /** Writing a binary point below the minimum sets the minimum. */
  private setVbpr(g: number, bpr: number): void {
    const shift = g ? VBPR1_SHIFT : VBPR0_SHIFT;
    this.vmcr = ((this.vmcr & ~(7 << shift)) | (Math.max(bpr, BPR_MIN[g]) << shift)) >>> 0;
  }

  /** Bits of a priority that count for preemption in group g. */
  private groupPriorityMask(g: number): number {
    const bpr = g === 0 || this.vmcr & VCBPR ? this.vbpr(0) : this.vbpr(1) - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  private runningPriority(): number {
    const a = this.apr[0] | this.apr[1];
    return a === 0 ? IDLE : ctz(a) << APR_SHIFT;
  }

  /** The list register of the highest-priority pending (not active) interrupt of an enabled group, or -1. */
  private highestPending(): number {
    let best = -1, prio = IDLE;
    for (let i = 0; i < NUM_LR; i++) {
      const lr = this.lr[i];
      if ((lr & LR_STATE) !== LR_PENDING || !(this.vmcr & (lrGroup(lr) ? VENG1 : VENG0))) continue;
      if (lrPriority(lr) < prio) {
        prio = lrPriority(lr);
        best = i;
      }
    }
    return best;
  }

  private canSignal(lr: bigint): boolean {
    const prio = lrPriority(lr);
    if (!(this.hcr & HCR_EN) || prio >= this.vpmr()) return false;
    const running = this.runningPriority();
    const mask = this.groupPriorityMask(lrGroup(lr));
    return running === IDLE || (prio & mask) < (running & mask);
  }

  private hppir(g: number): number {
    const i = this.highestPending();
    return i >= 0 && lrGroup(this.lr[i]) === g ? lrVintid(this.lr[i]) : SPURIOUS;
  }

  /** ICV_IAR<g>: the signalled list register goes pending → active and its priority becomes active. */
  private acknowledge(g: number): number {
    const i = this.highestPending();
    if (i < 0 || lrGroup(this.lr[i]) !== g || !this.canSignal(this.lr[i])) return SPURIOUS;
    const intid = lrVintid(this.lr[i]);
    if (isSpecial(intid)) {
      this.lr[i] &= ~LR_PENDING; // a special INTID in a list register is consumed, not activated
      return intid;
    }
    this.lr[i] = (this.lr[i] & ~LR_PENDING) | LR_ACTIVE;
    this.apr[g] |= 1 << ((lrPriority(this.lr[i]) & this.groupPriorityMask(g)) >> APR_SHIFT);
    return intid;
  }

  /** Drops the highest active priority (Group 0 first among equals); its priority, or idle if none was active. */
  private dropPriority(): number {
    const c0 = ctz(this.apr[0]), c1 = ctz(this.apr[1]);
    if (c0 === 32 && c1 === 32) return IDLE;
    const g = c0 <= c1 ? 0 : 1;
    this.apr[g] &= this.apr[g] - 1;
    return Math.min(c0, c1) << APR_SHIFT;
  }

  private findActive(intid: number): number {
    for (let i = 0; i < NUM_LR; i++) if (this.lr[i] & LR_ACTIVE && lrVintid(this.lr[i]) === intid) return i;
    return -1;
  }

  /**
   * ICV_EOIR<g>: drops the priority and, with VEOIM = 0, deactivates the list
   * register when it holds this INTID in group g at the dropped priority.
   */
  private endOfInterrupt(g: number, v: number): void {
    const intid = v & 0xffffff;
    if (isSpecial(intid)) return;
    const dropped = this.dropPriority();
    if (dropped === IDLE) return;
    const i = this.findActive(intid);
    if (i < 0) return this.countEoi();
    const lr = this.lr[i];
    if (lrGroup(lr) === g && (lrPriority(lr) & this.groupPriorityMask(g)) === dropped && !(this.vmcr & VEOIM)) this.deactivate(i);
  }

  /** ICV_DIR: deactivation, with VEOIM = 1 only. */
  private deactivateByDir(v: number): void {
    const intid = v & 0xffffff;
    if (intid >= NUM_IRQ || !(this.vmcr & VEOIM)) return;
    const i = this.findActive(intid);
    if (i < 0) this.countEoi();
    else this.deactivate(i);
  }

  /** Active → invalid, pending and active → pending; with HW = 1 the physical INTID is deactivated too. */
  private deactivate(i: number): void {
    const lr = this.lr[i];
    if (lr & LR_HW && lrPintid(lr) < 1020) this.deactivatePhysical(lrPintid(lr));
    this.lr[i] = lr & ~LR_ACTIVE;
  }

  private countEoi(): void {
    const count = (((this.hcr & EOICOUNT_MASK) >>> EOICOUNT_SHIFT) + 1) & 0x1f;
    this.hcr = ((this.hcr & ~EOICOUNT_MASK) | (count << EOICOUNT_SHIFT)) >>> 0;
  }

  /** List registers deactivated by the guest that asked for a maintenance interrupt: invalid, HW = 0, EOI = 1. */
  private eisr(): number {
    let v = 0;
    for (let i = 0; i < NUM_LR; i++) if ((this.lr[i] & (LR_STATE | LR_HW | LR_EOI)) === LR_EOI) v |= 1 << i;
    return v;
  }

  /** List registers free for a new interrupt: invalid and not waiting for an EOI maintenance interrupt. */
  private elrsr(): number {
    let v = 0;
    for (let i = 0; i < NUM_LR; i++) if ((this.lr[i] & (LR_STATE | LR_HW | LR_EOI)) === 0n || (this.lr[i] & (LR_STATE | LR_HW)) === LR_HW) v |= 1 << i;
    return v;
  }

  /** The maintenance conditions that hold and are enabled in ICH_HCR_EL2. */
  private misr(): number {
    let valid = 0, pending = false;
    for (const lr of this.lr) {
      if (lr & LR_STATE) valid++;
      if ((lr & LR_STATE) === LR_PENDING) pending = true;
    }
    const h = this.hcr, m = this.vmcr;
    let v = this.eisr() ? MISR_EOI : 0;
    if (h & HCR_UIE && valid < 2) v |= MISR_U;
    if (h & HCR_LRENPIE && h & EOICOUNT_MASK) v |= MISR_LRENP;
    if (h & HCR_NPIE && !pending) v |= MISR_NP;
    if (h & HCR_VGRP0EIE && m & VENG0) v |= MISR_VGRP0E;
    if (h & HCR_VGRP0DIE && !(m & VENG0)) v |= MISR_VGRP0D;
    if (h & HCR_VGRP1EIE && m & VENG1) v |= MISR_VGRP1E;
    if (h & HCR_VGRP1DIE && !(m & VENG1)) v |= MISR_VGRP1D;
    return v;
  }
}
