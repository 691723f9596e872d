// GICv3 as QEMU's virt machine has it with gic-version=3 and no EL3
// (hw/intc/arm_gicv3*.c; reset values and the acknowledge/EOI flow checked on
// qemu-system-aarch64 7.2): one CPU, one Security state (GICD_CTLR.DS = 1,
// affinity routing always on), INTIDs 0–287 (16 SGIs, 16 PPIs, 256 SPIs) and
// five priority bits. Group 0 is signalled as FIQ, Group 1 as IRQ. Physical
// side only: no LPIs or ITS (QEMU has them, so its GICD_TYPER.LPIS,
// GICR_TYPER.PLPIS and GICR_CTLR.CES read 1 where these read 0).
//
// As in QEMU, the redistributor picks one highest-priority pending interrupt
// (enabled, not active, its group enabled in GICD_CTLR, SPIs routed to this
// CPU; the lowest INTID among equals) and the CPU interface signals it when
// ICC_IGRPEN<g>_EL1 enables its group and its priority beats both the
// priority mask and the running priority. A pending interrupt of the other
// group waits behind it. The GICR_WAKER handshake completes at once and, as
// in QEMU, does not gate delivery.
//
// MMIO accesses as QEMU serves them: 4 bytes for every register, 1 byte for
// the priority bytes, 8 bytes for GICD_IROUTER<n> and GICR_TYPER. Any other
// size, a misaligned access or a reserved offset reads as zero and ignores
// writes.
//
// The virtual CPU interface (GICv3 virtualization without vLPIs) is
// VirtualInterface in gicv3-virt.ts: four list registers through which EL2
// presents virtual interrupts to an EL1 guest.
import type { Device } from './device.js';
import { F } from '../generated/sysregs.js';
import { NUM_IRQ, SPURIOUS, IDLE, PMR_MASK, APR_SHIFT, BPR_MIN, CBPR, EOIMODE, ICC_CTLR_FIXED, ctz, u32 } from './gic-common.js';
import { VirtualInterface } from './gicv3-virt.js';

export const GICD_BASE = 0x0800_0000;
export const GICR_BASE = 0x080a_0000;

const WORDS = NUM_IRQ / 32;

const EN_GRP0 = 1, EN_GRP1 = 2, ARE = 1 << 4, DS = 1 << 6;
/** GICD_TYPER: No1N, A3V, IDbits = 15. ITLinesNumber = 7 is QEMU's value for 256 SPIs (it counts SPIs, not INTIDs). */
const GICD_TYPER = (1 << 25) | (1 << 24) | (0xf << 19) | 7;
/** GICD_IIDR and GICR_IIDR: Arm, r0p0, like a GIC-500 r0p0. */
const IIDR = 0x43b;
/** GICR_TYPER: affinity 0.0.0.0, processor 0, Last; CommonLPIAff = 1 as QEMU sets it. */
const GICR_TYPER = (1n << 24n) | (1n << 4n);
const PROCESSOR_SLEEP = 2, CHILDREN_ASLEEP = 4;
/** CoreSight IDs at 0xFFD0: PIDR4–7, PIDR0–3, CIDR0–3. PIDR0 (-1 here) names the frame; PIDR2.ArchRev = 3. */
const ID_REGS = [0x44, 0, 0, 0, -1, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1];
const PIDR0_DIST = 0x92, PIDR0_REDIST = 0x93;
/** The SGI_base frame of the redistributor. */
const SGI_FRAME = 0x10000;
const IROUTER = 0x6000, IROUTER_END = 0x7fe0;
/** IROUTER's affinity fields (Aff3, Aff2.Aff1.Aff0); all zero names this CPU. IRM is ignored, as QEMU does. */
const IROUTER_AFF = 0xff_00ff_ffffn;

/** The virt machine's GIC maintenance interrupt: PPI 9. */
export const MAINTENANCE_INTID = 25;

/** What the machine passes with a hooked access: the EL it comes from and HCR_EL2, which pick the ICC or the ICV view. */
export interface AccessContext {
  el: number;
  hcr: bigint;
}

