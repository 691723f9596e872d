// Bare-metal images (test/images) built by el2sim's assembler or by GNU
// as + ld, and run on qemu-system-aarch64's virt machine or on `el2sim boot`,
// for differential tests: the UART output is what they compare.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../src/asm/assembler.js';
import { readElf } from '../../src/elf/read.js';
import { runBoot } from '../../src/machine/boot.js';
import type { RunResult } from '../../src/machine/machine.js';
import { loadTiming } from '../../src/spec/timing.js';

export const QEMU_SYSTEM = 'qemu-system-aarch64';
export const GNU_TOOLS = ['aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld'];
/** Where the images are linked: RAM starts at 0x4000_0000, and QEMU puts the device tree there. */
export const TEXT_BASE = 0x40080000n;
export const MEM_MIB = 256;

const IMAGES = new URL('../images/', import.meta.url);

/** lib.S followed by the image's own source (the assembler has no .include). */
export function imageSource(name: string): string {
  return readFileSync(new URL('lib.S', IMAGES), 'utf8') + '\n' + readFileSync(new URL(`${name}.S`, IMAGES), 'utf8');
}

function withDir<T>(fn: (d: string) => T): T {
  const d = mkdtempSync(join(tmpdir(), 'el2sim-sys-'));
  try { return fn(d); } finally { rmSync(d, { recursive: true, force: true }); }
}

/** The ELF of test/images/<name>.S, linked at TEXT_BASE. */
export function buildImage(name: string, { by }: { by: 'el2sim' | 'gnu' }): Uint8Array {
  const source = imageSource(name);
  if (by === 'el2sim') return assemble(source, `${name}.S`, { textBase: TEXT_BASE }).elf;
  return withDir((d) => {
    writeFileSync(join(d, 'image.S'), source);
    execFileSync(GNU_TOOLS[0], ['-o', join(d, 'image.o'), join(d, 'image.S')]);
    execFileSync(GNU_TOOLS[1], [`-Ttext=0x${TEXT_BASE.toString(16)}`, '-o', join(d, 'image.elf'), join(d, 'image.o')]);
    return readFileSync(join(d, 'image.elf'));
  });
}

export interface SystemRun { uart: string; status: number | null; timedOut: boolean }

/**
 * QEMU's command line for an ELF: it loads the segments at their physical
 * addresses and starts at the entry point at the highest EL there is, EL2
 * with virtualization=on (PSCI through SMC) and EL1 without (through HVC).
 */
export function qemuSystemArgs(kernel: string, el: 1 | 2 = 2): string[] {
  const machine = el === 2 ? 'virt,virtualization=on,gic-version=3' : 'virt,gic-version=3';
  return ['-M', machine, '-cpu', 'cortex-a57', '-m', `${MEM_MIB}M`, '-nographic', '-nic', 'none', '-no-reboot', '-kernel', kernel];
}

/** Runs an image on QEMU until it powers off or the timeout kills it; stdout is the UART. */
export function runQemuSystem(elf: Uint8Array, opts: { el?: 1 | 2; timeoutMs?: number } = {}): SystemRun {
  return withDir((d) => {
    const kernel = join(d, 'image.elf');
    writeFileSync(kernel, elf);
    const r = spawnSync(QEMU_SYSTEM, qemuSystemArgs(kernel, opts.el), {
      stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 20_000, maxBuffer: 1 << 24,
    });
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    if (r.error && !timedOut) throw r.error;
    return { uart: r.stdout.toString('latin1'), status: r.status, timedOut };
  });
}

/** The same image on `el2sim boot`, with QEMU's memory size. */
export function runEl2simBoot(elf: Uint8Array, opts: { el?: 1 | 2; maxInsns?: number } = {}): RunResult & { uart: string } {
  const out: Buffer[] = [];
  const r = runBoot(readElf(elf, 'image.elf'), {
    el: opts.el ?? 2, memBytes: MEM_MIB << 20, timing: loadTiming(), maxInsns: opts.maxInsns ?? 10_000_000,
    output: (b) => { out.push(Buffer.from(b)); },
  });
  return { ...r, uart: Buffer.concat(out).toString('latin1') };
}
