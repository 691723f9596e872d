// The GDB stub against the real debugger: Debian's gdb-multiarch in batch mode
// (`-batch -ex 'target remote …'`) on `el2sim vm run --gdb` and `el2sim boot
// --gdb`. A missing gdb-multiarch skips these loudly (fails with
// EL2SIM_REQUIRE_ORACLES=1, as in CI).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { readElf } from '../../src/elf/read.js';
import { KERNEL_PATH, VMM_PATH } from '../../src/machine/vm.js';
import { startEl2sim } from '../gdb/client.js';
import { TEXT_BASE } from './qemu-system.js';
import { oracleIt } from './tools.js';

const GDB = 'gdb-multiarch';
const dir = mkdtempSync(join(tmpdir(), 'el2sim-gdb-oracle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kernel = readElf(readFileSync(KERNEL_PATH), KERNEL_PATH);
const symIn = (elf: ReturnType<typeof readElf>, name: string) => {
  const s = elf.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value;
};
const hex = (v: bigint) => '0x' + v.toString(16);

/** The 32-bit word of the kernel image at a VA (its initial value). */
function imageWord(va: bigint): number {
  for (const s of kernel.segments) {
    if (va >= s.vaddr && va + 4n <= s.vaddr + BigInt(s.data.length)) return Buffer.from(s.data).readUInt32LE(Number(va - s.vaddr));
  }
  throw new Error(`no image bytes at ${hex(va)}`);
}

/** Starts el2sim with the stub waiting, runs gdb-multiarch's commands on it, and returns gdb's output and el2sim's end. */
async function session(args: string[], symbols: string, commands: string[]) {
  const p = await startEl2sim([...args, '--gdb-wait']);
  try {
    const ex = ['-ex', 'set pagination off', '-ex', `target remote 127.0.0.1:${p.port}`, ...commands.flatMap((c) => ['-ex', c])];
    const r = await promisify(execFile)(GDB, ['-batch', '-nx', ...ex, symbols], { timeout: 120_000 }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`gdb failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}\nel2sim: ${p.stderr()}`);
    });
    const status = await Promise.race([p.exited, new Promise<'running'>((res) => setTimeout(() => res('running'), 60_000))]);
    return { gdb: r.stdout + r.stderr, status, stdout: p.stdout(), stderr: p.stderr() };
  } finally {
    p.child.kill();
  }
}

const NATIVE = ['vm', 'run', '--mode', 'native', '--workload', 'hello'];

