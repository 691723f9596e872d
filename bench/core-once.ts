// Runs of the core-loop figures, for profiling and quick comparisons:
// `node --import tsx/esm bench/core-once.ts [intloop|ctxswitch|all] [REPEATS]`, or bundled (tsx's
// keepNames wrappers distort profiles): `node build.mjs bench/core-once.ts && node --cpu-prof dist/core-once.mjs`.
// Measured here: --max-inlined-bytecode-size-cumulative=3000 (V8's default budget for inlining into one
// function, 920, runs out inside a compiled block of ten instructions) gives the integer loop +25–35%,
// kernel code nothing, and adds ~0.1 s to a short run such as boot of hello; el2sim does not set it.
import { readFileSync } from 'node:fs';
import { readElf } from '../src/elf/read.js';
import { runUser } from '../src/user/process.js';
import { loadTiming } from '../src/spec/timing.js';
import { runWorkload } from '../src/machine/run-workload.js';
import { buildWithIters } from './programs.js';

const ROOT = new URL('../', import.meta.url).pathname;
const which = process.argv[2] ?? 'all', repeats = Number(process.argv[3] ?? 5);
const timing = loadTiming('cortex-a57');
const intElf = buildWithIters('intloop', 2_000_000);
const kernel = readElf(readFileSync(ROOT + 'guest/build/kernel.elf'), 'kernel.elf');
const tasks: Record<string, () => { instructions: number; cycles: number }> = {
  intloop: () => runUser(readElf(intElf, 'intloop'), { argv: ['intloop'], timing, output: () => {} }),
  ctxswitch: () => runWorkload({ kernel, workload: 'ctxswitch', args: '--procs 2 --yields 10000', timing, memBytes: 256 << 20 }),
};
for (const [name, fn] of Object.entries(tasks)) {
  if (which !== 'all' && which !== name) continue;
  const mips: number[] = [], cpuMips: number[] = [];
  let last = { instructions: 0, cycles: 0 };
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now(), u0 = process.cpuUsage();
    last = fn();
    const u = process.cpuUsage(u0);
    mips.push(last.instructions / (performance.now() - t0) / 1e3);
    cpuMips.push(last.instructions / (u.user + u.system));
  }
  const summary = (m: number[]) => {
    m.sort((a, b) => a - b);
    return `median ${m[m.length >> 1]!.toFixed(1)} best ${m.at(-1)!.toFixed(1)} (${m.map((x) => x.toFixed(0)).join(' ')})`;
  };
  // per CPU second as well: on a shared machine the wall clock also counts other processes' time
  console.log(`${name}: ${last.instructions} insns ${last.cycles} cycles; MIPS ${summary(mips)}; per CPU second ${summary(cpuMips)}`);
}
