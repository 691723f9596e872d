// Random differential programs: blocks of random instructions (drawn from the
// encoding corpus, printed as assembly text), each preceded by loading every
// register and NZCV from a table of edge-biased values and followed by a dump
// of all registers and NZCV through write(2). The same program runs on
// qemu-aarch64 and on el2sim; the dumps must be byte-identical.
import { INSNS } from '../../src/generated/forms.js';
import { disassemble } from '../../src/asm/disasm.js';
import { fieldsOf } from '../../src/asm/fields.js';
import { corpus } from './corpus.js';

const EDGES = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen, 0x123456789abcdef0n, 0x8000000080000000n, 63n, 64n, 31n, 32n];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** A register a memory instruction needs set: to buf + off (a base), or to a small index with optional garbage in the upper half. */
export interface BaseReg { reg: number; off: number; index?: boolean; garbage?: boolean }
export interface Block { lines: string[]; names: string[]; init: bigint[]; bases: BaseReg[] }

export interface Program { source: string; blocks: Block[] }

/** A register value: an edge value or a random one. */
function value(rand: () => number): bigint {
  const r = rand() % 3;
  if (r === 0) return EDGES[rand() % EDGES.length];
  const v = (BigInt(rand()) << 32n) | BigInt(rand());
  return r === 1 ? v : v & 0xffffffffn;
}

const BUF_SIZE = 0x10000;
const BASE_OFF = 0x8000;

/**
 * Builds a program from corpus words accepted by `usable` (which may also
 * request base registers for memory operands). `perBlock` instructions a block.
 */
export function randomProgram(names: (name: string) => boolean, perInsn: number, seed: number, perBlock: number,
  usable: (name: string, f: Record<string, number>, text: string) => { ok: boolean; bases?: BaseReg[]; text?: string }): Program {
  const rand = rng(seed);
  // oversample, then keep perInsn printable words of each instruction (some field values are unallocated)
  const kept = new Map<string, number>();
  const samples = corpus((n) => names(n), perInsn * 32, seed).filter((s) => {
    if (disassemble(s.word).startsWith('.inst') || (kept.get(s.name) ?? 0) >= perInsn) return false;
    kept.set(s.name, (kept.get(s.name) ?? 0) + 1);
    return true;
  });
  // shuffle so that blocks mix instructions
  for (let i = samples.length - 1; i > 0; i--) { const j = rand() % (i + 1); [samples[i], samples[j]] = [samples[j], samples[i]]; }
  const blocks: Block[] = [];
  let cur: Block = { lines: [], names: [], init: [], bases: [] };
  for (const s of samples) {
    const info = INSNS.find((i) => i.name === s.name)!;
    // generated for address 0: PC-relative targets become offsets from the instruction (`.+N`)
    const text = disassemble(s.word, 0n, undefined, (a) => { const off = BigInt.asIntN(64, a); return off < 0n ? `.-${-off}` : `.+${off}`; });
    const u = usable(s.name, fieldsOf(info, s.word), text);
    if (!u.ok) continue;
    // a block's base registers must not be clobbered by its other instructions: one memory op per block
    if (u.bases?.length && cur.lines.length) { blocks.push(cur); cur = { lines: [], names: [], init: [], bases: [] }; }
    cur.lines.push(u.text ?? text);
    cur.names.push(s.name);
    cur.bases.push(...(u.bases ?? []));
    if (cur.lines.length >= perBlock || u.bases?.length) { blocks.push(cur); cur = { lines: [], names: [], init: [], bases: [] }; }
  }
  if (cur.lines.length) blocks.push(cur);
  for (const b of blocks) {
    b.init = Array.from({ length: 31 }, () => value(rand));
    b.init.push(BigInt(rand() & 0xf) << 28n); // NZCV
  }
  return { source: emit(blocks), blocks };
}

function emit(blocks: Block[]): string {
  const L: string[] = ['.text', '.global _start', '_start:', '    adr x0, table', '    mov sp, x0'];
  for (const b of blocks) {
    L.push('    ldr x0, [sp, #248]', '    msr nzcv, x0');
    for (let r = 0; r < 30; r += 2) L.push(`    ldp x${r}, x${r + 1}, [sp, #${r * 8}]`);
    L.push('    ldr x30, [sp, #240]');
    for (const { reg, off, index, garbage } of b.bases) {
      if (!index) L.push(`    adr x${reg}, buf`, `    add x${reg}, x${reg}, #${BASE_OFF + off}`);
      else L.push(`    mov x${reg}, #${off}`, ...(garbage ? [`    movk x${reg}, #0xdead, lsl #48`] : []));
    }
    for (const l of b.lines) L.push('    ' + l);
    for (let r = 0; r < 30; r += 2) L.push(`    stp x${r}, x${r + 1}, [sp, #${r * 8}]`);
    L.push('    str x30, [sp, #240]', '    mrs x0, nzcv', '    str x0, [sp, #248]');
    L.push('    mov x0, #1', '    mov x1, sp', '    mov x2, #256', '    mov x8, #64', '    svc #0', '    add sp, sp, #256');
    if (b.bases.length) L.push('    mov x0, #1', '    adr x1, buf', '    mov x2, #' + BUF_SIZE, '    mov x8, #64', '    svc #0');
  }
  L.push('    mov x0, #0', '    mov x8, #93', '    svc #0');
  L.push('.data', '.balign 16', 'table:');
  for (const b of blocks) for (const v of b.init) L.push(`    .quad 0x${v.toString(16)}`);
  L.push('.balign 16', 'buf:', `    .skip ${BUF_SIZE}`);
  return L.join('\n') + '\n';
}

/** Splits a run's output into per-block register dumps for a readable diff. */
export function explain(prog: Program, ours: Buffer, theirs: Buffer): string {
  let off = 0;
  for (let i = 0; i < prog.blocks.length; i++) {
    const b = prog.blocks[i];
    const size = 256 + (b.bases.length ? BUF_SIZE : 0);
    const a = ours.subarray(off, off + size), t = theirs.subarray(off, off + size);
    if (!a.equals(t)) {
      const regs: string[] = [];
      for (let r = 0; r < 32; r++) {
        const x = a.length >= r * 8 + 8 ? a.readBigUInt64LE(r * 8) : undefined;
        const y = t.length >= r * 8 + 8 ? t.readBigUInt64LE(r * 8) : undefined;
        if (x !== y) regs.push(`${r === 31 ? 'nzcv' : 'x' + r}: el2sim ${x?.toString(16)} qemu ${y?.toString(16)}`);
      }
      if (!regs.length) regs.push('memory buffer differs');
      return `block ${i}:\n  ${b.lines.join('\n  ')}\ninputs: ${b.init.map((v, r) => `${r === 31 ? 'nzcv' : 'x' + r}=${v.toString(16)}`).join(' ')}\n${regs.join('\n')}`;
    }
    off += size;
  }
  return `outputs differ in length: el2sim ${ours.length} bytes, qemu ${theirs.length}`;
}
