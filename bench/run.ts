// Speed of the CPU core: the integer loop of guest/user/intloop.S through the
// user-mode runner with cycle accounting on, in MIPS, and the same program
// under qemu-aarch64 (no timing model) measured in the same run for scale.
import { Bench } from 'tinybench';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readElf } from '../src/elf/read.js';
import { runUser } from '../src/user/process.js';
import { loadTiming } from '../src/spec/timing.js';
import { buildWithIters } from './programs.js';

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
await bench.run();
rmSync(dir, { recursive: true, force: true });

const mips = bench.tasks.map((t) => {
  const r = t.result as { latency?: { p50: number; min: number } } | undefined;
  const insns = t.name.startsWith('qemu') ? qemuInsns : simInsns;
  const rate = (ms = NaN) => insns / ms / 1e3;
  return { task: t.name, 'median (ms)': (r?.latency?.p50 ?? NaN).toFixed(1), 'MIPS (median)': rate(r?.latency?.p50).toFixed(1), 'MIPS (best)': rate(r?.latency?.min).toFixed(1) };
});
console.table(mips);
if (mips.length === 2) console.log(`el2sim / qemu-aarch64 speed ratio (median): ${(Number(mips[0]['MIPS (median)']) / Number(mips[1]['MIPS (median)'])).toFixed(4)}`);
console.log(`instructions per loop iteration: ${perIter}`);