const H = F.HCR_EL2;
const IMO = H.IMO.mask, FMO = H.FMO.mask;
/**
 * The ICC registers an EL1 access reaches through the virtual interface, and
 * the HCR_EL2 bits that make it do so: FMO for Group 0, IMO for Group 1,
 * either for the common ones.
 */
const VIRTUAL_WHEN: Record<string, bigint> = {
  ICC_IAR0_EL1: FMO, ICC_EOIR0_EL1: FMO, ICC_HPPIR0_EL1: FMO, ICC_BPR0_EL1: FMO, ICC_AP0R0_EL1: FMO, ICC_IGRPEN0_EL1: FMO,
  ICC_IAR1_EL1: IMO, ICC_EOIR1_EL1: IMO, ICC_HPPIR1_EL1: IMO, ICC_BPR1_EL1: IMO, ICC_AP1R0_EL1: IMO, ICC_IGRPEN1_EL1: IMO,
  ICC_PMR_EL1: IMO | FMO, ICC_RPR_EL1: IMO | FMO, ICC_CTLR_EL1: IMO | FMO, ICC_DIR_EL1: IMO | FMO,
};

/** Whether an access to `name` is served by the virtual interface: from EL1 with HCR_EL2 routing its group (TGE routes both). */
function isVirtual(name: string, ctx: AccessContext | undefined): boolean {
  if (ctx?.el !== 1) return false;
  const hcr = ctx.hcr & H.TGE.mask ? ctx.hcr | IMO | FMO : ctx.hcr;
  return ((VIRTUAL_WHEN[name] ?? 0n) & hcr) !== 0n;
}


export class GicV3 {
  /** Called after any change of irqPending(), fiqPending(), virtualIrqPending() or virtualFiqPending(). */
  onChange: () => void = () => {};
  readonly distributor: Device;
  readonly redistributor: Device;

  // Per-INTID state, one bit each in 32-bit words: word 0 is the
  // redistributor's SGIs and PPIs, words 1–8 the distributor's SPIs.
  private readonly group = new Uint32Array(WORDS); // 1 = Group 1
  private readonly enabled = new Uint32Array(WORDS);
  private readonly pending = new Uint32Array(WORDS); // the latch; level-sensitive inputs add their line
  private readonly active = new Uint32Array(WORDS);
  private readonly edge = new Uint32Array(WORDS); // 1 = edge-triggered
  private readonly level = new Uint32Array(WORDS); // input lines
  private readonly routed = new Uint32Array(WORDS).fill(~0); // SPIs whose IROUTER names this CPU
  private readonly priority = new Uint8Array(NUM_IRQ);
  private readonly irouter = new BigUint64Array(NUM_IRQ);
  private gicdCtlr = DS | ARE;
  private waker = PROCESSOR_SLEEP | CHILDREN_ASLEEP;

  // CPU interface.
  private pmr = 0;
  private readonly bpr = [...BPR_MIN];
  private iccCtlr = 0;
  private readonly igrpen = [0, 0];
  private readonly apr = new Uint32Array(2); // ICC_AP0R0_EL1, ICC_AP1R0_EL1

  // The highest-priority pending interrupt and the outputs, recomputed after every change.
  private hpIrq = SPURIOUS;
  private hpPrio = IDLE;
  private hpGroup = 0;
  private irq = false;
  private fiq = false;

  /** An LR with HW = 1 deactivates its physical INTID when the guest deactivates the virtual one. */
  private readonly virt = new VirtualInterface((intid) => {
    if (intid < NUM_IRQ) this.active[intid >> 5] &= ~(1 << (intid & 31));
  });
  private virq = false;
  private vfiq = false;

