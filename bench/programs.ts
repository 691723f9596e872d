// Benchmark programs: guest/user sources with their iteration count set.
import { readFileSync } from 'node:fs';
import { assemble } from '../src/asm/assembler.js';

const ROOT = new URL('../', import.meta.url).pathname;

/** guest/user/NAME.S with `.equ ITERS, n` rewritten, assembled by el2sim. */
export function buildWithIters(name: string, iters: number): Uint8Array {
  const src = readFileSync(`${ROOT}guest/user/${name}.S`, 'utf8').replace(/\.equ\s+ITERS,\s*\d+/, `.equ    ITERS, ${iters}`);
  return assemble(src, `${name}.S`).elf;
}

/** guest/bare/tlbloop.S with its `.equ` parameters set (MMU, PAGES, ITERS), assembled by el2sim for `boot`. */
export function buildTlbLoop(p: { mmu: boolean; pages: number; iters: number }): Uint8Array {
  const src = readFileSync(`${ROOT}guest/bare/tlbloop.S`, 'utf8')
    .replace(/\.equ\s+MMU,\s*\d+/, `.equ MMU, ${p.mmu ? 1 : 0}`)
    .replace(/\.equ\s+PAGES,\s*\d+/, `.equ PAGES, ${p.pages}`)
    .replace(/\.equ\s+ITERS,\s*\d+/, `.equ ITERS, ${p.iters}`);
  return assemble(src, 'tlbloop.S', { textBase: 0x40080000n }).elf;
}
