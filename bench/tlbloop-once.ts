// One run of a benchmark program, for profiling: `node --cpu-prof --import tsx/esm bench/tlbloop-once.ts PAGES ITERS`.
import { readElf } from '../src/elf/read.js';
import { loadTiming } from '../src/spec/timing.js';
import { runBoot } from '../src/machine/boot.js';
import { buildTlbLoop } from './programs.js';

const pages = Number(process.argv[2] ?? 8192), iters = Number(process.argv[3] ?? 100);
const image = readElf(buildTlbLoop({ mmu: true, pages, iters }), 'tlbloop');
const t0 = performance.now();
const r = runBoot(image, { el: 2, memBytes: 256 << 20, timing: loadTiming('cortex-a57'), output: () => {} });
const ms = performance.now() - t0;
console.log(`${r.reason} ${r.instructions} insns ${r.cycles} cycles ${ms.toFixed(0)} ms ${(r.instructions / ms / 1e3).toFixed(2)} MIPS`);
