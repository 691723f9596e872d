// Running programs on qemu-aarch64 and on el2sim, built by GNU as+ld and by
// el2sim's assembler, for differential tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, constants } from 'node:os';
import { join } from 'node:path';
import { readElf } from '../../src/elf/read.js';
import { runUser } from '../../src/user/process.js';
import { loadTiming } from '../../src/spec/timing.js';
import { assemble } from '../../src/asm/assembler.js';

export const QEMU_TOOLS = ['qemu-aarch64', 'aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld'];

export interface RunOutput { stdout: Buffer; status: number | null }

export function gnuBuild(source: string): Uint8Array {
  const d = mkdtempSync(join(tmpdir(), 'el2sim-q-'));
  try {
    writeFileSync(join(d, 'p.s'), source);
    execFileSync('aarch64-linux-gnu-as', ['-march=armv8.2-a', '-o', join(d, 'p.o'), join(d, 'p.s')]);
    execFileSync('aarch64-linux-gnu-ld', ['-static', '-o', join(d, 'p'), join(d, 'p.o')]);
    return readFileSync(join(d, 'p'));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

export function el2simBuild(source: string): Uint8Array {
  return assemble(source, 'program.S').elf;
}

export function runQemu(elf: Uint8Array, args: string[] = []): RunOutput {
  const d = mkdtempSync(join(tmpdir(), 'el2sim-q-'));
  try {
    writeFileSync(join(d, 'p'), elf, { mode: 0o755 });
    const r = spawnSync('qemu-aarch64', ['-cpu', 'cortex-a57', join(d, 'p'), ...args], { maxBuffer: 1 << 30, timeout: 60_000 });
    // killed by a signal: report it the way a shell (and el2sim) does, 128 + signal number
    return { stdout: r.stdout, status: r.status ?? 128 + (constants.signals[r.signal as keyof typeof constants.signals] ?? 0) };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

export function runEl2sim(elf: Uint8Array, args: string[] = [], maxInsns = 50_000_000): RunOutput & { message?: string } {
  const chunks: Buffer[] = [];
  const r = runUser(readElf(elf, 'program'), {
    argv: ['program', ...args], maxInsns, timing: loadTiming(),
    output: (fd, b) => { if (fd === 1) chunks.push(Buffer.from(b)); },
  });
  return { stdout: Buffer.concat(chunks), status: r.exitCode, message: r.message };
}
