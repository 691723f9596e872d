// A virtual machine run: the guest kernel with one workload, either alone on
// the machine (native) or under the vmm at EL2 (vmm/, real AArch64 software).
//
// The vmm is started as QEMU's -kernel starts an image (its ELF at its
// physical addresses, entry at EL2) with three blobs in RAM, at the addresses
// vmm/ and this file agree on:
//   0x4004_0000  the vmm's command line (mode, guest memory, options)
//   0x4400_0000  the guest kernel's command line block
//   0x4800_0000  the guest kernel's ELF, raw (its size is on the vmm's command line)
// The guest's RAM, IPA 0x4000_0000 onwards, lives at host PA 0x8000_0000
// (1 GiB-aligned, so every block size can map it), so the machine has RAM
// from 0x4000_0000 to 0x8000_0000 + the guest's memory.
import { readFileSync } from 'node:fs';
import type { ElfImage } from '../elf/read.js';
import type { Timing } from '../spec/timing.js';
import { Machine, RAM_BASE, type RunResult } from './machine.js';
import { CMDLINE_ADDR, cmdlineBlock, kernelCmdline } from './cmdline.js';
import { readElf } from '../elf/read.js';
import type { DebugHook } from './debug-run.js';

export const VMM_CMDLINE_ADDR = CMDLINE_ADDR;
export const GUEST_CMDLINE_ADDR = 0x4400_0000;
export const GUEST_ELF_ADDR = 0x4800_0000;
export const GUEST_ELF_MAX = 64 << 20;
export const GUEST_RAM_PA = 0x8000_0000;

export const VMM_PATH = new URL('../../vmm/build/vmm.elf', import.meta.url).pathname;
export const KERNEL_PATH = new URL('../../guest/build/kernel.elf', import.meta.url).pathname;

export const MODES = ['native', 'stage2', 'shadow-wp', 'shadow-lazy'] as const;
export type VmMode = (typeof MODES)[number];

/** The vmm's options, as `el2sim vm run` and the experiments' `vmm.*` paths name them. */
export interface VmmOptions {
  granule: '4k' | '16k' | '64k';
  ipaBits: 40 | 44;
  block: '4k' | '16k' | '64k' | '2m' | '32m' | '512m' | '1g';
  map: 'lazy' | 'eager';
  switch: 'thin' | 'full';
  /** Shadow modes: how many shadow roots the vmm caches (per guest TTBR and ASID) before it evicts one. */
  roots: number;
}

/** Every option's values; the first is the default. */
export const VMM_CHOICES = {
  granule: ['4k', '16k', '64k'],
  ipaBits: [40, 44],
  block: ['4k', '16k', '64k', '2m', '32m', '512m', '1g'],
  map: ['lazy', 'eager'],
  switch: ['thin', 'full'],
  roots: Array.from({ length: 64 }, (_, i) => i + 1),
} as const;

/** The modes each option means something to: the stage 2 layout to stage2, the root pool to the shadow modes. */
export const VMM_OPTION_MODES: Record<keyof VmmOptions, readonly VmMode[]> = {
  granule: ['stage2'], ipaBits: ['stage2'], block: ['stage2'], map: ['stage2'],
  switch: ['stage2', 'shadow-wp', 'shadow-lazy'], roots: ['shadow-wp', 'shadow-lazy'],
};

/** An option's values as a message says them. */
export const choicesText = (values: readonly (string | number)[]) =>
  values.length > 10 && values.every((v, i) => v === i + 1) ? `an integer from 1 to ${values.length}` : `one of ${values.join(', ')}`;

/** The block sizes each granule can map with (its page, and its level 2 and 1 blocks). */
export const BLOCKS_OF: Record<VmmOptions['granule'], VmmOptions['block'][]> = { '4k': ['4k', '2m', '1g'], '16k': ['16k', '32m'], '64k': ['64k', '512m'] };