  constructor() {
    this.edge[0] = 0xffff; // SGIs are edge-triggered; PPIs and SPIs reset to level-sensitive
    this.distributor = {
      name: 'gicv3-distributor', base: GICD_BASE, size: 0x10000,
      read: (offset, size) => this.distRead(offset, size),
      write: (offset, size, v) => { this.distWrite(offset, size, BigInt.asUintN(64, v)); this.update(); },
    };
    this.redistributor = {
      name: 'gicv3-redistributor', base: GICR_BASE, size: 0x20000,
      read: (offset, size) => this.redistRead(offset, size),
      write: (offset, size, v) => { this.redistWrite(offset, size, BigInt.asUintN(64, v)); this.update(); },
    };
  }

  /** The CPU interface asserts IRQ: the interrupt it signals is Group 1. */
  irqPending(): boolean {
    return this.irq;
  }

  /** The CPU interface asserts FIQ: the interrupt it signals is Group 0. */
  fiqPending(): boolean {
    return this.fiq;
  }

  /** The virtual CPU interface asserts vIRQ to the core: a Group 1 list register it may signal. */
  virtualIrqPending(): boolean {
    return this.virq;
  }

  /** The virtual CPU interface asserts vFIQ: a Group 0 list register it may signal. */
  virtualFiqPending(): boolean {
    return this.vfiq;
  }

  /** Drives the input line of a PPI (16–31, this CPU's) or an SPI (32–287). */
  setLevel(intid: number, level: boolean): void {
    if (!Number.isInteger(intid) || intid < 16 || intid >= NUM_IRQ) throw new RangeError(`GICv3: INTID ${intid} has no input line`);
    if (this.drive(intid, level)) this.update();
  }

  /** Sets an input line; true if it changed. */
  private drive(intid: number, level: boolean): boolean {
    const w = intid >> 5, b = 1 << (intid & 31);
    if (((this.level[w] & b) !== 0) === level) return false;
    if (level) {
      this.level[w] |= b;
      if (this.edge[w] & b) this.pending[w] |= b; // a rising edge latches an edge-triggered interrupt
    } else {
      this.level[w] &= ~b;
    }
    return true;
  }

  /**
   * Serves a hooked ICC_* or ICH_* register read; undefined if `name` is not
   * one the GIC serves. Without `ctx` an ICC access is physical.
   */
  readReg(name: string, ctx?: AccessContext): bigint | undefined {
    if (isVirtual(name, ctx) || name.startsWith('ICH_')) {
      const r = this.virt.read(name);
      this.update(); // ICV_IAR acknowledges
      return r;
    }
    switch (name) {
      case 'ICC_PMR_EL1': return BigInt(this.pmr);
      case 'ICC_IAR0_EL1': return BigInt(this.acknowledge(0));
      case 'ICC_IAR1_EL1': return BigInt(this.acknowledge(1));
      case 'ICC_HPPIR0_EL1': return BigInt(this.highestPending(0));
      case 'ICC_HPPIR1_EL1': return BigInt(this.highestPending(1));
      case 'ICC_BPR0_EL1': return BigInt(this.bpr[0]);
      // With CBPR, BPR1 reads as BPR0 + 1 (saturated) and ignores writes.
      case 'ICC_BPR1_EL1': return BigInt(this.iccCtlr & CBPR ? Math.min(this.bpr[0] + 1, 7) : this.bpr[1]);
      case 'ICC_AP0R0_EL1': return BigInt(this.apr[0]);
      case 'ICC_AP1R0_EL1': return BigInt(this.apr[1]);
      case 'ICC_RPR_EL1': return BigInt(this.runningPriority());
      case 'ICC_CTLR_EL1': return BigInt(ICC_CTLR_FIXED | this.iccCtlr);
      case 'ICC_SRE_EL1': return 0x7n; // SRE, DFB, DIB: RAO/WI
      case 'ICC_SRE_EL2': return 0xfn; // and Enable
      case 'ICC_IGRPEN0_EL1': return BigInt(this.igrpen[0]);
      case 'ICC_IGRPEN1_EL1': return BigInt(this.igrpen[1]);
    }
    return undefined;
  }

