// What every load, store and block fetch costs beyond its instruction class:
// the data-cache hierarchy for the data, and the L1 TLB hit that the CPU's
// host-side TLB stands in for (counted, made most recently used, and charged
// its latency). Misses of the host TLB reach the MMU model instead (mmu-space.ts).
import type { AccessTiming } from '../core/memory.js';
import type { CacheHierarchy } from '../mem/cache.js';
import { KIND_INDEX, type Tlb, type TlbHierarchy } from '../mmu/tlb.js';

export class MachineAccessTiming implements AccessTiming {
  /** Loads and stores (the PMU's MEM_ACCESS). */
  dataAccesses = 0;
  /** Cycles of data accesses in the cache hierarchy. */
  memoryCycles = 0;
  /** Cycles of L1 TLB hits. */
  tlbCycles = 0;
  private readonly l1dLatency: number;
  private readonly l1iLatency: number;
  private readonly l1d: Tlb;
  private readonly l1i: Tlb;

  constructor(private readonly caches: CacheHierarchy, tlb: TlbHierarchy) {
    this.l1dLatency = tlb.config.l1d.latency;
    this.l1iLatency = tlb.config.l1i.latency;
    this.l1d = tlb.l1d;
    this.l1i = tlb.l1i;
  }

  /** The cycle an access issues at (the machine binds it to the CPU's elapsed cycles). */
  now: () => number = () => 0;

  data(entry: number, pa: number, write: boolean): number {
    this.dataAccesses++;
    const c = this.caches.data(pa, write, this.now());
    this.memoryCycles += c;
    if (entry < 0) return c;
    this.l1d.touch(entry, write ? KIND_INDEX.write : KIND_INDEX.read);
    this.tlbCycles += this.l1dLatency;
    return c + this.l1dLatency;
  }

  /** Cycles a barrier (DMB, DSB) or an exception entry waits for the store buffer to drain; booked as memory cycles. */
  drain(): number {
    const c = this.caches.drain(this.now());
    this.memoryCycles += c;
    return c;
  }

  fetch(entry: number): number {
    if (entry < 0) return 0;
    this.l1i.touch(entry, KIND_INDEX.instruction);
    this.tlbCycles += this.l1iLatency;
    return this.l1iLatency;
  }
}
