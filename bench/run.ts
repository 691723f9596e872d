// Speed of the simulator, in MIPS:
//   - the CPU core: the integer loop of guest/user/intloop.S through the user-mode runner with
//     cycle accounting on, and the same program under qemu-aarch64 (no timing model) for scale;
//   - the memory system on the virt machine (guest/bare/tlbloop.S, caches and TLB model on): a
//     loop over 16 pages with the MMU off and on (inside the L1 D-TLB: the host-TLB fast path),
//     and over 8192 pages (32 MiB, beyond the L2 TLB's reach: a walk on nearly every access).
import { Bench } from 'tinybench';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readElf } from '../src/elf/read.js';
import { runUser } from '../src/user/process.js';
import { loadTiming } from '../src/spec/timing.js';
import { buildTlbLoop, buildWithIters } from './programs.js';
import { runBoot } from '../src/machine/boot.js';
import type { ElfImage } from '../src/elf/read.js';

const SIM_ITERS = Number(process.env.EL2SIM_BENCH_ITERS ?? 2_000_000);
const QEMU_ITERS = SIM_ITERS * 50;
const timing = loadTiming('cortex-a57');

function simulate(iters: number, bytes = buildWithIters('intloop', iters)): number {
  const r = runUser(readElf(bytes, 'intloop'), { argv: ['intloop'], timing, output: () => {} });
  if (r.exitCode !== 0) throw new Error(`intloop failed: ${r.message}`);
  return r.instructions;
}

// Instructions per iteration, measured rather than assumed: two runs differing only in ITERS.
const perIter = (simulate(2000) - simulate(1000)) / 1000;
const simInsns = simulate(SIM_ITERS);
const qemuInsns = simInsns + perIter * (QEMU_ITERS - SIM_ITERS);

const dir = mkdtempSync(join(tmpdir(), 'el2sim-bench-'));
const qemuElf = join(dir, 'intloop');
writeFileSync(qemuElf, buildWithIters('intloop', QEMU_ITERS), { mode: 0o755 });
const haveQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;

// This class of machine is noisy (the same loop varies by ±50% between runs): report the median and the best.
const bench = new Bench({ name: 'el2sim core speed', time: 0, iterations: 10, warmup: true, warmupIterations: 2 });
const simElf = buildWithIters('intloop', SIM_ITERS);
bench.add(`el2sim exec intloop (${(simInsns / 1e6).toFixed(1)} M insns, cycle accounting on)`, () => { simulate(SIM_ITERS, simElf); });
if (haveQemu) bench.add(`qemu-aarch64 intloop (${(qemuInsns / 1e6).toFixed(0)} M insns)`, () => { spawnSync('qemu-aarch64', [qemuElf]); });

/** One boot of a bare-metal image; returns its instruction count. */
function boot(image: ElfImage): number {
  const r = runBoot(image, { el: 2, memBytes: 256 << 20, timing, output: () => {} });
  if (r.reason !== 'poweroff') throw new Error(`tlbloop: ${r.reason} ${r.message ?? ''}`);
  return r.instructions;
}
const LOOP_ITERS = Math.round(SIM_ITERS / 10);
const loops = [
  { label: 'MMU off, 16 pages', mmu: false, pages: 16, iters: LOOP_ITERS },
  { label: 'MMU on, 16 pages (L1 TLB hits)', mmu: true, pages: 16, iters: LOOP_ITERS },
  { label: 'MMU on, 8192 pages (TLB misses)', mmu: true, pages: 8192, iters: Math.max(1, Math.round(LOOP_ITERS / 2000)) },
].map((l) => ({ ...l, image: readElf(buildTlbLoop(l), 'tlbloop') }));
const insnsOf = new Map<string, number>([[bench.tasks[0]!.name, simInsns]]);
if (haveQemu) insnsOf.set(bench.tasks[1]!.name, qemuInsns);
for (const l of loops) {
  const name = `el2sim boot tlbloop, ${l.label} (${(boot(l.image) / 1e6).toFixed(1)} M insns)`;
  insnsOf.set(name, boot(l.image));
  bench.add(name, () => { boot(l.image); });
}

await bench.run();
rmSync(dir, { recursive: true, force: true });

const mips = bench.tasks.map((t) => {
  const r = t.result as { latency?: { p50: number; min: number } } | undefined;
  const insns = insnsOf.get(t.name)!;
  const rate = (ms = NaN) => insns / ms / 1e3;
  return { task: t.name, 'median (ms)': (r?.latency?.p50 ?? NaN).toFixed(1), 'MIPS (median)': rate(r?.latency?.p50).toFixed(1), 'MIPS (best)': rate(r?.latency?.min).toFixed(1) };
});
console.table(mips);
const rate = (prefix: string) => Number(mips.find((m) => m.task.includes(prefix))?.['MIPS (median)']);
if (haveQemu) console.log(`el2sim / qemu-aarch64 speed ratio (median): ${(rate('el2sim exec') / rate('qemu-aarch64')).toFixed(4)}`);
console.log(`MMU on / MMU off, working set inside the L1 TLB (median): ${(rate('MMU on, 16') / rate('MMU off')).toFixed(2)} (target >= 0.7)`);
console.log(`instructions per loop iteration: ${perIter}`);
