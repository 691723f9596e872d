// Runs of a benchmark program, for profiling and quick comparisons:
// `node build.mjs bench/tlbloop-once.ts && node --cpu-prof dist/tlbloop-once.mjs PAGES ITERS [RUNS] [path=value…]`
// (the timing overrides as for --set). Each run prints its speed by wall and by CPU time; the first
// includes the JIT's warm-up.
import { readElf } from '../src/elf/read.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { runBoot } from '../src/machine/boot.js';
import { buildTlbLoop } from './programs.js';

const [pages = 8192, iters = 100, runs = 1] = process.argv.slice(2, 5).map(Number);
const timing = applyOverrides(loadTiming('cortex-a57'), process.argv.slice(5));
const image = readElf(buildTlbLoop({ mmu: true, pages, iters }), 'tlbloop');
for (let i = 0; i < runs; i++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = runBoot(image, { el: 2, memBytes: 256 << 20, timing, output: () => {} });
  const ms = performance.now() - t0, cpu = process.cpuUsage(c0);
  // CPU time as well as wall time: on a loaded machine the process waits for a core
  const cpuMs = (cpu.user + cpu.system) / 1e3;
  const perIter = pages > 1024 ? `, ${((cpuMs * 1e6) / (pages * iters)).toFixed(0)} ns per iteration` : '';
  console.log(`${r.reason} ${r.instructions} insns ${r.cycles} cycles: ${ms.toFixed(0)} ms ${(r.instructions / ms / 1e3).toFixed(2)} MIPS; CPU ${cpuMs.toFixed(0)} ms ${(r.instructions / cpuMs / 1e3).toFixed(2)} MIPS${perIter}`);
}
