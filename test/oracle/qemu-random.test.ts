// Random differential execution against qemu-aarch64: every data-processing
// and load/store instruction, with random and edge-valued operands, built by
// GNU as and by el2sim's assembler, must leave the same registers, flags and
// memory on both.
import { describe, expect, it } from 'vitest';
import { INSNS } from '../../src/generated/forms.js';
import { randomProgram, explain, type BaseReg, type Program } from './random-programs.js';
import { QEMU_TOOLS, gnuBuild, el2simBuild, runQemu, runEl2sim } from './qemu.js';
import { oracleIt } from './tools.js';

const PER_INSN = Number(process.env.EL2SIM_RANDOM ?? 12);
const inGroup = (...gs: string[]) => (name: string) => gs.includes(INSNS.find((i) => i.name === name)!.group);
const noSp = (text: string) => !/\bw?sp\b/.test(text);

function dataProcessing(): Program {
  return randomProgram(inGroup('dp-imm', 'dp-reg'), PER_INSN, 11, 4, (_n, _f, text) => ({ ok: noSp(text) }));
}

function loadStore(): Program {
  return randomProgram((n) => INSNS.find((i) => i.name === n)!.group.startsWith('ldst'), PER_INSN, 13, 1, (_n, f, text) => {
    if (!text.includes('[')) {
      // literal loads: aim them at the buffer (prefetches never fault, so any target will do)
      if (text.startsWith('prfm')) return { ok: true };
      return { ok: true, text: text.replace(/\.[-+]\d+$/, `buf + ${8 * (f.Rt ?? 0)}`) };
    }
    if (text.includes('[sp')) return { ok: false };
    const regs = [f.Rt, f.Rt2, f.Rs].filter((r) => r !== undefined);
    const writeback = /\]!|\], /.test(text) || /^st[a-z]*xr|^stlxr|^stxp|^stlxp/.test(text);
    if (writeback && regs.includes(f.Rn)) return { ok: false };
    if (text.startsWith('st') && f.Rs !== undefined && (f.Rs === f.Rt || f.Rs === f.Rt2)) return { ok: false }; // status register = data register
    if (/^ld[a-z]*p\b|^ldxp|^ldaxp/.test(text) && f.Rt === f.Rt2) return { ok: false };
    const bases: BaseReg[] = [{ reg: f.Rn, off: 0 }];
    if (f.Rm !== undefined && f.Rm !== 31) {
      if (regs.includes(f.Rm) || f.Rm === f.Rn) return { ok: false };
      bases.push({ reg: f.Rm, off: 8 * (f.Rm % 16), index: true, garbage: f.option !== undefined && (f.option & 1) === 0 });
    }
    return { ok: true, bases };
  });
}

/** Every instruction of the groups appears in the program. */
function coverage(prog: Program, groups: (g: string) => boolean): string[] {
  const seen = new Set(prog.blocks.flatMap((b) => b.names));
  return INSNS.filter((i) => groups(i.group) && !seen.has(i.name)).map((i) => i.name);
}

function compare(prog: Program, build: (s: string) => Uint8Array): void {
  const elf = build(prog.source);
  const q = runQemu(elf);
  const e = runEl2sim(elf);
  expect(q.status, 'qemu exit status').toBe(0);
  if (!e.stdout.equals(q.stdout)) expect.fail(explain(prog, e.stdout, q.stdout) + (e.message ? `\nel2sim: ${e.message}` : ''));
  expect(e.status).toBe(0);
}

describe('random programs agree with qemu-aarch64', () => {
  const programs: [string, () => Program][] = [['data processing', dataProcessing], ['loads and stores', loadStore]];
  it('cover every data-processing and load/store instruction', () => {
    expect(coverage(dataProcessing(), (g) => g === 'dp-imm' || g === 'dp-reg')).toEqual([]);
    expect(coverage(loadStore(), (g) => g.startsWith('ldst'))).toEqual([]);
  });
  for (const [name, make] of programs) {
    oracleIt(`${name}, built by GNU as`, QEMU_TOOLS, () => compare(make(), gnuBuild));
    oracleIt(`${name}, built by el2sim asm`, ['qemu-aarch64'], () => compare(make(), el2simBuild));
  }
});