describe('GDB stub with gdb-multiarch', () => {
  oracleIt('stop and read: a breakpoint on a kernel function, registers, CurrentEL, a variable through TTBR1', [GDB], async () => {
    const pid = symIn(kernel, 'next_pid');
    const r = await session(NATIVE, KERNEL_PATH, [
      'break kernel_main', 'continue', 'info registers pc', 'p/x $CurrentEL', `p/x *(unsigned int *)${hex(pid)}`, 'p/x *(unsigned int *)&next_pid', 'monitor el', 'detach',
    ]);
    expect(r.gdb).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in kernel_main/);
    expect(r.gdb).toMatch(new RegExp(`pc\\s+${hex(symIn(kernel, 'kernel_main'))}\\s+${hex(symIn(kernel, 'kernel_main'))} <kernel_main>`));
    expect(r.gdb).toContain('$1 = 0x4'); // CurrentEL.EL = 1
    const v = '0x' + imageWord(pid).toString(16);
    expect(r.gdb).toContain(`$2 = ${v}`);
    expect(r.gdb).toContain(`$3 = ${v}`);
    expect(r.gdb).toContain('EL1 (SPSel 1)');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hello from hello');
  });

  oracleIt('watch the page tables: a watchpoint on a page-table entry stops at the kernel\'s store that writes it', [GDB], async () => {
    const r = await session(NATIVE, KERNEL_PATH, [
      'break set_pte', 'continue', 'delete', 'p/x $x1', 'watch -l *(unsigned long *)$x0', 'continue', 'p/x *(unsigned long *)$x0', 'x/i $pc', 'detach',
    ]);
    expect(r.gdb).toMatch(/Hardware watchpoint 2: -location \*\(unsigned long \*\)\$x0/);
    expect(r.gdb).toMatch(/Old value = 0\s+New value = \d+/);
    // gdb stepped over the store it stopped before (as on Arm hardware): the next instruction of set_pte
    expect(r.gdb).toMatch(/=> 0x[0-9a-f]+ <set_pte\+4>/);
    const written = /\$1 = (0x[0-9a-f]+)/.exec(r.gdb)![1];
    expect(r.gdb).toContain(`$2 = ${written}`);
    expect(r.status).toBe(0);
  });

  oracleIt('stepping across an exception entry and its ERET lands on the vector and back after the HVC', [GDB], async () => {
    const src = readFileSync(new URL('../images/lib.S', import.meta.url), 'utf8') + `
    .text
    .global _start
_start:
    adr x0, vec
    msr vbar_el2, x0
    isb
    mov x1, #1
call: hvc #0x12
back: mov x2, #2
    b poweroff
    .balign 2048
vec: .skip 0x200
sync: mov x3, #3
    eret
`;
    const file = join(dir, 'hvc.elf');
    writeFileSync(file, assemble(src, 'hvc.S', { textBase: TEXT_BASE }).elf);
    const img = readElf(readFileSync(file), file);
    const at = (n: string) => hex(symIn(img, n));
    const r = await session(['boot', file], file, [
      `break *${at('call')}`, 'continue', 'delete', 'stepi', 'p/x $pc', 'p/x $ESR_EL2', 'p/x $ELR_EL2', 'stepi', 'stepi', 'p/x $pc', 'p/x $x3', 'p/x $CurrentEL', 'continue',
    ]);
    expect(r.gdb).toContain(`$1 = ${hex(symIn(img, 'vec') + 0x200n)}`); // current EL with SP_ELx, synchronous
    expect(r.gdb).toContain('$2 = 0x5a000012'); // EC 0x16 (HVC), IL, imm16
    expect(r.gdb).toContain(`$3 = ${at('back')}`);
    expect(r.gdb).toContain(`$4 = ${at('back')}`); // ERET returned to ELR_EL2
    expect(r.gdb).toContain('$5 = 0x3');
    expect(r.gdb).toContain('$6 = 0x8');
    expect(r.gdb).toContain('exited normally');
    expect(r.status).toBe(0);
  });

  oracleIt('the stub is invisible: stats with breakpoints hit and continued through equal those of a run without it', [GDB], async () => {
    const plain = join(dir, 'plain.json'), debugged = join(dir, 'debugged.json');
    await promisify(execFile)('node', ['bin/el2sim.js', ...NATIVE, '--stats', plain]);
    const r = await session([...NATIVE, '--stats', debugged], KERNEL_PATH, [
      'break kprintf', 'ignore 1 2', 'break set_pte', 'continue', 'stepi', 'stepi', 'continue', 'info breakpoints', 'delete', 'continue',
    ]);
    expect(r.gdb).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in kprintf/);
    expect(r.gdb).toMatch(/Breakpoint 2, 0x[0-9a-f]+ in set_pte/);
    expect(r.gdb).toMatch(/breakpoint already hit 3 times/);
    expect(r.gdb).toContain('exited normally');
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(debugged, 'utf8'))).toEqual(JSON.parse(readFileSync(plain, 'utf8')));
  });

  const haveVmm = existsSync(VMM_PATH);
  if (!haveVmm) console.warn(`gdb stage 2 test skipped: no ${VMM_PATH}`);
  (haveVmm ? oracleIt : (name: string) => it.skip(name))('the vmm: a breakpoint in its stage 2 fault handler stops at EL2; monitor walk goes through both stages', [GDB], async () => {
    const vmm = readElf(readFileSync(VMM_PATH), VMM_PATH);
    const kmain = symIn(kernel, 'kernel_main');
    const r = await session(['vm', 'run', '--mode', 'stage2', '--workload', 'hello'], VMM_PATH, [
      'break stage2_map_fault', 'continue', 'p/x $CurrentEL', 'info registers pc', 'p/x $HPFAR_EL2', 'monitor view el1', `monitor walk ${hex(kmain)}`, `monitor walk 0x40080000`, 'monitor view el2', 'delete', 'detach',
    ]);
    expect(r.gdb).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in stage2_map_fault/);
    expect(r.gdb).toContain('$1 = 0x8');
    expect(r.gdb).toContain(hex(symIn(vmm, 'stage2_map_fault')));
    expect(r.gdb).toMatch(/over stage 2 \(VMID \d+\)/);
    expect(r.gdb).toMatch(/stage 2 level \d: descriptor at PA/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hello from hello');
  });
});