  /** Serves a hooked ICC_* or ICH_* register write; false if `name` is not one the GIC serves. */
  writeReg(name: string, v: bigint, ctx?: AccessContext): boolean {
    if (isVirtual(name, ctx) || name.startsWith('ICH_')) {
      if (!this.virt.write(name, v)) return false;
      this.update();
      return true;
    }
    switch (name) {
      case 'ICC_PMR_EL1': this.pmr = u32(v) & PMR_MASK; break;
      case 'ICC_EOIR0_EL1': this.endOfInterrupt(0, v); break;
      case 'ICC_EOIR1_EL1': this.endOfInterrupt(1, v); break;
      case 'ICC_BPR0_EL1': this.bpr[0] = Math.max(u32(v) & 7, BPR_MIN[0]); break;
      case 'ICC_BPR1_EL1': if (!(this.iccCtlr & CBPR)) this.bpr[1] = Math.max(u32(v) & 7, BPR_MIN[1]); break;
      case 'ICC_AP0R0_EL1': this.apr[0] = u32(v); break;
      case 'ICC_AP1R0_EL1': this.apr[1] = u32(v); break;
      case 'ICC_DIR_EL1': this.deactivateByDir(v); break;
      case 'ICC_SGI1R_EL1': this.generateSgi(v); break;
      case 'ICC_CTLR_EL1': this.iccCtlr = u32(v) & (CBPR | EOIMODE); break;
      case 'ICC_SRE_EL1': case 'ICC_SRE_EL2': break;
      case 'ICC_IGRPEN0_EL1': this.igrpen[0] = u32(v) & 1; break;
      case 'ICC_IGRPEN1_EL1': this.igrpen[1] = u32(v) & 1; break;
      default: return false;
    }
    this.update();
    return true;
  }

  // --- CPU interface ---

  private groupOf(intid: number): number {
    return (this.group[intid >> 5] >>> (intid & 31)) & 1;
  }