/** Defaults filled in; `block` defaults to the granule's page. */
export function vmmOptions(o: Partial<VmmOptions> = {}): VmmOptions {
  const granule = o.granule ?? '4k';
  return { granule, ipaBits: o.ipaBits ?? 40, block: o.block ?? granule, map: o.map ?? 'lazy', switch: o.switch ?? 'thin', roots: o.roots ?? 8 };
}

/** Why the options cannot run, or undefined (the vmm checks the same and refuses with a message). */
export function vmmOptionsProblem(o: VmmOptions): string | undefined {
  if (!BLOCKS_OF[o.granule].includes(o.block)) return `block ${o.block} is not a page or block size of the ${o.granule} granule (${BLOCKS_OF[o.granule].join(', ')})`;
  return undefined;
}

export interface VmRun {
  mode: VmMode;
  kernel: ElfImage;
  /** The kernel's bytes: the vmm loads the ELF itself. */
  kernelBytes: Uint8Array;
  workload: string;
  args?: string;
  quantumUs?: number;
  /** The guest's RAM. */
  memBytes: number;
  vmm?: Partial<VmmOptions>;
  /** `stats=print`: the vmm prints its counters to the UART at power-off. */
  vmmPrintStats?: boolean;
  timing: Timing;
  maxInsns?: number;
  output(bytes: Uint8Array): void;
  trace?: (line: string) => void;
  /** Run under a debugger (--gdb): it wraps the decoder and runs the machine. */
  debug?: DebugHook;
}

export interface VmResult extends RunResult {
  /** The vmm's counters (`vmm_stat_<NAME>` symbols), for hypervisor modes. */
  vmmStats?: Record<string, number>;
}

let vmmImage: { elf: ElfImage } | undefined;
/** The committed vmm image (read once per process). */
export function loadVmm(path = VMM_PATH): ElfImage {
  if (path !== VMM_PATH) return readElf(readFileSync(path), path);
  return (vmmImage ??= { elf: readElf(readFileSync(path), path) }).elf;
}

/** The vmm's command line for a run. */
export function vmmCmdline(mode: VmMode, memBytes: number, guestElfSize: number, o: VmmOptions, printStats = false): string {
  return [
    `mode=${mode}`, `guest_mem=${Math.floor(memBytes / (1 << 20))}M`, `guest_elf_size=${guestElfSize}`,
    `granule=${o.granule}`, `ipa_bits=${o.ipaBits}`, `block=${o.block}`, `map=${o.map}`, `switch=${o.switch}`,
    ...(mode.startsWith('shadow') ? [`roots=${o.roots}`] : []),
    ...(printStats ? ['stats=print'] : []),
  ].join(' ');
}

/** The guest kernel's command line for the run's workload. */
const guestCmdline = (r: Pick<VmRun, 'workload' | 'args' | 'quantumUs' | 'memBytes'>) =>
  kernelCmdline({ workload: r.workload, args: r.args, quantumUs: r.quantumUs, memBytes: r.memBytes });

/** Where each image and blob goes, and how much RAM the machine needs, for a hypervisor run. */
export function vmLayout(r: Pick<VmRun, 'mode' | 'kernelBytes' | 'workload' | 'args' | 'quantumUs' | 'memBytes' | 'vmm' | 'vmmPrintStats'>) {
  if (r.kernelBytes.length > GUEST_ELF_MAX) throw new RangeError(`guest kernel ELF of ${r.kernelBytes.length} bytes: at most ${GUEST_ELF_MAX} fit at ${hex(GUEST_ELF_ADDR)}`);
  const guest = guestCmdline(r);
  const vmm = vmmCmdline(r.mode, r.memBytes, r.kernelBytes.length, vmmOptions(r.vmm), r.vmmPrintStats);
  return {
    machineMemBytes: GUEST_RAM_PA - RAM_BASE + r.memBytes,
    vmmCmdline: vmm,
    blobs: [
      { name: 'vmm.cmdline', addr: VMM_CMDLINE_ADDR, bytes: cmdlineBlock(vmm) },
      { name: 'guest.cmdline', addr: GUEST_CMDLINE_ADDR, bytes: cmdlineBlock(guest) },
      { name: 'kernel.elf', addr: GUEST_ELF_ADDR, bytes: r.kernelBytes },
    ],
  };
}

