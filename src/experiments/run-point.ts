// One point, run in the calling thread: the guest kernel with the point's
// workload, timing and overrides; its statistics, its output and whether it
// ended as a healthy run must (powered off, status 0, no leaked page).
import { readFileSync } from 'node:fs';
import { readElf, type ElfImage } from '../elf/read.js';
import type { RunStats } from '../machine/stats.js';
import { kernelOutcome } from '../machine/run-workload.js';
import { KERNEL_PATH, runVm } from '../machine/vm.js';
import { applyOverrides, loadTiming } from '../spec/timing.js';
import { argString, type Point } from './points.js';
import { parseGuestStats } from './guest-stats.js';

export interface PointResult {
  id: string;
  point: Point;
  /** How the machine stopped (poweroff, limit, stuck…). */
  stop: string;
  /** The workload's result line (its checksum), independent of timing. */
  result?: string;
  /** Why the point failed, if it did. */
  error?: string;
  /** Hypervisor modes: cycles / the native twin's cycles (set once the twin is known; 1 for native points). */
  overhead?: number;
  uart: string;
  /** Absent when the point could not be simulated at all. */
  stats?: RunStats;
}

/** A point that ran to the end without failing, so it has statistics. */
export type GoodPoint = PointResult & { stats: RunStats };
export const isGood = (r: PointResult): r is GoodPoint => !r.error && r.stats !== undefined;

/** A point that ended before it had statistics (a bad configuration, its worker died). */
export const failedPoint = (p: Point, error: string): PointResult => ({ id: p.id, point: p, stop: 'error', error, uart: '' });

let kernel: { elf: ElfImage; bytes: Uint8Array } | undefined;

export function runPoint(p: Point): PointResult {
  try {
    return simulate(p);
  } catch (e) {
    return failedPoint(p, `the point could not be simulated: ${(e as Error).message}`);
  }
}

function simulate(p: Point): PointResult {
  if (!kernel) {
    const bytes = readFileSync(KERNEL_PATH);
    kernel = { elf: readElf(bytes, KERNEL_PATH), bytes };
  }
  const timing = applyOverrides(loadTiming(p.timing), p.set);
  const out: Buffer[] = [];
  const run = runVm({
    mode: p.mode, kernel: kernel.elf, kernelBytes: kernel.bytes, workload: p.workload, args: argString(p.args), timing, vmm: p.vmm,
    memBytes: p.memMiB << 20, quantumUs: p.quantumUs, maxInsns: p.maxInsns, output: (b) => { out.push(Buffer.from(b)); },
  });
  const r = { ...run, uart: Buffer.concat(out).toString('latin1') };
  const result = r.uart.split('\n').filter((l) => l.startsWith(`${p.workload}: `)).at(-1);
  const outcome = kernelOutcome(r.uart);
  const guest = parseGuestStats(r.uart);
  const error = r.reason !== 'poweroff' ? `the machine stopped (${r.reason}): ${r.message ?? ''}`.trim()
    : !outcome.ok ? `the guest did not end cleanly: ${outcome.line}`
    : result === undefined ? `no result line from ${p.workload}`
    : guest.problems.length ? `malformed stat line in the guest's output: ${guest.problems.join('; ')}` : undefined;
  const stats = Object.keys(guest.stats).length ? { ...r.stats, guest: guest.stats } : r.stats;
  return { id: p.id, point: p, stop: r.reason, result, ...(error ? { error } : {}), uart: r.uart, stats };
}
