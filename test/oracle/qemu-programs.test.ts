// Hand-written differential programs for what random programs cannot cover:
// control flow (every condition under every NZCV, compare-and-branch and
// test-and-branch on edge values, calls and returns) and system instructions
// usable at EL0. Each runs on qemu-aarch64 -cpu cortex-a57 and on el2sim,
// built by GNU as and by el2sim's assembler; stdout and exit status must agree.
import { describe, expect } from 'vitest';
import { QEMU_TOOLS, gnuBuild, el2simBuild, runQemu, runEl2sim } from './qemu.js';
import { oracleIt } from './tools.js';
import { COND_NAMES } from '../../src/asm/operands/cond.js';

const EXIT0 = ['    mov x0, #0', '    mov x8, #93', '    svc #0'];
/** write(1, out, x20 - out), then exit(0). */
const FLUSH = ['    adr x1, out', '    sub x2, x20, x1', '    mov x0, #1', '    mov x8, #64', '    svc #0', ...EXIT0];
const prologue = ['.text', '.global _start', '_start:', '    adr x20, out'];
const epilogue = (size: number) => ['.data', 'out:', `    .skip ${size}`];
/** Records 'T' if the branch `insn` to 1f is taken, else 'F'. */
const record = (insn: string) => [`    mov w1, #'F'`, `    ${insn.replace('TARGET', '1f')}`, '    b 2f', "1:  mov w1, #'T'", '2:  strb w1, [x20], #1'];

function conditions(): string {
  const L = [...prologue];
  for (let nzcv = 0; nzcv < 16; nzcv++) {
    L.push(`    movz x0, #0x${(nzcv << 12).toString(16)}, lsl #16`, '    msr nzcv, x0');
    for (const c of COND_NAMES) L.push(...record(`b.${c} TARGET`));
    L.push('    mov w1, #10', '    strb w1, [x20], #1');
  }
  return [...L, ...FLUSH, ...epilogue(512)].join('\n') + '\n';
}

function compareAndTest(): string {
  const values = ['0', '1', '0x80000000', '0x100000000', '0x8000000000000000', '0xffffffffffffffff', '0xffffffff00000000', '0x7fffffff'];
  const L = [...prologue];
  for (const v of values) {
    L.push(`    ldr x2, =${v}`);
    for (const r of ['x2', 'w2']) L.push(...record(`cbz ${r}, TARGET`), ...record(`cbnz ${r}, TARGET`));
    for (const bit of [0, 1, 31]) L.push(...record(`tbz w2, #${bit}, TARGET`), ...record(`tbnz w2, #${bit}, TARGET`));
    for (const bit of [32, 62, 63]) L.push(...record(`tbz x2, #${bit}, TARGET`), ...record(`tbnz x2, #${bit}, TARGET`));
    L.push('    mov w1, #10', '    strb w1, [x20], #1');
  }
  return [...L, ...FLUSH, '    .ltorg', ...epilogue(512)].join('\n') + '\n';
}

function calls(): string {
  const L = [
    ...prologue,
    '    bl sub1', // returns with ret
    "    mov w1, #'a'", '    strb w1, [x20], #1',
    '    adr x9, sub2', '    blr x9', // returns with ret x10 (x10 = x30 copy)
    "    mov w1, #'b'", '    strb w1, [x20], #1',
    '    adr x9, tail', '    br x9',
    "    mov w1, #'X'", '    strb w1, [x20], #1', // skipped
    'tail:', "    mov w1, #'c'", '    strb w1, [x20], #1',
    // the link register holds the return address: x30 - (address of the bl + 4) == 0
    '    bl 3f', '4:', '    b 5f', '3:  adr x3, 4b', '    sub x4, x30, x3', '    add w1, w4, #\'0\'', '    strb w1, [x20], #1', '    ret',
    '5:', ...FLUSH,
    "sub1: mov w1, #'1'", '    strb w1, [x20], #1', '    ret',
    "sub2: mov x10, x30", "    mov w1, #'2'", '    strb w1, [x20], #1', '    ret x10',
    ...epilogue(64),
  ];
  return L.join('\n') + '\n';
}

function system(): string {
  const L = [
    ...prologue,
    // NZCV round trip and flags produced by arithmetic
    '    mov x0, #0xa0000000', '    msr nzcv, x0', '    mrs x1, nzcv', '    str x1, [x20], #8',
    '    mov x0, #0', '    subs x2, x0, #1', '    mrs x1, nzcv', '    str x1, [x20], #8',
    // TPIDR_EL0 is the EL0 thread pointer: write, read back
    '    ldr x0, =0x1122334455667788', '    msr tpidr_el0, x0', '    mrs x1, tpidr_el0', '    str x1, [x20], #8',
    // identification visible at EL0
    '    mrs x1, ctr_el0', '    str x1, [x20], #8', '    mrs x1, dczid_el0', '    str x1, [x20], #8',
    // hints and barriers change nothing architecturally visible here
    '    nop', '    yield', '    sevl', '    dmb ish', '    dsb sy', '    dsb ishst', '    isb', '    hint #0x7f',
    // exclusives: a store-exclusive after CLREX fails (status 1), a fresh pair succeeds (0)
    '    adr x5, word', '    ldxr x6, [x5]', '    clrex', '    stxr w7, x6, [x5]', '    str x7, [x20], #8',
    '    ldaxr x6, [x5]', '    add x6, x6, #1', '    stlxr w7, x6, [x5]', '    str x7, [x20], #8', '    ldar x8, [x5]', '    str x8, [x20], #8',
    ...FLUSH, '    .ltorg',
    '.data', '.balign 8', 'word: .quad 41', 'out:', '    .skip 128',
  ];
  return L.join('\n') + '\n';
}

const killed = (insn: string) => ['.text', '.global _start', '_start:', `    ${insn}`, ...EXIT0].join('\n') + '\n';

describe('hand-written programs agree with qemu-aarch64', () => {
  const programs: [string, () => string][] = [
    ['conditional branches under every NZCV', conditions],
    ['compare-and-branch, test-and-branch on edge values', compareAndTest],
    ['calls and returns', calls],
    ['system instructions at EL0', system],
    ['brk kills with SIGTRAP', () => killed('brk #0x3')],
    ['an unallocated word kills with SIGILL', () => killed('.inst 0x00000000')],
    ['an EL1 register at EL0 kills with SIGILL', () => killed('mrs x0, sctlr_el1')],
    ['hvc at EL0 kills with SIGILL', () => killed('hvc #0')],
  ];
  for (const [name, make] of programs) {
    for (const [how, build] of [['GNU as', gnuBuild], ['el2sim asm', el2simBuild]] as const) {
      oracleIt(`${name} (built by ${how})`, how === 'GNU as' ? QEMU_TOOLS : ['qemu-aarch64'], () => {
        const elf = build(make());
        const q = runQemu(elf);
        const e = runEl2sim(elf);
        expect(e.stdout.toString('latin1'), e.message).toBe(q.stdout.toString('latin1'));
        expect(e.status).toBe(q.status);
      });
    }
  }
});
