// The machine's address space: virtual addresses translated by the MMU model
// (TLBs, walk caches, walker; src/mmu/mmu.ts) for the current regime (EL2, or
// EL1&0 with stage 2 when HCR_EL2.VM), then resolved on the physical bus. The
// CPU's host-side TLB keeps the model's L1 entry (its slot) with each page it
// caches; the model's L1 evictions drop those copies, so a host hit is always an
// L1 hit. The host TLB is keyed by virtual page alone, so the machine flushes it
// when the regime, the EL, or the tables may change; the model needs no such flush.
import { PAGE_SIZE, type Access, type AddressSpace, type HostFill, type Page } from '../core/memory.js';
import type { Cpu } from '../core/cpu.js';
import { SLOT, F } from '../generated/sysregs.js';
import { decodeEl10, decodeEl2, decodeStage2 } from '../mmu/regime.js';
import { Translated, type Mmu } from '../mmu/mmu.js';
import { PhysicalSpace, PA_BITS } from './bus-space.js';
import type { Regimes } from './address-translate.js';

export class MmuSpace implements AddressSpace {
  private regimes: Regimes | null = null;
  /** HCR_EL2.VM, read when the regimes were decoded (HCR_EL2 is a translation control: a write re-decodes). */
  private hcrVm = false;
  private readonly result = new Translated();

  /** The CPU whose registers select the regime (set once the CPU exists: it needs this space to be built). */
  cpu!: Cpu;

  constructor(private readonly phys: PhysicalSpace, readonly mmu: Mmu) {
    mmu.tlb.l1d.onEvict = (slot, vpn4k) => this.cpu.dropHostData(slot, vpn4k);
    mmu.tlb.l1i.onEvict = (slot) => this.cpu.dropHostFetch(slot);
    mmu.useRam((pa) => phys.ramPage(pa));
  }

  /** Reads a translation table descriptor from physical memory. */
  readonly descriptor = (pa: number): bigint => this.phys.descriptor(pa);

  /** Forget the decoded regimes (a translation control register was written). */
  regimeChanged(): void {
    this.regimes = null;
  }

  decode(): Regimes {
    if (this.regimes !== null) return this.regimes;
    const s = this.cpu.sys;
    const opts = { paBits: PA_BITS };
    this.hcrVm = (s[SLOT.HCR_EL2] & F.HCR_EL2.VM.mask) !== 0n;
    return (this.regimes = {
      el10: decodeEl10({ SCTLR_EL1: s[SLOT.SCTLR_EL1], TCR_EL1: s[SLOT.TCR_EL1], TTBR0_EL1: s[SLOT.TTBR0_EL1], TTBR1_EL1: s[SLOT.TTBR1_EL1] }, opts),
      el2: decodeEl2({ SCTLR_EL2: s[SLOT.SCTLR_EL2], TCR_EL2: s[SLOT.TCR_EL2], TTBR0_EL2: s[SLOT.TTBR0_EL2] }, opts),
      s2: decodeStage2({ VTCR_EL2: s[SLOT.VTCR_EL2], VTTBR_EL2: s[SLOT.VTTBR_EL2] }, opts),
    });
  }

  /** The PA of an access at `va` by the current EL, through the TLBs and the walker (its cycles charged); throws its fault. */
  translate(va: number, access: Access): number {
    const c = this.cpu;
    const el = c.el as 0 | 1 | 2;
    const r = this.decode();
    const vm = el < 2 && this.hcrVm;
    const t = this.result;
    try {
      // the CPU's access codes (Read 0, Write 1, Fetch 2) are the walker's
      return this.mmu.translate(va, access, el, el === 2 ? r.el2 : r.el10, vm ? r.s2 : undefined, r.s2.vmid, t);
    } finally {
      c.cycles += t.cycles; // a walk that faults cost its fetches too
    }
  }

  lookup(vpn: number, access: Access, va: number, fill: HostFill): Page {
    const pa = this.translate(va, access);
    const t = this.result;
    fill.entry = t.entry;
    fill.writable = t.writable;
    // RAM first (no lookup record to build); devices, holes and faults from the bus
    return this.phys.ramPage(pa) ?? this.phys.pageAt(Math.floor(pa / PAGE_SIZE), access, va);
  }
}