/** Runs the workload natively or under the vmm. */
export function runVm(r: VmRun, vmmImage?: ElfImage): VmResult {
  const layout = r.mode === 'native' ? undefined : vmLayout(r);
  // natively at EL1, as QEMU's virt without virtualization=on starts it: the machine the guest sees under the vmm (PSCI through HVC)
  const m = new Machine({ memBytes: layout?.machineMemBytes ?? r.memBytes, el: layout ? 2 : 1, timing: r.timing, output: r.output, wrapDecoder: r.debug?.wrapDecoder });
  const vmm = layout ? vmmImage ?? loadVmm() : undefined;
  if (vmm) m.load(vmm, 'vmm.elf');
  else m.load(r.kernel, 'kernel.elf');
  for (const b of layout?.blobs ?? [{ addr: CMDLINE_ADDR, bytes: cmdlineBlock(guestCmdline(r)) }]) m.bus.loadImage(b.addr, b.bytes);
  const result = r.debug ? r.debug.run(m, r.maxInsns) : m.run(r.maxInsns, r.trace);
  if (!vmm) return result;
  const vmmStats = readVmmStats(m, vmm);
  return { ...result, vmmStats, stats: { ...result.stats, vmm: vmmStats } };
}

/** The vmm's counters: every 8-byte object symbol `vmm_stat_<NAME>`, read from physical memory (the vmm maps itself 1:1). */
export function readVmmStats(m: Machine, vmm: ElfImage): Record<string, number> {
  const out: Record<string, number> = {};
  const syms = vmm.symbols.filter((s) => s.name.startsWith('vmm_stat_') && s.size === 8).sort((a, b) => a.name.localeCompare(b.name));
  for (const s of syms) {
    const t = m.bus.resolve(Number(s.value));
    if (!t || !('page' in t)) continue;
    out[s.name.slice('vmm_stat_'.length)] = Number(t.page.view.getBigUint64(Number(s.value) & 0xfff, true));
  }
  return out;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** The qemu-system-aarch64 peer of a run: a shell script that writes the blobs and starts QEMU on the same images. */
export function qemuScript(r: Parameters<typeof vmLayout>[0], paths: { vmm: string; kernel: string }): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const guest = guestCmdline(r);
  const lines = ['#!/bin/sh', `# el2sim vm run --mode ${r.mode}: the same images on qemu-system-aarch64`];
  const loader = (file: string, addr: number) => `  -device loader,file=${file},addr=${hex(addr)},force-raw=on`;
  if (r.mode === 'native') {
    lines.push(
      `printf '%s\\0' ${q(guest)} > guest.cmdline`,
      `exec qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -m ${Math.ceil(r.memBytes / (1 << 20))}M -nographic -nic none -no-reboot \\`,
      `  -kernel ${q(paths.kernel)} \\`,
      loader('guest.cmdline', CMDLINE_ADDR),
    );
  } else {
    const layout = vmLayout(r);
    // QEMU's Cortex-A57, like the real one, has no 16K granule (el2sim's adds it): its `max` CPU has
    const cpu = vmmOptions(r.vmm).granule === '16k' ? 'max' : 'cortex-a57';
    lines.push(
      `printf '%s\\0' ${q(layout.vmmCmdline)} > vmm.cmdline`,
      `printf '%s\\0' ${q(guest)} > guest.cmdline`,
      `exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu ${cpu} -m ${Math.ceil(layout.machineMemBytes / (1 << 20))}M -nographic -nic none -no-reboot \\`,
      `  -kernel ${q(paths.vmm)} \\`,
      loader('vmm.cmdline', VMM_CMDLINE_ADDR) + ' \\',
      loader('guest.cmdline', GUEST_CMDLINE_ADDR) + ' \\',
      loader(q(paths.kernel), GUEST_ELF_ADDR),
    );
  }
  return lines.join('\n') + '\n';
}
