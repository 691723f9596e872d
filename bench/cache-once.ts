// The data-cache model alone, for profiling: tlbloop's access pattern (a load and a store at the
// start of each of PAGES pages in turn, a few cycles apart), ITERS times, on the cortex-a57 preset:
// `node build.mjs bench/cache-once.ts && node --cpu-prof dist/cache-once.mjs PAGES ITERS [path=value…]`
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { CacheHierarchy } from '../src/mem/cache.js';

const [pages = 16, iters = 200000] = process.argv.slice(2, 4).map(Number);
const timing = applyOverrides(loadTiming('cortex-a57'), process.argv.slice(4));
const view = new DataView(new ArrayBuffer(4096));
for (let r = 0; r < 4; r++) {
  const caches = new CacheHierarchy(timing);
  let now = 0, cycles = 0;
  const t0 = performance.now();
  for (let it = 0; it < iters; it++) for (let p = 0; p < pages; p++) {
    const pa = 0x41000000 + p * 4096;
    cycles += caches.data(pa, false, now, view);
    now += 6;
    cycles += caches.data(pa, true, now, view);
    now += 4;
  }
  const t = performance.now() - t0;
  console.log(`${((t * 1e6) / (2 * pages * iters)).toFixed(1)} ns per access (${cycles} cycles)`);
}
