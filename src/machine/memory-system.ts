// The machine's memory system: the one owner of the path every access takes.
//   translate: the MMU model (src/mmu: TLBs, walk caches, the walker, whose
//              descriptor fetches go through the cache hierarchy) for the current
//              regime (EL2, or EL1&0 with stage 2 when HCR_EL2.VM); a fault is
//              thrown as the architectural exception;
//   resolve:   the physical bus (RAM pages, device pages, holes; bus-space.ts);
//   charge:    the data-cache hierarchy (src/mem/cache.ts) and the TLB latencies.
// The CPU's host-side TLB (src/core/cpu.ts) sends what it does not hold to
// `lookup` and reports what it does hold (`data`, `fetch`): a host hit is an L1
// TLB hit, since the model's L1 evictions drop the CPU's copies. Every charge is
// returned to the caller (the CPU adds it to its count) and booked here by what
// the access was (the MMU books TLB lookups and descriptor fetches by stage),
// which is what the cycle ledger's categories read (`cycles()`).
// Translation changes come through one entry each: `translationChanged` (an MSR
// to a translation control, `translation: true` in spec/sysregs), `tlbi`, and
// `addressTranslate` (AT). The host TLB is keyed by virtual page alone, so these
// drop it; the model's TLBs need no such flush, their entries carry their tags.
import { Access, PAGE_SIZE, type AccessTiming, type AddressSpace, type HostFill, type Page } from '../core/memory.js';
import type { Cpu } from '../core/cpu.js';
import { ArchException } from '../core/exception.js';
import { SLOT, F } from '../generated/sysregs.js';
import type { CacheHierarchy } from '../mem/cache.js';
import { EL10_REGS, EL2_REGS, STAGE2_REGS, decodeEl10, decodeEl2, decodeStage2 } from '../mmu/regime.js';
import { Mmu, Translated } from '../mmu/mmu.js';
import { KIND_INDEX, type Tlb } from '../mmu/tlb.js';
import type { Timing } from '../spec/timing.js';
import { PhysicalSpace, PA_BITS } from './bus-space.js';
import { addressTranslate, type Regimes } from './address-translate.js';

/** The regime each register a regime is decoded from feeds (a write to it decodes that one again). */
const REGIME_FED = new Map<string, keyof Regimes>([
  ...EL10_REGS.map((r) => [r, 'el10'] as const), ...EL2_REGS.map((r) => [r, 'el2'] as const), ...STAGE2_REGS.map((r) => [r, 's2'] as const),
]);

/** Cycles booked by the memory system, by the ledger's categories. */
export interface MemoryCycles { memory: number; tlb: number; walkS1: number; walkS2: number }

export class MemorySystem implements AddressSpace, AccessTiming {
  readonly mmu: Mmu;
  /** Loads and stores to RAM (the PMU's MEM_ACCESS, with the device accesses). */
  dataAccesses = 0;
  /** Cycles of loads and stores in the cache hierarchy, and of waiting for the store buffer to drain. */
  private memoryCycles = 0;
  /** Cycles of L1 TLB hits served by the host TLB. */
  private tlbCycles = 0;
  private readonly l1d: Tlb;
  private readonly l1i: Tlb;
  private readonly l1dLatency: number;
  private readonly l1iLatency: number;
  private regimes: Regimes | null = null;
  /** What a translation control's write left decoded: null, or the regimes the register does not feed (`translationChanged`). */
  private kept: Partial<Regimes> = {};
  /** HCR_EL2.VM, read when the regimes were decoded (HCR_EL2 is a translation control: a write decodes them again). */
  private hcrVm = false;
  private readonly result = new Translated();
  private cpu!: Cpu;

  constructor(private readonly phys: PhysicalSpace, private readonly caches: CacheHierarchy, timing: Timing) {
    this.mmu = new Mmu(timing, caches, (pa) => phys.descriptor(pa));
    this.mmu.useRam((pa) => phys.ramPage(pa));
    const tlb = this.mmu.tlb;
    this.l1d = tlb.l1d;
    this.l1i = tlb.l1i;
    this.l1dLatency = tlb.config.l1d.latency;
    this.l1iLatency = tlb.config.l1i.latency;
  }

  /**
   * Connects the CPU, once it exists (it is built on this address space): its registers select
   * the regime, its cycle count is when an access issues, and the L1 TLBs' evictions drop its
   * host-side copies.
   */
  attach(cpu: Cpu): void {
    this.cpu = cpu;
    this.l1d.onEvict = (slot, vpn4k) => cpu.dropHostCopies(slot, vpn4k, false);
    this.l1i.onEvict = (slot, vpn4k) => cpu.dropHostCopies(slot, vpn4k, true);
  }

  /** Reads a translation table descriptor from physical memory. */
  readonly descriptor = (pa: number): bigint => this.phys.descriptor(pa);

  /** The translation regimes as the registers now describe them (decoded once per translation change). */
  decode(): Regimes {
    if (this.regimes !== null) return this.regimes;
    const s = this.cpu.sys;
    const opts = { paBits: PA_BITS };
    this.hcrVm = (s[SLOT.HCR_EL2] & F.HCR_EL2.VM.mask) !== 0n;
    const k = this.kept;
    return (this.regimes = {
      el10: k.el10 ?? decodeEl10({ SCTLR_EL1: s[SLOT.SCTLR_EL1], TCR_EL1: s[SLOT.TCR_EL1], TTBR0_EL1: s[SLOT.TTBR0_EL1], TTBR1_EL1: s[SLOT.TTBR1_EL1] }, opts),
      el2: k.el2 ?? decodeEl2({ SCTLR_EL2: s[SLOT.SCTLR_EL2], TCR_EL2: s[SLOT.TCR_EL2], TTBR0_EL2: s[SLOT.TTBR0_EL2] }, opts),
      s2: k.s2 ?? decodeStage2({ VTCR_EL2: s[SLOT.VTCR_EL2], VTTBR_EL2: s[SLOT.VTTBR_EL2] }, opts),
    });
  }

