// The guest kernel with one workload on the virt machine, in-process: what
// `el2sim boot KERNEL --workload NAME --args "…"` does, with the UART output
// collected instead of printed.
import type { ElfImage } from '../elf/read.js';
import type { Timing } from '../spec/timing.js';
import { runBoot } from './boot.js';
import { kernelCmdline } from './cmdline.js';
import type { RunResult } from './machine.js';

export interface WorkloadRun {
  kernel: ElfImage;
  workload: string;
  /** The workload's arguments, e.g. "--mib 8 --iters 100000". */
  args: string;
  timing: Timing;
  memBytes: number;
  quantumUs?: number;
  maxInsns?: number;
}

export function runWorkload(r: WorkloadRun): RunResult & { uart: string } {
  const cmdline = kernelCmdline({ workload: r.workload, args: r.args, quantumUs: r.quantumUs, memBytes: r.memBytes });
  return runKernel(r.kernel, { cmdline, timing: r.timing, memBytes: r.memBytes, maxInsns: r.maxInsns });
}

/** The kernel with a raw command line (`cmdline.ts`), started at `el` (default 2); the UART output as text. */
export function runKernel(
  kernel: ElfImage,
  o: { cmdline: string; timing: Timing; memBytes: number; maxInsns?: number; el?: 1 | 2 },
): RunResult & { uart: string } {
  const out: Buffer[] = [];
  const result = runBoot(kernel, {
    el: o.el ?? 2, memBytes: o.memBytes, timing: o.timing, maxInsns: o.maxInsns, cmdline: o.cmdline,
    output: (b) => { out.push(Buffer.from(b)); },
  });
  return { ...result, uart: Buffer.concat(out).toString('latin1') };
}

/**
 * How the guest kernel's run ended, from its last line (the vmm's own lines aside) (guest/kernel: "…; init exited with status
 * N; P pages in use; power off", or "no init to run (status 127)"): whether init succeeded
 * without leaking a page, and the line. A usage report or a panic is not a success.
 */
export function kernelOutcome(uart: string): { ok: boolean; line: string } {
  // the vmm's lines (`vmm: …`, its counters with stats=print) follow the guest's at power-off
  const line = uart.trimEnd().split('\n').filter((l) => !l.startsWith('vmm: ')).at(-1) ?? '';
  return { ok: /init exited with status 0; 0 pages in use; power off$/.test(line), line };
}
