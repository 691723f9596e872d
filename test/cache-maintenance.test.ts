// DC CIVAC and DC IVAC take the line out of every cache level of the model: a
// load after one misses again, as the first did (the vmm relies on it to hand
// the guest its image cold, as a loader that writes memory directly would).
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { readElf } from '../src/elf/read.js';
import { Machine } from '../src/machine/machine.js';
import { loadTiming } from '../src/spec/timing.js';

function misses(maintenance: string): number {
  const src = `
    .text
    .global _start
_start:
    ldr x1, =0x40200000
    ldr x2, [x1]
    ldr x2, [x1]
    ${maintenance}
    dsb sy
    ldr x2, [x1]
    ldr x0, =0x84000008
    smc #0
`;
  const m = new Machine({ memBytes: 256 << 20, el: 2, timing: loadTiming('cortex-a57'), output: () => {} });
  m.load(readElf(assemble(src, 'dc.S', { textBase: 0x40080000n }).elf, 'dc'));
  const r = m.run(1000);
  expect(r.reason).toBe('poweroff');
  return r.stats.cache.l1d.misses + r.stats.cache.l2.misses + r.stats.cache.llc.misses;
}

describe('data cache maintenance by VA', () => {
  it('DC CIVAC and DC IVAC invalidate the line at every level; DC CVAC (a clean) leaves it', () => {
    const none = misses('nop');
    expect(misses('ldr x2, [x1]')).toBe(none); // the line stays: another load hits
    expect(misses('dc civac, x1')).toBe(none + 3);
    expect(misses('dc ivac, x1')).toBe(none + 3);
    expect(misses('dc cvac, x1')).toBe(none);
    expect(misses('add x3, x1, #64\n    dc civac, x3')).toBe(none); // another line
  });
});
