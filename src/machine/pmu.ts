// The Performance Monitors (PMUv3 of Armv8.0): six 32-bit event counters and
// the 64-bit cycle counter, serving the hooked registers of spec/sysregs/pmu.yaml
// (the access rules — PMUSERENR_EL0, MDCR_EL2.TPM/TPMCR, HPMN on direct
// accesses — are the spec's). Counters are derived from the machine's own event
// counts: each holds its value and the source's count at the last change of its
// configuration, so counting costs nothing on the hot path and agrees exactly
// with the stats file. Anything that changes whether a counter counts settles
// every counter first: register writes here, and, from the machine, an EL change
// (elChanged, for the P/U/NSH filters) and an MDCR_EL2 write (mdcrWritten).
import { undefinedInstruction } from '../core/exception.js';

/** The common architectural events the model counts (PMUv3 event numbers). */
export const PMU_EVENTS = {
  SW_INCR: 0x00,
  L1I_TLB_REFILL: 0x01,
  L1D_CACHE_REFILL: 0x03,
  L1D_TLB_REFILL: 0x05,
  INST_RETIRED: 0x08,
  EXC_TAKEN: 0x09,
  EXC_RETURN: 0x0a,
  CPU_CYCLES: 0x11,
  MEM_ACCESS: 0x13,
  L2D_CACHE_REFILL: 0x17,
  L2D_TLB_REFILL: 0x2d,
  DTLB_WALK: 0x34,
  ITLB_WALK: 0x35,
} as const;

export interface PmuEventSource {
  /** Monotonic count since reset of an architectural event (PMUv3 event number), e.g. 0x08 INST_RETIRED, 0x11 CPU_CYCLES. */
  count(event: number): number;
  /** Current EL and MDCR_EL2 value (for HPMN/HPME and the EL filters). */
  el(): number;
  mdcr(): bigint;
}

/** Event counters (PMCR_EL0.N). */
export const PMU_COUNTERS = 6;
/** PMCR_EL0 of a Cortex-A57 (IMP 0x41, IDCODE 0x01) with LC RES1 (no AArch32); N is filled in per access. */
const PMCR_ID = 0x4101_0040n;
const E = 1, P = 2, C = 4, D = 8;
/** PMEVTYPER/PMCCFILTR: P, U, NSH (NSK, NSU, M filter states this machine lacks). */
const F_P = 0x8000_0000, F_U = 0x4000_0000, F_NSH = 0x0800_0000;
const EVT = 0x3ff;
/** Counter index of the cycle counter, and its bit in the PMCNTEN/PMOVS/PMINTEN registers. */
const CC = PMU_COUNTERS;
const CC_BIT = 0x8000_0000;
const SUPPORTED = new Set<number>(Object.values(PMU_EVENTS));
const MDCR_HPME = 0x80n;

const bit = (i: number): number => (i === CC ? CC_BIT : 1 << i);
const u32 = (v: bigint): number => Number(v & 0xffff_ffffn);

export class Pmu {
  private pmcr = 0; // E and D
  private cnten = 0;
  private ovs = 0;
  private inten = 0;
  private sel = 0;
  /** PMEVTYPER<n>, then PMCCFILTR at index CC. */
  private readonly type: number[] = new Array(PMU_COUNTERS + 1).fill(0);
  private readonly value: bigint[] = new Array(PMU_COUNTERS + 1).fill(0n);
  /** The source's count of the counter's event when it was last settled. */
  private readonly mark: number[] = new Array(PMU_COUNTERS + 1).fill(0);
  /** Whether the counter counts its event from the source now (enabled, not filtered out at this EL, supported). */
  private readonly on: boolean[] = new Array(PMU_COUNTERS + 1).fill(false);
  /** Cycles not yet counted by PMCCNTR under PMCR_EL0.D (one count per 64). */
  private divided = 0;
  /** The EL the counters count at: the machine reports changes through elChanged. */
  private el: number;
  /** Some counter is enabled: otherwise an EL change has nothing to settle. */
  private anyEnabled = false;

  constructor(private readonly source: PmuEventSource) {
    this.el = source.el();
  }

  /** Call on every exception entry and return, once the EL changed: counts up to now belong to `from`. */
  elChanged(from: number, to: number): void {
    this.el = to;
    if (this.anyEnabled && from !== to) this.refresh();
  }

  /** Call after MDCR_EL2 is written: HPMN and HPME choose which counters PMCR_EL0.E enables. */
  mdcrWritten(): void {
    this.refresh();
  }

