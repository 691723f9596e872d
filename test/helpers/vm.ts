// Running the guest kernel (or a bare-metal guest image) natively and under
// the vmm in-process, with the UART output collected.
import { readFileSync } from 'node:fs';
import { readElf } from '../../src/elf/read.js';
import { KERNEL_PATH, loadVmm, runVm, type VmMode, type VmmOptions, type VmResult } from '../../src/machine/vm.js';
import { applyOverrides, loadTiming } from '../../src/spec/timing.js';

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

/** The guest's own output: the vmm's `vmm: ` lines left out. */
export const guestOutput = (uart: string) => uart.split('\n').filter((l) => !l.startsWith('vmm: ')).join('\n');
