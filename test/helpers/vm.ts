// Running the guest kernel (or a bare-metal guest image) natively and under
// the vmm in-process, with the UART output collected.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { readElf } from '../../src/elf/read.js';
import { KERNEL_PATH, loadVmm, runVm, type VmMode, type VmmOptions, type VmResult } from '../../src/machine/vm.js';
import { applyOverrides, loadTiming } from '../../src/spec/timing.js';
import { withoutStats } from './guest.js';

export { withoutStats };

export const kernelBytes = readFileSync(KERNEL_PATH);
const kernel = readElf(kernelBytes, 'kernel.elf');

export interface VmTestRun {
  mode: VmMode;
  workload?: string;
  args?: string;
  vmm?: Partial<VmmOptions>;
  set?: string[];
  printStats?: boolean;
  /** A guest image instead of the kernel. */
  image?: Uint8Array;
  memMiB?: number;
  maxInsns?: number;
}

export function vmRun(o: VmTestRun): VmResult & { uart: string } {
  const out: Buffer[] = [];
  const bytes = o.image ?? kernelBytes;
  const r = runVm({
    mode: o.mode, kernel: o.image ? readElf(bytes, 'guest.elf') : kernel, kernelBytes: bytes, workload: o.workload ?? 'hello', args: o.args,
    memBytes: (o.memMiB ?? 256) << 20, vmm: o.vmm, vmmPrintStats: o.printStats, timing: applyOverrides(loadTiming('cortex-a57'), o.set ?? []),
    maxInsns: o.maxInsns ?? 400_000_000, output: (b) => { out.push(Buffer.from(b)); },
  }, o.mode === 'native' ? undefined : loadVmm());
  return { ...r, uart: Buffer.concat(out).toString('latin1') };
}

/** The guest's own output: the vmm's `vmm: ` lines and the timed `stat: ` lines left out. */
export const guestOutput = (uart: string) => withoutStats(uart).split('\n').filter((l) => !l.startsWith('vmm: ')).join('\n');

/** Small arguments for every workload (each a second or two under a hypervisor). */
export const SMALL: [string, string][] = [
  ['hello', 'a b'], ['gups', '--mib 2 --iters 3000'], ['ptrchase', '--mib 2 --iters 3000'], ['stream', '--mib 1 --passes 1'],
  ['mmapchurn', '--pages 8 --iters 20'], ['forkwait', '--iters 10 --pages 4'], ['cowtouch', '--pages 16'],
  ['ctxswitch', '--procs 3 --yields 50'], ['crash', '--segv 1'], ['exitbench', '--op mmio --iters 20'],
  ['memlat', '--kib 64 --iters 2000'], ['membw', '--kib 16 --op copy --passes 2'],
];

const native = new Map<string, string>();
/** The UART output of the workload run natively (once per test file). */
export function nativeOutput(workload: string, args: string): string {
  const key = `${workload} ${args}`;
  if (!native.has(key)) {
    const r = vmRun({ mode: 'native', workload, args });
    expect(r.reason).toBe('poweroff');
    native.set(key, r.uart);
  }
  return native.get(key)!;
}
