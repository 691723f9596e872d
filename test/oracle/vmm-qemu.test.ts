// The same vmm and guest images on qemu-system-aarch64 (-M virt,virtualization=on,
// the blobs loaded by -device loader, as `el2sim vm run --print-qemu` writes it)
// and on el2sim: byte-identical UART output, the vmm's counters included for
// everything that does not depend on timing. The native runs too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { KERNEL_PATH, VMM_PATH, qemuScript, type VmMode, type VmmOptions } from '../../src/machine/vm.js';
import { kernelBytes, vmRun } from '../helpers/vm.js';
import { QEMU_SYSTEM } from './qemu-system.js';
import { oracleIt } from './tools.js';

/** Counters that depend on when interrupts arrive, so on QEMU's host-time timer; and the guest's cycle-counter figures (`stat:` lines). */
const TIMING = /^(vmm: stat (VMEXIT_IRQ|VMEXIT_WFI|VMEXIT_COUNT|INJECT_VIRQ|WFI_WAIT) |stat: )/;
/**
 * Counters that count the guest's UART bytes (each one an MMIO exit, a stage 2 data abort): with
 * `stat:` lines in the output they follow the figures' digits, which are QEMU's own cycle counts.
 */
const OUTPUT_LENGTH = /^vmm: stat (VMEXIT_DATA_ABORT|S2_FAULT_TRANSLATION|MMIO_UART) /;
const stable = (uart: string) => {
  const timed = /^stat: /m.test(uart);
  return uart.split('\n').filter((l) => !TIMING.test(l) && !(timed && OUTPUT_LENGTH.test(l))).join('\n');
};

function qemu(mode: VmMode, workload: string, args: string, vmm: Partial<VmmOptions>): string {
  const dir = mkdtempSync(join(tmpdir(), 'el2sim-vmm-qemu-'));
  try {
    const script = qemuScript({ mode, kernelBytes, workload, args, memBytes: 256 << 20, vmm, vmmPrintStats: true }, { vmm: VMM_PATH, kernel: KERNEL_PATH });
    writeFileSync(join(dir, 'run.sh'), script);
    const r = spawnSync('sh', ['run.sh'], { cwd: dir, encoding: 'latin1', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.error, r.stderr).toBeUndefined();
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('vmm on qemu-system-aarch64 and on el2sim', () => {
  const cases: [VmMode, string, string, Partial<VmmOptions>][] = [
    ['native', 'hello', 'x y', {}],
    ['stage2', 'hello', 'x y', {}],
    ['stage2', 'gups', '--mib 2 --iters 2000', { block: '2m' }],
    ['stage2', 'forkwait', '--iters 5 --pages 4', { granule: '64k', switch: 'full' }],
    ['stage2', 'cowtouch', '--pages 16', { granule: '16k', block: '32m' }], // on QEMU's max CPU: its A57 has no 16K granule
    ['stage2', 'exitbench', '--op hvc --iters 50', { granule: '64k', map: 'eager' }],
    ['stage2', 'exitbench', '--op mmio --iters 50', {}],
    ['stage2', 'memlat', '--kib 16 --iters 1000', {}], // EL0 reads PMCCNTR_EL0 under the vmm
    ['native', 'membw', '--kib 16 --op zero --passes 1', {}],
  ];
  for (const [mode, workload, args, vmm] of cases) {
    oracleIt(`${mode} ${workload} ${args} ${JSON.stringify(vmm)}`, [QEMU_SYSTEM], () => {
      const sim = vmRun({ mode, workload, args, vmm, printStats: true });
      expect(sim.reason).toBe('poweroff');
      const q = qemu(mode, workload, args, vmm);
      expect(stable(q)).toBe(stable(sim.uart));
      expect(q.match(/^stat: .*$/gm)?.map((l) => l.replace(/=\d+/g, '='))).toEqual(sim.uart.match(/^stat: .*$/gm)?.map((l) => l.replace(/=\d+/g, '=')));
      if (mode !== 'native') expect(q).toMatch(/^vmm: stat S2_PAGING \d+$/m);
    }, 120_000);
  }
});