  /**
   * Translates an access at `va` by the current EL through the TLBs and the walker into
   * `this.result` (its cycles too when it faults); throws the fault.
   */
  private translate(va: number, access: Access): number {
    const el = this.cpu.el as 0 | 1 | 2;
    const r = this.decode();
    const vm = el < 2 && this.hcrVm;
    // the CPU's access codes (Read 0, Write 1, Fetch 2) are the walker's
    return this.mmu.translate(va, access, el, el === 2 ? r.el2 : r.el10, vm ? r.s2 : undefined, r.s2.vmid, this.result);
  }

  /** A host-TLB miss: the page behind `va`, what the host TLB may keep of it and the cycles of the translation, into `fill`. */
  lookup(vpn: number, access: Access, va: number, fill: HostFill): Page {
    const t = this.result;
    t.cycles = 0;
    try {
      const pa = this.translate(va, access);
      fill.entry = t.entry;
      fill.writable = t.writable;
      // RAM first (no lookup record to build); devices, holes and faults from the bus
      return this.phys.ramPage(pa) ?? this.phys.pageAt(Math.floor(pa / PAGE_SIZE), access, va);
    } finally {
      fill.cycles = t.cycles; // a walk that faults cost its fetches too
    }
  }

  /** A load or store at offset `off` of RAM page `page`, translated by L1 D TLB entry `entry` (-1: untranslated, or counted by its lookup); returns its cycles. */
  data(entry: number, page: Page, off: number, write: boolean): number {
    this.dataAccesses++;
    const c = this.caches.data(page.pa + off, write, this.cpu.elapsed, page.view);
    this.memoryCycles += c;
    if (entry < 0) return c;
    this.l1d.touch(entry, write ? KIND_INDEX.write : KIND_INDEX.read);
    this.tlbCycles += this.l1dLatency;
    return c + this.l1dLatency;
  }

  /** A basic block fetched from a page translated by L1 I TLB entry `entry` (-1: none); returns its cycles. */
  fetch(entry: number): number {
    if (entry < 0) return 0;
    this.l1i.touch(entry, KIND_INDEX.instruction);
    this.tlbCycles += this.l1iLatency;
    return this.l1iLatency;
  }

  /** Cycles a barrier (DMB, DSB) or an exception entry waits for the store buffer to drain; booked as memory cycles. */
  drain(): number {
    const c = this.caches.drain(this.cpu.elapsed);
    this.memoryCycles += c;
    return c;
  }

  /**
   * DC CIVAC/IVAC: the line holding `va` leaves every cache level (its data is in RAM already).
   * The VA translates as a load's would, through the TLBs: returns what the translation cost and
   * its fault (null: none), which the caller raises once it has charged the cycles.
   */
  invalidateLine(va: number): { cycles: number; fault: ArchException | null } {
    const t = this.result;
    t.cycles = 0;
    try {
      this.caches.invalidate(this.translate(va, Access.Read));
      return { cycles: t.cycles, fault: null };
    } catch (e) {
      if (!(e instanceof ArchException)) throw e;
      return { cycles: t.cycles, fault: e };
    }
  }

  /**
   * An MSR wrote `name`, a translation control: the regimes are decoded again and the host TLB
   * drops what may no longer hold. A context switch (TTBR0_EL1) changes the lower half and the
   * ASID only: global upper-half (kernel) pages stay.
   */
  translationChanged(name: string): void {
    // only the regime the register feeds is decoded again (a context switch rewrites TTBR0_EL1 alone); any other control, all of them
    const fed = REGIME_FED.get(name);
    this.kept = this.regimes === null || fed === undefined ? {} : { ...this.regimes, [fed]: undefined };
    this.regimes = null;
    const l1d = this.l1d, l1i = this.l1i;
    if (name === 'TTBR0_EL1') this.cpu.flushHostTlbKeepingGlobal((e, fetch) => (fetch ? l1i : l1d).isGlobal(e));
    else this.cpu.flushHostTlb();
  }

  /** `TLBI op, Xt`: the model's TLBs and walk caches lose exactly the operation's scope; the host TLB, keyed by VA alone, everything. */
  tlbi(op: string, xt: bigint): void {
    const asid16 = (this.cpu.sys[SLOT.TCR_EL1] & F.TCR_EL1.AS.mask) !== 0n;
    this.mmu.tlbi(op, xt, { vmid: this.decode().s2.vmid, asid16 });
    this.cpu.flushHostTlb();
  }

  /** `AT op, Xt` (op after "AT ": S1E1R, S12E0W…): PAR_EL1 gets the result of a walk that changes no TLB and charges nothing. */
  addressTranslate(op: string, xt: bigint): void {
    addressTranslate(this.cpu, op, xt, this.decode(), this.descriptor);
  }

  /** The cycles booked so far, by the ledger's categories. */
  cycles(): MemoryCycles {
    const m = this.mmu.cycles;
    return { memory: this.memoryCycles, tlb: this.tlbCycles + m.tlb, walkS1: m.walkS1, walkS2: m.walkS2 };
  }
}
