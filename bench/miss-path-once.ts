// The host-TLB miss path alone, for profiling: the memory system's `lookup` (L1/L2 TLBs, walk,
// fills) for PAGES pages of tlbloop's buffer in turn, ITERS times, after tlbloop has built its tables:
// `node build.mjs bench/miss-path-once.ts && node --cpu-prof dist/miss-path-once.mjs PAGES ITERS [path=value…]`
import { readElf } from '../src/elf/read.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { Machine } from '../src/machine/machine.js';
import { HostFill } from '../src/core/memory.js';
import { buildTlbLoop } from './programs.js';

const [pages = 8192, iters = 100] = process.argv.slice(2, 4).map(Number);
const timing = applyOverrides(loadTiming('cortex-a57'), process.argv.slice(4));
const image = readElf(buildTlbLoop({ mmu: true, pages, iters: 1 }), 'tlbloop');
const m = new Machine({ memBytes: 256 << 20, el: 2, timing, output: () => {} });
m.load(image);
m.run(2_000_000);
const space = m.cpu.space;
const fill = new HostFill();
/** One pass over the pages, ITERS times (a function, so that V8 optimizes it as it would the CPU's loop). */
function sweep(): number {
  let s = 0;
  for (let it = 0; it < iters; it++) for (let p = 0; p < pages; p++) {
    const va = 0x41000000 + p * 4096;
    fill.entry = -1; fill.writable = false; fill.cycles = 0;
    s += space.lookup(Math.floor(va / 4096), 0, va, fill).pa;
  }
  return s;
}
for (let r = 0; r < 4; r++) {
  const t0 = performance.now();
  const s = sweep();
  const t = performance.now() - t0;
  console.log(`${(t * 1e6 / (pages * iters)).toFixed(1)} ns per lookup${s > 0 ? '' : ' (no page?)'}`);
}
