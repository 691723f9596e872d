// The stats of a run on the virt machine, and the PMU that reads the same counts:
// an image counts its own TLB refills, walks, cache refills, exceptions and memory
// accesses with PMUv3 and must find exactly what the stats file reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { readElf } from '../src/elf/read.js';
import { Machine } from '../src/machine/machine.js';
import { flattenStats, statsText } from '../src/machine/stats.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';

const source = readFileSync(new URL('images/pmu-stats.S', import.meta.url), 'utf8');
const image = readElf(assemble(source, 'pmu-stats.S', { textBase: 0x40080000n }).elf, 'pmu-stats');

/** Runs the image; returns the result and the counters it read (x19..x25). */
function boot(...set: string[]) {
  const m = new Machine({ memBytes: 256 << 20, el: 2, timing: applyOverrides(loadTiming('cortex-a57'), set), output: () => {} });
  m.load(image);
  const r = m.run(1e7);
  const [l1dRefill, dtlbWalk, l1dCacheRefill, excTaken, l2dRefill, memAccess, cycles] = [19, 20, 21, 22, 23, 24, 25].map((n) => Number(m.cpu.r[n]));
  return { r, pmu: { l1dRefill, dtlbWalk, l1dCacheRefill, excTaken, l2dRefill, memAccess, cycles } };
}

describe('PMU counters agree with the stats of the same run', () => {
  it('TLB refills, walks, cache refills, exceptions, memory accesses and cycles', () => {
    const { r, pmu } = boot();
    expect(r.reason).toBe('poweroff');
    const s = r.stats;
    // counting started before any memory access, walk or exception, and the counters were read after the last
    expect(pmu.l1dRefill).toBe(s.tlb.l1d.misses);
    expect(pmu.dtlbWalk).toBe(s.walks.byKind.read + s.walks.byKind.write);
    expect(pmu.l1dCacheRefill).toBe(s.cache.l1d.misses);
    expect(pmu.excTaken).toBe(s.exceptions.taken);
    expect(pmu.l2dRefill).toBe(s.tlb.l2.misses);
    expect(pmu.memAccess).toBe(s.memAccesses);
    // the cycle counter started a few instructions in and was read a few before the end
    expect(pmu.cycles).toBeGreaterThan(s.cycles - 100);
    expect(pmu.cycles).toBeLessThan(s.cycles);
    // and the numbers mean what the image did: 64 pages x 3 rounds miss a 32-entry L1 D-TLB every time
    expect(s.tlb.l1d.misses).toBeGreaterThanOrEqual(64 * 3);
    expect(s.exceptions).toMatchObject({ taken: 1, returns: 1, byClass: { HVC64: 1 } });
    expect(s.sysregWrites).toMatchObject({ TTBR0_EL2: 1, TCR_EL2: 1, MAIR_EL2: 1, SCTLR_EL2: 1 });
    expect(s.tlbi).toEqual({ ALLE2: 1 });
  });

  it('cycle categories add up, and the walk and memory categories move with the timing', () => {
    const base = boot().r.stats;
    const by = base.cyclesBy;
    expect(by.execute + by.memory + by.tlb + by.walkS1 + by.walkS2 + by.exception + by.idle).toBe(base.cycles);
    expect(by.walkS1).toBeGreaterThan(0);
    expect(by.walkS2).toBe(0);
    expect(by.exception).toBe(30 + 20); // entry + ERET of the cortex-a57 preset
    const slowDram = boot('memory.latency=400').r.stats;
    expect(slowDram.cyclesBy.memory).toBeGreaterThan(by.memory);
    expect(slowDram.instructions).toBe(base.instructions);
    // a perfect L1: every access costs the L1 latency, and nothing misses
    const perfect = boot('cache.enabled=false').r.stats;
    expect(perfect.cyclesBy.memory).toBe(4 * perfect.memAccesses); // (no device accesses in this image)
    expect(perfect.cache.l1d.misses + perfect.cache.l1d.hits).toBe(0);
  });

  it('a bigger L1 D-TLB takes the refills away; walk caches cut fetches per walk', () => {
    const base = boot().r.stats;
    expect(boot('tlb.l1d.entries=128').r.stats.tlb.l1d.misses).toBeLessThan(base.tlb.l1d.misses / 2);
    const noWc = boot('walkCache.enabled=false').r.stats;
    expect(noWc.walks.count).toBe(base.walks.count);
    expect(noWc.walks.fetches).toBe(3 * noWc.walks.count); // 39-bit VA: 3 levels, nothing cached
    expect(base.walks.fetches).toBeLessThan(noWc.walks.fetches);
    expect(base.walkCache.s1.hits).toBeGreaterThan(0);
  });

  it('the text form has one line per key with gem5-style markers', () => {
    const s = boot().r.stats;
    const text = statsText(s);
    expect(text.startsWith('---------- Begin Simulation Statistics ----------\n')).toBe(true);
    expect(text).toMatch(/^tlb\.l1d\.misses +\d+ +# TLB l1d misses$/m);
    expect(text.trimEnd().split('\n')).toHaveLength(flattenStats(s).length + 2);
  });

  it('a counter read in the middle of a basic block counts the instructions and cycles before it', () => {
    // MRS ends a block, so the second read comes after five ALU instructions of the same block
    const src = `
    .text
    .global _start
_start:
    mov     x0, #8                      // INST_RETIRED
    msr     PMEVTYPER0_EL0, x0
    mov     x0, #0x8000000              // PMCCFILTR.NSH: count at EL2
    msr     PMCCFILTR_EL0, x0
    mov     x0, #1
    orr     x0, x0, #0x80000000
    msr     PMCNTENSET_EL0, x0
    mov     x0, #1
    msr     PMCR_EL0, x0
    mrs     x1, PMEVCNTR0_EL0
    mrs     x3, PMCCNTR_EL0
    add     x5, x5, #1
    add     x5, x5, #1
    add     x5, x5, #1
    mul     x5, x5, x5
    add     x5, x5, #1
    mrs     x2, PMEVCNTR0_EL0
    mrs     x4, PMCCNTR_EL0
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16
    smc     #0
`;
    const m = new Machine({ memBytes: 64 << 20, el: 2, timing: loadTiming('cortex-a57'), output: () => {} });
    m.load(readElf(assemble(src, 'mid-block.S', { textBase: 0x40080000n }).elf, 'mid-block'));
    expect(m.run(1000).reason).toBe('poweroff');
    const r = (n: number) => Number(m.cpu.r[n]);
    // between the two reads of each counter: two MRS (class system, 1 cycle), four ADDs (alu, 1), a MUL (mul, 3)
    expect(r(2) - r(1)).toBe(7);
    expect(r(4) - r(3)).toBe(1 + 4 * 1 + 3 + 1);
  });
});
