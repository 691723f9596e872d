// The guest kernel's command line (guest/kernel/main.c): a NUL-terminated
// string in a 4 KiB block at CMDLINE_ADDR, between QEMU's device tree (at the
// start of RAM) and the kernel (0x4008_0000). el2sim writes it before the run;
// QEMU loads the same bytes with `-device loader,file=…,addr=0x40040000,force-raw=on`.
export const CMDLINE_ADDR = 0x4004_0000;
export const CMDLINE_MAX = 4096;

export interface KernelArgs {
  workload: string;
  /** The workload's arguments, words separated by spaces (no quoting). */
  args?: string;
  /** Preemption quantum in microseconds (the kernel's default: 1000). */
  quantumUs?: number;
  memBytes: number;
}

/** `mem=<MiB>M [quantum=<us>] -- <workload> [args…]`. */
export function kernelCmdline(k: KernelArgs): string {
  const words = [`mem=${Math.floor(k.memBytes / (1 << 20))}M`];
  if (k.quantumUs !== undefined) words.push(`quantum=${k.quantumUs}`);
  words.push('--', k.workload);
  const args = k.args?.trim();
  if (args) words.push(...args.split(/\s+/));
  return words.join(' ');
}

/** The block's bytes: the string and its NUL. Throws when it does not fit. */
export function cmdlineBlock(cmdline: string): Uint8Array {
  const text = new TextEncoder().encode(cmdline);
  if (text.length >= CMDLINE_MAX) throw new RangeError(`kernel command line longer than ${CMDLINE_MAX - 1} bytes`);
  const block = new Uint8Array(text.length + 1);
  block.set(text);
  return block;
}
