// Driving GNU binutils as an oracle: disassemble words with objdump, assemble
// text with as (+ ld at address 0, so PC-relative operands resolve).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';
const OBJDUMP = 'aarch64-linux-gnu-objdump';
const OBJCOPY = 'aarch64-linux-gnu-objcopy';

function withDir<T>(fn: (d: string) => T): T {
  const d = mkdtempSync(join(tmpdir(), 'el2sim-gnu-'));
  try { return fn(d); } finally { rmSync(d, { recursive: true, force: true }); }
}

/** objdump's text (mnemonic\toperands, <symbol> parts removed) for each word, at addresses 0, 4, 8… */
export function gnuDisassemble(words: number[]): string[] {
  return withDir((d) => {
    writeFileSync(join(d, 'a.s'), words.map((w) => `.inst 0x${(w >>> 0).toString(16)}`).join('\n') + '\n');
    execFileSync(AS, ['-o', join(d, 'a.o'), join(d, 'a.s')]);
    const out = execFileSync(OBJDUMP, ['-d', '-z', '--no-show-raw-insn', join(d, 'a.o')], { maxBuffer: 1 << 28 }).toString();
    const res: string[] = new Array(words.length).fill('');
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
      if (m) res[parseInt(m[1], 16) / 4] = normalize(m[2]);
    }
    return res;
  });
}

/** Assembles one instruction per line at addresses 0, 4, 8…; a line GNU as rejects gives undefined. */
export function gnuAssemble(lines: string[]): (number | undefined)[] {
  return withDir((d) => {
    const bad = new Set<number>();
    for (let attempt = 0; attempt < 50; attempt++) {
      // a label at address 0: targets are written `base + 0x…`, which GNU as resolves PC-relatively
      const src = 'base:\n' + lines.map((l, i) => (bad.has(i) ? 'nop' : l)).join('\n') + '\n';
      writeFileSync(join(d, 'a.s'), src);
      try {
        execFileSync(AS, ['-o', join(d, 'a.o'), join(d, 'a.s')], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (e) {
        const err = String((e as { stderr?: Buffer }).stderr ?? '');
        const lineNos = [...err.matchAll(/a\.s:(\d+): Error/g)].map((m) => Number(m[1]) - 2);
        if (!lineNos.length) throw e;
        lineNos.forEach((n) => bad.add(n));
        continue;
      }
      execFileSync(LD, ['-Ttext=0', '-e', '0', '-o', join(d, 'a.elf'), join(d, 'a.o')], { stdio: 'ignore' });
      execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(d, 'a.elf'), join(d, 'a.bin')]);
      const bin = readFileSync(join(d, 'a.bin'));
      return lines.map((_, i) => (bad.has(i) ? undefined : bin.readUInt32LE(i * 4)));
    }
    throw new Error('GNU as rejected too many lines');
  });
}

/** Whitespace and symbol annotations normalised, for comparing disassembly text. */
export function normalize(s: string): string {
  return s.replace(/\s*<[^>]*>/g, '').replace(/\s*\/\/.*$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}
