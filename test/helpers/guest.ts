// The committed guest kernel (guest/build/kernel.elf) with a command line, on
// `el2sim boot` in-process and on qemu-system-aarch64 (the block loaded with
// QEMU's generic loader at the address el2sim writes it to).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readElf } from '../../src/elf/read.js';
import { runKernel } from '../../src/machine/run-workload.js';
import { KERNEL_PATH } from '../../src/machine/vm.js';
import { CMDLINE_ADDR, cmdlineBlock, kernelCmdline } from '../../src/machine/cmdline.js';
import type { RunResult } from '../../src/machine/machine.js';
import { loadTiming } from '../../src/spec/timing.js';
import { MEM_MIB, QEMU_SYSTEM, qemuSystemArgs, type SystemRun } from '../oracle/qemu-system.js';

export { KERNEL_PATH };
/** Short enough that the multi-process workloads are preempted now and then on el2sim. */
export const TEST_QUANTUM_US = 100;

/**
 * The output without the workloads' `stat: ` lines: the figures they time with the cycle counter
 * (memlat, membw) differ between modes and machines; everything else must not.
 */
export const withoutStats = (uart: string) => uart.split('\n').filter((l) => !l.startsWith('stat: ')).join('\n');

/** The command line for a workload, with the test quantum and QEMU's memory size. */
export function guestCmdline(workload: string, args = ''): string {
  return kernelCmdline({ workload, args, quantumUs: TEST_QUANTUM_US, memBytes: MEM_MIB << 20 });
}

export function bootGuest(cmdline: string, opts: { el?: 1 | 2; maxInsns?: number } = {}): RunResult & { uart: string } {
  return runKernel(readElf(readFileSync(KERNEL_PATH), KERNEL_PATH), {
    cmdline, el: opts.el, memBytes: MEM_MIB << 20, timing: loadTiming(), maxInsns: opts.maxInsns ?? 50_000_000,
  });
}

export function bootGuestOnQemu(cmdline: string, opts: { el?: 1 | 2; timeoutMs?: number } = {}): SystemRun {
  const dir = mkdtempSync(join(tmpdir(), 'el2sim-guest-'));
  try {
    const block = join(dir, 'cmdline.bin');
    writeFileSync(block, cmdlineBlock(cmdline));
    const args = [...qemuSystemArgs(KERNEL_PATH, opts.el), '-device', `loader,file=${block},addr=0x${CMDLINE_ADDR.toString(16)},force-raw=on`];
    const r = spawnSync(QEMU_SYSTEM, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 30_000, maxBuffer: 1 << 24 });
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    if (r.error && !timedOut) throw r.error;
    return { uart: r.stdout.toString('latin1'), status: r.status, timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