  /** The overflow interrupt request (PMUIRQ, PPI 23 on the virt machine): an enabled counter with its overflow and interrupt enable set. */
  irq(): boolean {
    this.settle();
    for (let i = 0; i <= CC; i++) {
      if (this.ovs & this.inten & bit(i) && this.enabledRange(i)) return true;
    }
    return false;
  }

  /** Serves a hooked PMU register; undefined if the name is not the PMU's. */
  read(hook: string): bigint | undefined {
    if (!hook.startsWith('PM')) return undefined; // the machine asks the PMU first about every hooked register
    const el = this.source.el();
    switch (hook) {
      case 'PMCR_EL0': {
        const n = el === 2 ? PMU_COUNTERS : Number(this.source.mdcr() & 0x1fn);
        return PMCR_ID | (BigInt(n) << 11n) | BigInt(this.pmcr);
      }
      case 'PMCNTENSET_EL0': case 'PMCNTENCLR_EL0': return BigInt((this.cnten & this.visible(el)) >>> 0);
      case 'PMOVSSET_EL0': case 'PMOVSCLR_EL0': this.settle(); return BigInt((this.ovs & this.visible(el)) >>> 0);
      case 'PMINTENSET_EL1': case 'PMINTENCLR_EL1': return BigInt((this.inten & this.visible(el)) >>> 0);
      case 'PMSELR_EL0': return BigInt(this.sel);
      case 'PMXEVTYPER_EL0': return BigInt(this.type[this.sel === 31 ? CC : this.selected(el)] >>> 0);
      case 'PMXEVCNTR_EL0': return this.counter(this.sel === 31 ? this.undefinedSel() : this.selected(el));
      case 'PMCCFILTR_EL0': return BigInt(this.type[CC] >>> 0);
      case 'PMCCNTR_EL0': return this.counter(CC);
    }
    const m = /^PMEV(CNTR|TYPER)(\d)_EL0$/.exec(hook);
    if (!m) return undefined;
    const n = this.accessible(Number(m[2]), el);
    return m[1] === 'CNTR' ? this.counter(n) : BigInt(this.type[n] >>> 0);
  }

  write(hook: string, v: bigint): boolean {
    if (!hook.startsWith('PM')) return false;
    const el = this.source.el();
    const bits = u32(v) & this.visible(el);
    switch (hook) {
      case 'PMCR_EL0': return this.writePmcr(u32(v), el);
      case 'PMCNTENSET_EL0': return this.control(() => (this.cnten |= bits));
      case 'PMCNTENCLR_EL0': return this.control(() => (this.cnten &= ~bits));
      case 'PMOVSSET_EL0': this.settle(); this.ovs |= bits; return true;
      case 'PMOVSCLR_EL0': this.settle(); this.ovs &= ~bits; return true;
      case 'PMINTENSET_EL1': this.inten |= bits; return true;
      case 'PMINTENCLR_EL1': this.inten &= ~bits; return true;
      case 'PMSELR_EL0': this.sel = u32(v) & 0x1f; return true;
      case 'PMSWINC_EL0': this.softwareIncrement(bits, el); return true;
      case 'PMXEVTYPER_EL0': return this.writeType(this.sel === 31 ? CC : this.selected(el), u32(v));
      case 'PMXEVCNTR_EL0': return this.setCounter(this.sel === 31 ? this.undefinedSel() : this.selected(el), v);
      case 'PMCCFILTR_EL0': return this.writeType(CC, u32(v));
      case 'PMCCNTR_EL0': return this.setCounter(CC, v);
    }
    const m = /^PMEV(CNTR|TYPER)(\d)_EL0$/.exec(hook);
    if (!m) return false;
    const n = this.accessible(Number(m[2]), el);
    return m[1] === 'CNTR' ? this.setCounter(n, v) : this.writeType(n, u32(v));
  }

  // --- access helpers

  /** MDCR_EL2.HPMN as a counter count (values above N act as N). */
  private hpmn(): number {
    return Math.min(Number(this.source.mdcr() & 0x1fn), PMU_COUNTERS);
  }

  /** Counter bits an access at `el` sees: at EL0/EL1 the cycle counter and counters below HPMN (the rest RAZ/WI). */
  private visible(el: number): number {
    const n = el === 2 ? PMU_COUNTERS : this.hpmn();
    return (CC_BIT | ((1 << n) - 1)) >>> 0;
  }

