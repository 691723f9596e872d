// Benchmark programs: guest/user sources with their iteration count set.
import { readFileSync } from 'node:fs';
import { assemble } from '../src/asm/assembler.js';

const ROOT = new URL('../', import.meta.url).pathname;

/** guest/user/NAME.S with `.equ ITERS, n` rewritten, assembled by el2sim. */
export function buildWithIters(name: string, iters: number): Uint8Array {
  const src = readFileSync(`${ROOT}guest/user/${name}.S`, 'utf8').replace(/\.equ\s+ITERS,\s*\d+/, `.equ    ITERS, ${iters}`);
  return assemble(src, `${name}.S`).elf;
}
