// The GDB stub at the protocol level, with a small RSP client (no gdb needed):
// the guest kernel under `el2sim vm run --mode native --gdb`, stopped before
// its first instruction. Registers, the target description, breakpoints by
// symbol, memory through each view, a watchpoint on a page-table entry that
// stops before the guest's store, single steps, errors for unmapped memory and
// malformed packets, detach; and the stub's invisibility: a run with
// breakpoints, watchpoints and steps continued through has the same stats as
// a run without the stub.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/read.js';
import { assemble } from '../../src/asm/assembler.js';
import { KERNEL_PATH } from '../../src/machine/vm.js';
import { RspClient, startEl2sim } from './client.js';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-gdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kernel = readElf(readFileSync(KERNEL_PATH), KERNEL_PATH);
const sym = (name: string): bigint => {
  const s = kernel.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name} in the guest kernel`);
  return s.value;
};
/** The kernel runs at VA = PA + KOFF (its TTBR1 mapping of RAM). */
const KOFF = 0xffff000000000000n;
const hex = (v: bigint) => v.toString(16);
const le64 = (h: string) => Buffer.from(h, 'hex').readBigUInt64LE(0);
/** The bytes of the kernel image at a VA, from the ELF file. */
function imageBytes(va: bigint, n: number): string {
  for (const s of kernel.segments) {
    if (va >= s.vaddr && va + BigInt(n) <= s.vaddr + BigInt(s.data.length)) {
      const off = Number(va - s.vaddr);
      return Buffer.from(s.data.subarray(off, off + n)).toString('hex');
    }
  }
  throw new Error(`no image bytes at ${hex(va)}`);
}

const VM_ARGS = ['vm', 'run', '--mode', 'native', '--workload', 'hello'];

/** A bare-metal image that counts in x0 forever (at 0x40080000). */
function loopImage(): string {
  const file = join(dir, 'loop.elf');
  writeFileSync(file, assemble('.text\n.global _start\n_start:\n  add x0, x0, #1\n  b _start\n', 'loop.S', { textBase: 0x40080000n }).elf);
  return file;
}

/** Register numbers by name, from the stub's target description. */
async function regnums(c: RspClient): Promise<Map<string, number>> {
  let xml = '';
  for (;;) {
    const part = await c.request(`qXfer:features:read:target.xml:${xml.length.toString(16)},800`);
    xml += part.slice(1);
    if (part[0] === 'l') break;
    expect(part[0]).toBe('m');
  }
  const out = new Map<string, number>();
  for (const m of xml.matchAll(/<reg name="([^"]+)" bitsize="\d+" regnum="(\d+)"/g)) out.set(m[1]!, Number(m[2]));
  expect(xml).toContain('<feature name="org.gnu.gdb.aarch64.core">');
  expect(xml).toContain('<feature name="org.el2sim.aarch64.sysregs">');
  return out;
}

describe('GDB stub (remote serial protocol)', () => {
  it('stops, reads, breaks, watches, steps and detaches', async () => {
    const p = await startEl2sim([...VM_ARGS, '--gdb-wait']);
    const c = await RspClient.connect(p.port);
    try {
      expect(await c.request('qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=aarch64')).toContain('qXfer:features:read+');
      expect(await c.request('?')).toMatch(/^T05/);
      const regs = await regnums(c);
      for (const r of ['x0', 'x30', 'sp', 'pc', 'cpsr', 'SCTLR_EL1', 'TCR_EL1', 'TTBR0_EL1', 'TTBR1_EL1', 'MAIR_EL1', 'VBAR_EL1', 'ESR_EL1', 'FAR_EL1', 'ELR_EL1', 'SPSR_EL1',
        'SCTLR_EL2', 'TCR_EL2', 'TTBR0_EL2', 'MAIR_EL2', 'VBAR_EL2', 'ESR_EL2', 'FAR_EL2', 'ELR_EL2', 'SPSR_EL2', 'HCR_EL2', 'VTCR_EL2', 'VTTBR_EL2', 'HPFAR_EL2', 'CurrentEL']) {
        expect(regs.has(r), r).toBe(true);
      }
      expect(regs.get('pc')).toBe(32);

      // stopped before the first instruction: pc is the entry point, at EL1 (native runs start the kernel there)
      const g = await c.request('g');
      expect(g.length).toBe(33 * 16 + 8);
      expect(le64(g.slice(32 * 16, 33 * 16))).toBe(kernel.entry);
      const cpsr = Buffer.from(g.slice(33 * 16), 'hex').readUInt32LE(0);
      expect((cpsr >> 2) & 3).toBe(1);
      expect(le64(await c.request(`p${regs.get('CurrentEL')!.toString(16)}`))).toBe(4n);

      // a breakpoint on a kernel function (a TTBR1 VA): continue stops there, nothing of the image changed
      const kmain = sym('kernel_main');
      expect(await c.request(`Z0,${hex(kmain)},4`)).toBe('OK');
      expect(await c.request('c')).toMatch(/^T05.*swbreak/);
      expect(le64(await c.request('p20'))).toBe(kmain);
      expect(await c.request(`m${hex(kmain)},10`)).toBe(imageBytes(kmain, 16));
      expect(await c.request(`z0,${hex(kmain)},4`)).toBe('OK');

      // memory through each view: the kernel's VA (current = EL1&0), its PA (phys); EL2's regime does not map it
      const codeVa = sym('set_pte');
      const code = imageBytes(codeVa, 8);
      expect(await c.request(`m${hex(codeVa)},8`)).toBe(code);
      expect(await c.monitor('view el1')).toContain('el1');
      expect(await c.request(`m${hex(codeVa)},8`)).toBe(code);
      await c.monitor('view phys');
      expect(await c.request(`m${hex(codeVa - KOFF)},8`)).toBe(code);
      expect(await c.request('m100000000000,8')).toBe('E14'); // beyond RAM
      await c.monitor('view el2');
      expect(await c.request(`m${hex(codeVa)},8`)).toMatch(/^E/);
      await c.monitor('view current');
      // unmapped in the kernel's own regime: an error reply, and the stub carries on
      expect(await c.request('mffff7f0000000000,8')).toBe('E14');
      expect(await c.request('M ffff7f0000000000,1:00'.replace(' ', ''))).toBe('E14');
      expect(await c.monitor('walk ' + hex(codeVa))).toMatch(/stage 1 level \d: descriptor at PA/);
      expect(await c.monitor('translate ' + hex(codeVa))).toContain(`PA 0x${hex(codeVa - KOFF)}`);
      expect(await c.monitor('tlb ' + hex(codeVa))).toContain('L1 I');
      expect(await c.monitor('stats')).toMatch(/cycles/);
      expect(await c.monitor('el')).toContain('EL1');

      // a malformed packet gets a NAK; the next good one is served
      c.raw('$g#00');
      expect(await c.request('?')).toMatch(/^T05/);

      // a watchpoint on a page-table entry: stop at set_pte, watch the entry it is about to write,
      // and the stop comes *before* the store (as Arm's watchpoints), with the entry's address
      expect(await c.request(`Z0,${hex(codeVa)},4`)).toBe('OK');
      expect(await c.request('c')).toMatch(/^T05/);
      expect(await c.request(`z0,${hex(codeVa)},4`)).toBe('OK');
      const pte = le64(await c.request('p0'));
      const value = le64(await c.request('p1'));
      const before = await c.request(`m${hex(pte)},8`);
      expect(await c.request(`Z2,${hex(pte)},8`)).toBe('OK');
      const stop = await c.request('c');
      expect(stop).toMatch(new RegExp(`^T05.*watch:0*${hex(pte)};`));
      const storePc = le64(await c.request('p20'));
      expect(storePc >= codeVa && storePc < codeVa + 0x20n).toBe(true);
      expect(await c.request(`m${hex(pte)},8`)).toBe(before);
      expect(await c.request(`z2,${hex(pte)},8`)).toBe('OK');
      // single step: the store runs, pc moves on by one instruction
      expect(await c.request('s')).toMatch(/^T05/);
      expect(le64(await c.request('p20'))).toBe(storePc + 4n);
      expect(le64(await c.request(`m${hex(pte)},8`))).toBe(value);
      expect(await c.request('vCont?')).toContain('vCont;c');
      expect(await c.request('vCont;s:1')).toMatch(/^T05/);
      expect(le64(await c.request('p20'))).toBe(storePc + 8n);

      // detach: the run goes on to its end
      expect(await c.request('D')).toBe('OK');
      expect(await p.exited).toBe(0);
      expect(p.stdout()).toContain('hello from hello');
    } finally {
      c.close();
      p.child.kill();
    }
  });

  it('an interrupt (Ctrl-C) stops a running machine; kill ends the run', async () => {
    const p = await startEl2sim(['boot', loopImage(), '--max-insns', '2000000000']);
    const c = await RspClient.connect(p.port);
    try {
      expect(await c.request('?')).toMatch(/^T05/); // attaching stops the machine
      c.sendPacket('c');
      await new Promise((r) => setTimeout(r, 300));
      c.raw('\x03');
      expect(await c.nextPacket()).toMatch(/^T02/);
      const pc = le64(await c.request('p20'));
      expect(pc === 0x40080000n || pc === 0x40080004n).toBe(true);
      c.sendPacket('k');
      await c.closedByPeer();
      expect(await p.exited).toBe(124);
      expect(p.stderr()).toContain('killed by the debugger');
    } finally {
      c.close();
      p.child.kill();
    }
  });

  it('a debugger that disconnects in the middle of a run leaves it running to its end', async () => {
    const p = await startEl2sim(['boot', loopImage(), '--max-insns', '3000000']);
    const c = await RspClient.connect(p.port);
    try {
      expect(await c.request('?')).toMatch(/^T05/);
      expect(await c.request('Z0,40080004,4')).toBe('OK');
      expect(await c.request('c')).toMatch(/^T05/);
      c.sendPacket('c');
      c.close();
      expect(await p.exited).toBe(124); // the instruction limit, not a hang at the breakpoint
      expect(p.stderr()).toContain('gdb disconnected');
      expect(p.stderr()).toContain('instruction limit reached (3000000)');
    } finally {
      p.child.kill();
    }
  });

  it('monitor break-el limits breakpoints to one EL', async () => {
    const p = await startEl2sim(['boot', loopImage(), '--max-insns', '3000000']); // runs at EL2
    const c = await RspClient.connect(p.port);
    try {
      expect(await c.request('?')).toMatch(/^T05/);
      expect(await c.monitor('break-el 2')).toContain('EL2');
      expect(await c.request('Z0,40080004,4')).toBe('OK');
      expect(await c.request('c')).toMatch(/^T05.*swbreak/);
      expect(await c.monitor('break-el 1')).toContain('EL1');
      expect(await c.request('c')).toBe('W7c'); // never stops again: the run reaches its instruction limit
      expect(await p.exited).toBe(124);
    } finally {
      c.close();
      p.child.kill();
    }
  });

  it('is invisible: breakpoints, a watchpoint and steps continued through leave the stats unchanged', async () => {
    const plain = join(dir, 'plain.json'), debugged = join(dir, 'debugged.json');
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('node', ['bin/el2sim.js', ...VM_ARGS, '--stats', plain], { encoding: 'utf8' });
    expect(r.status).toBe(0);

    const p = await startEl2sim([...VM_ARGS, '--stats', debugged, '--gdb-wait']);
    const c = await RspClient.connect(p.port);
    try {
      expect(await c.request('?')).toMatch(/^T05/);
      // breakpoints in the middle of blocks and at their starts, hit many times
      const bps = [sym('set_pte'), sym('page_alloc') + 8n, sym('kprintf') + 4n, sym('console_write')];
      for (const b of bps) expect(await c.request(`Z0,${hex(b)},4`)).toBe('OK');
      let hits = 0, watching = false, reply = '';
      for (; hits < 60; hits++) {
        reply = await c.request('c');
        if (reply.startsWith('W')) break;
        expect(reply).toMatch(/^T05/);
        if (!watching && le64(await c.request('p20')) === sym('set_pte')) {
          watching = true;
          const pte = le64(await c.request('p0'));
          expect(await c.request(`Z2,${hex(pte)},8`)).toBe('OK');
        }
        if (/watch:/.test(reply)) {
          // as gdb does: remove the watchpoint to step over the store, then insert it again
          const a = /watch:([0-9a-f]+);/.exec(reply)![1]!;
          expect(await c.request(`z2,${a},8`)).toBe('OK');
          expect(await c.request('s')).toMatch(/^T05/);
          expect(await c.request(`Z2,${a},8`)).toBe('OK');
        }
        if (hits % 7 === 0) for (let i = 0; i < 3; i++) expect(await c.request('s')).toMatch(/^T05/);
        await c.request('g');
      }
      expect(hits).toBeGreaterThan(20);
      expect(watching).toBe(true);
      if (!reply.startsWith('W')) expect(await c.request('D')).toBe('OK');
      expect(await p.exited).toBe(0);
    } finally {
      c.close();
      p.child.kill();
    }
    const a = JSON.parse(readFileSync(plain, 'utf8')), b = JSON.parse(readFileSync(debugged, 'utf8'));
    expect(b.instructions).toBe(a.instructions);
    expect(b.cycles).toBe(a.cycles);
    expect(b).toEqual(a);
  });
});