  /**
   * Event counter n, for an access at `el`: one beyond the counters, or (at EL0/EL1) reserved
   * for EL2 by HPMN, is CONSTRAINED UNPREDICTABLE; this machine makes it UNDEFINED.
   */
  private accessible(n: number, el: number): number {
    if (n >= PMU_COUNTERS || (el < 2 && n >= this.hpmn())) this.undefinedSel();
    return n;
  }
  /** The counter PMSELR_EL0.SEL selects for PMXEVTYPER/PMXEVCNTR. */
  private selected(el: number): number {
    return this.accessible(this.sel, el);
  }
  /** PMXEVCNTR_EL0 with SEL = 31 (the cycle counter) is CONSTRAINED UNPREDICTABLE: UNDEFINED here. */
  private undefinedSel(): never {
    throw undefinedInstruction();
  }

  // --- controls

  /** A change to what counts: settle every counter under the old controls, change, re-mark under the new ones. */
  private control(change: () => void): true {
    this.settle();
    change();
    this.rearm();
    return true;
  }

  private writePmcr(v: number, el: number): true {
    return this.control(() => {
      if (v & C) {
        this.value[CC] = 0n;
        this.divided = 0;
      }
      // at EL0/EL1 P leaves the counters HPMN reserves for EL2
      if (v & P) for (let i = 0; i < (el === 2 ? PMU_COUNTERS : this.hpmn()); i++) this.value[i] = 0n;
      this.pmcr = v & (E | D);
    });
  }

  private writeType(i: number, v: number): true {
    return this.control(() => (this.type[i] = v & (F_P | F_U | F_NSH | (i === CC ? 0 : EVT))));
  }

  /** Counter i is enabled: PMCNTENSET and, for event counters at or above HPMN, MDCR_EL2.HPME instead of PMCR_EL0.E. */
  private enabled(i: number): boolean {
    return (this.cnten & bit(i)) !== 0 && this.enabledRange(i);
  }
  private enabledRange(i: number): boolean {
    return i !== CC && i >= this.hpmn() ? (this.source.mdcr() & MDCR_HPME) !== 0n : (this.pmcr & E) !== 0;
  }

  /** The P/U/NSH filter lets counter i count at `el`. */
  private counts(i: number, el: number): boolean {
    const t = this.type[i];
    return el === 0 ? !(t & F_U) : el === 1 ? !(t & F_P) : (t & F_NSH) !== 0;
  }

  private event(i: number): number {
    return i === CC ? PMU_EVENTS.CPU_CYCLES : this.type[i] & EVT;
  }

  // --- counting

  /** Brings every counter up to the source's counts. */
  private settle(): void {
    for (let i = 0; i <= CC; i++) this.fold(i);
  }

  /** Settles every counter under the current controls and EL, then re-marks them. */
  private refresh(): void {
    this.settle();
    this.rearm();
  }

  /** Recomputes which counters count from the source, from now (every counter settled before the change). */
  private rearm(): void {
    this.anyEnabled = false;
    for (let i = 0; i <= CC; i++) {
      const ev = this.event(i);
      const enabled = this.enabled(i);
      this.anyEnabled ||= enabled;
      this.on[i] = enabled && this.counts(i, this.el) && ev !== PMU_EVENTS.SW_INCR && SUPPORTED.has(ev);
      if (this.on[i]) this.mark[i] = this.source.count(ev);
    }
  }

  private fold(i: number): void {
    if (!this.on[i]) return;
    const now = this.source.count(this.event(i));
    const d = now - this.mark[i];
    this.mark[i] = now;
    if (d) this.add(i, d);
  }

  /** Adds d events to counter i; an unsigned overflow (of 32 bits, or 64 for PMCCNTR with LC = 1) sets its PMOVS bit. */
  private add(i: number, d: number): void {
    if (i === CC && this.pmcr & D) {
      const total = this.divided + d;
      this.divided = total % 64;
      d = Math.floor(total / 64);
    }
    const width = i === CC ? 64 : 32;
    const sum = this.value[i] + BigInt(d);
    if (sum >> BigInt(width)) this.ovs = (this.ovs | bit(i)) >>> 0;
    this.value[i] = BigInt.asUintN(width, sum);
  }

  private counter(i: number): bigint {
    this.fold(i);
    return this.value[i];
  }

  private setCounter(i: number, v: bigint): true {
    this.fold(i); // an overflow before the write still counts
    this.value[i] = BigInt.asUintN(i === CC ? 64 : 32, v);
    if (this.on[i]) this.mark[i] = this.source.count(this.event(i));
    return true;
  }

  /** PMSWINC_EL0: SW_INCR counters that are enabled and count at this EL go up by one. */
  private softwareIncrement(bits: number, el: number): void {
    for (let i = 0; i < PMU_COUNTERS; i++) {
      if (bits & bit(i) && this.event(i) === PMU_EVENTS.SW_INCR && this.enabled(i) && this.counts(i, el)) this.add(i, 1);
    }
  }
}
