// The assembler against GNU as + ld: each program is assembled by both, GNU's
// sections linked at the addresses el2sim chose, and every section's bytes,
// every symbol's address and the entry point must agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { readElf } from '../../src/elf/read.js';
import { oracleIt } from './tools.js';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-asm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runOk(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

function compare(name: string, source: string): void {
  const ours = assemble(source, `${name}.s`);
  const src = join(dir, `${name}.s`);
  writeFileSync(src, source);
  runOk(AS, [src, '-o', join(dir, `${name}.o`)]);
  const exe = join(dir, name);
  const starts = ours.sections.map((s) => `--section-start=${s.name}=0x${s.addr.toString(16)}`);
  const entry = ours.symbols.some((s) => s.name === '_start') ? '_start' : `0x${ours.entry.toString(16)}`;
  runOk(LD, ['-static', '-e', entry, ...starts, join(dir, `${name}.o`), '-o', exe]);
  const bytes = readFileSync(exe);
  const gnu = readElf(bytes, exe);

  expect(ours.entry).toBe(gnu.entry);
  for (const s of ours.sections) {
    const g = gnu.sections.find((x) => x.name === s.name);
    expect(g, `GNU output has ${s.name}`).toBeDefined();
    // ld's default script ends .bss with `. = ALIGN(8)`; the assembler has no such padding.
    const size = s.name === '.bss' ? Math.ceil(s.size / 8) * 8 : s.size;
    expect([s.name, g!.addr, g!.size]).toEqual([s.name, s.addr, size]);
    if (s.flags !== 'rw-nobits') {
      const gb = Buffer.from(bytes.subarray(g!.offset, g!.offset + g!.size)).toString('hex');
      expect(Buffer.from(s.data).toString('hex'), `bytes of ${s.name}`).toBe(gb);
    }
  }
  for (const sym of ours.symbols) {
    expect([sym.name, gnu.symbols.find((x) => x.name === sym.name)?.value]).toEqual([sym.name, sym.value]);
  }
}

const tools = [AS, LD];

describe('assembler vs GNU as + ld', () => {
  oracleIt('a program over .text, .rodata, .data and .bss with literal pools and local labels', tools, () => {
    compare('sections', `
    .global _start
    .text
_start:
    adr   x1, msg
    adrp  x2, table
    add   x2, x2, #:lo12:table
    ldr   x3, =table
    ldr   w4, =0xdeadbeef
    ldr   x5, =0x1234
    ldr   x6, =table          // shares the entry of the first =table
    ldr   x8, =_start
    ldr   x9, =0x400000       // same value as _start, but GNU as keeps it apart
    mov   x7, #10
1:  subs  x7, x7, #1
    b.ne  1b
    cbz   x7, 2f
    bl    func
2:  b     3f
    .ltorg
func:
    ldr   x9, [x2, #8]
    str   x9, [x2, #16]!
    ldp   x10, x11, [sp], #16
    ldr   x12, [x2, #:lo12:table]
    ret
3:  ldr   x0, =counter
    ldr   w1, =-5
    ldrsw x1, =-6
    tbz   w0, #3, 1b
    b     .

    .section .rodata
msg: .asciz "hello, world\\n"
msg_end:
    .align 3
ro: .quad msg, msg_end, ., ro - msg

    .data
    .balign 16
table: .quad 1, 2, 3, _start, counter
    .word 0x12345678
    .byte 1, 2, 3
    .hword -1

    .bss
    .align 4
counter: .skip 8
buf: .zero 100
`);
  });

  oracleIt('data directives, alignment padding and expressions in .text and .data', tools, () => {
    compare('directives', `
    .text
    add x0, x0, #1
    .align 4
    add x0, x0, #1
    .byte 1
    .align 3
    .byte 2
    .balign 8, 0xaa
    .byte 3
    .p2align 4,,4
    .quad 1 + 2 << 3, -16 >> 2, 7/-2, -7 % 3, 1 < 2, 3 | 4 + 1, 2 * 3 + 4, 3 == 1 + 2, 010
    .byte 'A, 'A', '\\n, '\\\\
    .word ~0, -(1), +3
    add x1, x1, #2
    .data
    .ascii "a\\tb\\n\\x41\\101\\"\\\\z"
    .asciz "x"
    .string "yy"
    .skip 3, 0x55
    .space 2
    .zero 3
    .hword 0x1234
    .short 5
    .long 6
    .xword 7
    .equ K, 5
    K2 = K * 2
    .set K, 6
    .byte K, K2
    .p2align 3
    .quad . , K2 - K
    .inst 0xd503201f
`);
  });

  oracleIt('comments, statement separators and labels', tools, () => {
    compare('syntax', `
# a comment line
  # an indented one
    .globl _start
    .type _start, %function
_start: a: add x0, x0, #1 ; add x1, x1, #2 // two statements
    add x2, x2, # 3 /* a comment
    over two lines ; with a separator */ ; sub x3, x3, #(1+2)*2
    .ascii "; // /* #"
    add x4, x4, #'A
lonely:

    b lonely
    .size _start, . - _start
    .data
1:  .quad 1b, 2f
2:  .quad 1b
`);
  });

  oracleIt('literal pool sharing, pools at .ltorg and section ends, sections with flags', tools, () => {
    compare('pools', `
    .text
_start:
    ldr   w0, =lbl
    ldr   x1, =lbl + 8
    ldr   x2, =lbl+8              // the same expression: one entry
1:  ldr   x3, =1b
1:  ldr   x4, =1b                 // another label: another entry
    ldr   x5, =.
    ldr   x6, =.
    .byte 1
    .align 2
    .ltorg
    .ltorg                        // empty: emits nothing
    add   x0, x0, #1
    ldr   x7, =-1
    ldr   x8, =0xffffffffffffffff // equal bits, but not shared by GNU as
    ldr   w9, =0xffffffff
    ldr   w10, =-1
    .quad 3
lbl: .byte 5
    .data
    .byte 9
    .align 2
    ldr   x0, =0x55               // a pool at the end of .data
    .word 4
    .section .rodata
    .byte 1
    .section .myro, "a"
    .asciz "hi"
    .section .mybss, "aw", @nobits
    .skip 10
    .section .mytext, "ax"
    add   x0, x0, #2
`);
  });
});
