// `el2sim boot`: an ELF image on the virt machine, as QEMU runs it with
// `-M virt,virtualization=on -kernel image.elf`.
import type { ElfImage } from '../elf/read.js';
import type { Timing } from '../spec/timing.js';
import { Machine, type RunResult } from './machine.js';
import { CMDLINE_ADDR, cmdlineBlock } from './cmdline.js';
import type { DebugHook } from './debug-run.js';

export interface BootOptions {
  /** The image's name, for error messages. */
  name?: string;
  el: 1 | 2;
  memBytes: number;
  timing: Timing;
  maxInsns?: number;
  output(bytes: Uint8Array): void;
  trace?: (line: string) => void;
  /** The guest kernel's command line, placed at CMDLINE_ADDR before the run (see cmdline.ts). */
  cmdline?: string;
  /** Run under a debugger (--gdb): it wraps the decoder and runs the machine. */
  debug?: DebugHook;
}

export function runBoot(image: ElfImage, opts: BootOptions): RunResult {
  const m = new Machine({ memBytes: opts.memBytes, el: opts.el, timing: opts.timing, output: opts.output, wrapDecoder: opts.debug?.wrapDecoder });
  m.load(image, opts.name);
  if (opts.cmdline !== undefined) m.bus.loadImage(CMDLINE_ADDR, cmdlineBlock(opts.cmdline));
  return opts.debug ? opts.debug.run(m, opts.maxInsns) : m.run(opts.maxInsns, opts.trace);
}

/** "256M", "1G", "65536": a memory size in bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}
