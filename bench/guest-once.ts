// Runs of the guest kernel with one workload natively, for profiling and quick comparisons:
// `node build.mjs bench/guest-once.ts && node --cpu-prof dist/guest-once.mjs WORKLOAD "ARGS" [RUNS] [path=value…]`
// (e.g. gups "--mib 64 --iters 2000000"; the timing overrides as for --set). Each run prints its speed
// by wall and by CPU time.
import { readFileSync } from 'node:fs';
import { readElf } from '../src/elf/read.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { runWorkload } from '../src/machine/run-workload.js';

const [workload = 'gups', args = '--mib 64 --iters 2000000', runs = '1'] = process.argv.slice(2, 5);
const timing = applyOverrides(loadTiming('cortex-a57'), process.argv.slice(5));
const kernel = readElf(readFileSync(new URL('../guest/build/kernel.elf', import.meta.url)), 'kernel.elf');
for (let i = 0; i < Number(runs); i++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = runWorkload({ kernel, workload, args, timing, memBytes: 256 << 20 });
  const ms = performance.now() - t0, cpu = process.cpuUsage(c0);
  // CPU time as well as wall time: on a loaded machine the process waits for a core
  const cpuMs = (cpu.user + cpu.system) / 1e3;
  console.log(`${workload} ${r.reason} ${r.instructions} insns ${r.cycles} cycles: ${ms.toFixed(0)} ms ${(r.instructions / ms / 1e3).toFixed(2)} MIPS; CPU ${cpuMs.toFixed(0)} ms ${(r.instructions / cpuMs / 1e3).toFixed(2)} MIPS`);
}
