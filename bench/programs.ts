// Benchmark programs: guest sources with their `.equ` parameters set, assembled by el2sim.
import { readFileSync } from 'node:fs';
import { assemble } from '../src/asm/assembler.js';

const ROOT = new URL('../', import.meta.url).pathname;

/** The source at `path` (from the repository root) with each `.equ NAME, n` of `equs` rewritten. */
function build(path: string, equs: Record<string, number>, textBase?: bigint): Uint8Array {
  let src = readFileSync(ROOT + path, 'utf8');
  for (const [name, value] of Object.entries(equs)) src = src.replace(new RegExp(`\\.equ\\s+${name},\\s*\\d+`), `.equ ${name}, ${value}`);
  return assemble(src, path, textBase === undefined ? {} : { textBase }).elf;
}

/** guest/user/NAME.S with ITERS set, for `exec`. */
export const buildWithIters = (name: string, iters: number) => build(`guest/user/${name}.S`, { ITERS: iters });

/** guest/bare/tlbloop.S with MMU, PAGES and ITERS set, for `boot`. */
export const buildTlbLoop = (p: { mmu: boolean; pages: number; iters: number }) =>
  build('guest/bare/tlbloop.S', { MMU: p.mmu ? 1 : 0, PAGES: p.pages, ITERS: p.iters }, 0x40080000n);