  /** Bits of a priority that count for preemption in a group (GroupBits: BPR0, or BPR1 - 1, or BPR0 with CBPR). */
  private groupPriorityMask(g: number): number {
    const bpr = g === 0 || this.iccCtlr & CBPR ? this.bpr[0] : this.bpr[1] - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** The priority of the highest active priority bit of either group, or idle. */
  private runningPriority(): number {
    const a = this.apr[0] | this.apr[1];
    return a === 0 ? IDLE : ctz(a) << APR_SHIFT;
  }

  /** Whether the highest-priority pending interrupt is signalled to the core. */
  private canSignal(): boolean {
    if (this.hpPrio === IDLE || !this.igrpen[this.hpGroup] || this.hpPrio >= this.pmr) return false;
    const running = this.runningPriority();
    const mask = this.groupPriorityMask(this.hpGroup);
    return running === IDLE || (this.hpPrio & mask) < (running & mask);
  }

  /** HPPIR<g>: the highest-priority pending interrupt if it is of group g and the group is enabled; PMR does not matter. */
  private highestPending(g: number): number {
    return this.hpPrio !== IDLE && this.hpGroup === g && this.igrpen[g] ? this.hpIrq : SPURIOUS;
  }

  /** IAR<g>: takes the signalled interrupt if it is of group g (pending → active, its priority becomes active). */
  private acknowledge(g: number): number {
    if (!this.canSignal() || this.hpGroup !== g) return SPURIOUS;
    const intid = this.hpIrq, w = intid >> 5, b = 1 << (intid & 31);
    this.apr[g] |= 1 << ((this.hpPrio & this.groupPriorityMask(g)) >> APR_SHIFT);
    this.active[w] |= b;
    this.pending[w] &= ~b;
    this.update();
    return intid;
  }

  /**
   * EOIR<g>: drops the highest active priority if it belongs to group g and, with
   * EOImode = 0, deactivates the INTID written (software must EOI in nesting order).
   */
  private endOfInterrupt(g: number, v: bigint): void {
    const intid = u32(v) & 0xffffff;
    if (intid >= NUM_IRQ) return; // spurious IDs 1020–1023 are ignored
    const c0 = ctz(this.apr[0]), c1 = ctz(this.apr[1]);
    const highest = c1 < c0 ? 1 : c0 < 32 ? 0 : -1;
    if (highest !== g) return;
    this.apr[g] &= this.apr[g] - 1;
    if (!(this.iccCtlr & EOIMODE)) this.active[intid >> 5] &= ~(1 << (intid & 31));
  }

  /** DIR: deactivation, only meaningful with EOImode = 1 (QEMU ignores it otherwise). */
  private deactivateByDir(v: bigint): void {
    const intid = u32(v) & 0xffffff;
    if (intid < NUM_IRQ && this.iccCtlr & EOIMODE) this.active[intid >> 5] &= ~(1 << (intid & 31));
  }

  /**
   * SGI1R: a Group 1 SGI to the PEs of the target list at Aff3.Aff2.Aff1, or to
   * every other PE with IRM = 1. This CPU is 0.0.0.0 and the only one. An SGI
   * configured as Group 0 is not raised (that takes ICC_SGI0R_EL1), as in QEMU.
   */
  private generateSgi(v: bigint): void {
    const intid = Number((v >> 24n) & 0xfn);
    const toOthers = (v >> 40n) & 1n;
    const aff321 = v & 0x00ff_00ff_00ff_0000n;
    if (toOthers || aff321 !== 0n || !(v & 1n) || !this.groupOf(intid)) return;
    this.pending[0] |= 1 << intid;
  }

  /** Recomputes the highest-priority pending interrupt and the outputs; reports a change of the outputs. */
  private update(): void {
    const v = this.virt.signals();
    this.drive(MAINTENANCE_INTID, v.maintenance);
    let best = SPURIOUS, prio = IDLE;
    const en0 = this.gicdCtlr & EN_GRP0 ? ~0 : 0, en1 = this.gicdCtlr & EN_GRP1 ? ~0 : 0;
    for (let w = 0; w < WORDS; w++) {
      const g = this.group[w];
      let pend = (this.pending[w] | (this.level[w] & ~this.edge[w])) & this.enabled[w] & ~this.active[w] & this.routed[w];
      pend &= (g & en1) | (~g & en0);
      for (; pend !== 0; pend &= pend - 1) {
        const intid = (w << 5) | ctz(pend);
        if (this.priority[intid] < prio) {
          prio = this.priority[intid];
          best = intid;
        }
      }
    }
    this.hpIrq = best;
    this.hpPrio = prio;
    this.hpGroup = best === SPURIOUS ? 0 : this.groupOf(best);
    const signal = this.canSignal();
    const irq = signal && this.hpGroup === 1, fiq = signal && this.hpGroup === 0;
    if (irq === this.irq && fiq === this.fiq && v.irq === this.virq && v.fiq === this.vfiq) return;
    this.irq = irq;
    this.fiq = fiq;
    this.virq = v.irq;
    this.vfiq = v.fiq;
    this.onChange();
  }

  // --- registers shared by the distributor and the redistributor's SGI frame ---

  /** Offsets 0x080–0x3FF, word w: IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER by offset >> 7. */
  private bitmapRead(block: number, w: number): number {
    switch (block) {
      case 1: return this.group[w];
      case 2: case 3: return this.enabled[w];
      case 4: case 5: return (this.pending[w] | (this.level[w] & ~this.edge[w])) >>> 0;
      default: return this.active[w];
    }
  }

  private bitmapWrite(block: number, w: number, v: number): void {
    switch (block) {
      case 1: this.group[w] = v; break;
      case 2: this.enabled[w] |= v; break;
      case 3: this.enabled[w] &= ~v; break;
      case 4: this.pending[w] |= v; break;
      case 5: this.pending[w] &= ~v; break;
      case 6: this.active[w] |= v; break;
      case 7: this.active[w] &= ~v; break;
    }
  }

  private priorityWord(intid: number): number {
    const p = this.priority;
    return (p[intid] | (p[intid + 1] << 8) | (p[intid + 2] << 16) | (p[intid + 3] << 24)) >>> 0;
  }

  private setPriorityWord(intid: number, v: number): void {
    for (let i = 0; i < 4; i++) this.priority[intid + i] = v >>> (8 * i);
  }

  /** ICFGR<k>: two bits per INTID 16k..16k+15, the upper one set for edge-triggered. */
  private cfgRead(k: number): number {
    const bits = (this.edge[k >> 1] >>> ((k & 1) * 16)) & 0xffff;
    let v = 0;
    for (let i = 0; i < 16; i++) if (bits & (1 << i)) v |= 2 << (2 * i);
    return v >>> 0;
  }

  private cfgWrite(k: number, v: number): void {
    let bits = 0;
    for (let i = 0; i < 16; i++) if (v & (2 << (2 * i))) bits |= 1 << i;
    const w = k >> 1, shift = (k & 1) * 16;
    this.edge[w] = (this.edge[w] & ~(0xffff << shift)) | (bits << shift);
  }

  private idReg(offset: number, pidr0: number): number {
    const v = ID_REGS[(offset - 0xffd0) >> 2];
    return v < 0 ? pidr0 : v;
  }

  // --- distributor ---

  private irouterOf(intid: number): bigint {
    return intid >= 32 && intid < NUM_IRQ ? this.irouter[intid] : 0n;
  }

  private setIrouter(intid: number, v: bigint): void {
    if (intid < 32 || intid >= NUM_IRQ) return;
    this.irouter[intid] = v;
    const w = intid >> 5, b = 1 << (intid & 31);
    this.routed[w] = (v & IROUTER_AFF) === 0n ? this.routed[w] | b : this.routed[w] & ~b;
  }

  private distRead(offset: number, size: number): bigint {
    if (offset & (size - 1)) return 0n;
    if (size === 8) return offset >= IROUTER && offset < IROUTER_END ? this.irouterOf((offset - IROUTER) >> 3) : 0n;
    if (size === 1) {
      const intid = offset - 0x400;
      return BigInt(intid >= 32 && intid < NUM_IRQ ? this.priority[intid] : 0);
    }
    return size === 4 ? BigInt(this.distRead32(offset)) : 0n;
  }

  private distRead32(offset: number): number {
    switch (offset) {
      case 0x0: return this.gicdCtlr;
      case 0x4: return GICD_TYPER;
      case 0x8: return IIDR;
    }
    if (offset >= 0x80 && offset < 0x400) {
      const w = (offset & 0x7f) >> 2; // word 0 (SGIs, PPIs) lives in the redistributor: RAZ/WI here
      return w > 0 && w < WORDS ? this.bitmapRead(offset >> 7, w) : 0;
    }
    if (offset >= 0x400 && offset < 0x800) {
      const intid = offset - 0x400;
      return intid >= 32 && intid < NUM_IRQ ? this.priorityWord(intid) : 0;
    }
    if (offset >= 0xc00 && offset < 0xd00) {
      const k = (offset - 0xc00) >> 2;
      return k >= 2 && k < NUM_IRQ / 16 ? this.cfgRead(k) : 0;
    }
    if (offset >= IROUTER && offset < IROUTER_END) {
      const r = this.irouterOf((offset - IROUTER) >> 3);
      return u32(offset & 4 ? r >> 32n : r);
    }
    return offset >= 0xffd0 ? this.idReg(offset, PIDR0_DIST) : 0;
  }

  private distWrite(offset: number, size: number, value: bigint): void {
    if (offset & (size - 1)) return;
    if (size === 8) {
      if (offset >= IROUTER && offset < IROUTER_END) this.setIrouter((offset - IROUTER) >> 3, value);
    } else if (size === 1) {
      const intid = offset - 0x400;
      if (intid >= 32 && intid < NUM_IRQ) this.priority[intid] = Number(value & 0xffn);
    } else if (size === 4) {
      this.distWrite32(offset, u32(value));
    }
  }

  private distWrite32(offset: number, v: number): void {
    if (offset === 0x0) {
      // With DS = 1 only the group enables are writable; DS and ARE are RAO/WI.
      this.gicdCtlr = (this.gicdCtlr & ~(EN_GRP0 | EN_GRP1)) | (v & (EN_GRP0 | EN_GRP1));
    } else if (offset >= 0x80 && offset < 0x400) {
      const w = (offset & 0x7f) >> 2;
      if (w > 0 && w < WORDS) this.bitmapWrite(offset >> 7, w, v);
    } else if (offset >= 0x400 && offset < 0x800) {
      const intid = offset - 0x400;
      if (intid >= 32 && intid < NUM_IRQ) this.setPriorityWord(intid, v);
    } else if (offset >= 0xc00 && offset < 0xd00) {
      const k = (offset - 0xc00) >> 2;
      if (k >= 2 && k < NUM_IRQ / 16) this.cfgWrite(k, v);
    } else if (offset >= IROUTER && offset < IROUTER_END) {
      const intid = (offset - IROUTER) >> 3, r = this.irouterOf(intid);
      this.setIrouter(intid, offset & 4 ? (r & 0xffffffffn) | (BigInt(v) << 32n) : (r & ~0xffffffffn) | BigInt(v));
    }
  }

  // --- redistributor: RD_base frame, then the SGI_base frame at +64K ---

  private redistRead(offset: number, size: number): bigint {
    if (offset & (size - 1)) return 0n;
    if (size === 8) return offset === 0x8 ? GICR_TYPER : 0n;
    const sgi = offset - SGI_FRAME;
    if (size === 1) return BigInt(sgi >= 0x400 && sgi < 0x420 ? this.priority[sgi - 0x400] : 0);
    return size === 4 ? BigInt(this.redistRead32(offset)) : 0n;
  }

  private redistRead32(offset: number): number {
    switch (offset) {
      case 0x0: return 0; // GICR_CTLR: no LPIs, and nothing is asynchronous (RWP = UWP = 0)
      case 0x4: return IIDR;
      case 0x8: return u32(GICR_TYPER);
      case 0xc: return u32(GICR_TYPER >> 32n);
      case 0x14: return this.waker;
    }
    if (offset >= 0xffd0 && offset < SGI_FRAME) return this.idReg(offset, PIDR0_REDIST);
    const sgi = offset - SGI_FRAME;
    if (sgi >= 0x80 && sgi < 0x400) return (sgi & 0x7f) === 0 ? this.bitmapRead(sgi >> 7, 0) : 0;
    if (sgi >= 0x400 && sgi < 0x420) return this.priorityWord(sgi - 0x400);
    if (sgi === 0xc00 || sgi === 0xc04) return this.cfgRead((sgi - 0xc00) >> 2);
    return 0;
  }

  private redistWrite(offset: number, size: number, value: bigint): void {
    if (offset & (size - 1)) return;
    const sgi = offset - SGI_FRAME;
    if (size === 1) {
      if (sgi >= 0x400 && sgi < 0x420) this.priority[sgi - 0x400] = Number(value & 0xffn);
      return;
    }
    if (size !== 4) return;
    const v = u32(value);
    if (offset === 0x14) {
      // Only ProcessorSleep is writable; ChildrenAsleep follows it at once (the interface is never busy).
      this.waker = v & PROCESSOR_SLEEP ? PROCESSOR_SLEEP | CHILDREN_ASLEEP : 0;
    } else if (sgi >= 0x80 && sgi < 0x400) {
      if ((sgi & 0x7f) === 0) this.bitmapWrite(sgi >> 7, 0, v);
    } else if (sgi >= 0x400 && sgi < 0x420) {
      this.setPriorityWord(sgi - 0x400, v);
    } else if (sgi === 0xc04) {
      this.cfgWrite(1, v); // PPIs; ICFGR0 (SGIs, always edge) is read-only
    }
  }
}
