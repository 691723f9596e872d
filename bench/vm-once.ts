// Runs of the guest kernel under the vmm, for profiling: `node build.mjs bench/vm-once.ts && node --cpu-prof
// dist/vm-once.mjs MODE WORKLOAD "ARGS" [RUNS] [path=value…]` (e.g. shadow-wp forkwait "--iters 100 --pages 16").
import { readFileSync } from 'node:fs';
import { readElf } from '../src/elf/read.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { runVm, type VmMode } from '../src/machine/vm.js';

const [mode = 'shadow-wp', workload = 'forkwait', args = '--iters 100 --pages 16', runs = '1'] = process.argv.slice(2, 6);
const timing = applyOverrides(loadTiming('cortex-a57'), process.argv.slice(6));
const kernelBytes = readFileSync(new URL('../guest/build/kernel.elf', import.meta.url));
const kernel = readElf(kernelBytes, 'kernel.elf');
for (let i = 0; i < Number(runs); i++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = runVm({ mode: mode as VmMode, kernel, kernelBytes, workload, args, timing, memBytes: 256 << 20, output: () => {} });
  const ms = performance.now() - t0, cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1e3;
  console.log(`${mode} ${workload} ${r.reason} ${r.instructions} insns ${r.cycles} cycles, ${r.stats.exits.total} exits: ${ms.toFixed(0)} ms ${(r.instructions / ms / 1e3).toFixed(2)} MIPS; CPU ${cpuMs.toFixed(0)} ms ${(r.instructions / cpuMs / 1e3).toFixed(2)} MIPS`);
}
