// The virt machine: exception entry and return between EL0, EL1 and EL2,
// syndromes, PSCI, device access, and the reports for machines that cannot
// make progress.
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { readElf } from '../src/elf/read.js';
import { runBoot } from '../src/machine/boot.js';
import { loadTiming } from '../src/spec/timing.js';
import { Machine } from '../src/machine/machine.js';
import { instructionSyndrome } from '../src/machine/abort-syndrome.js';

const timing = loadTiming('cortex-a57');
const OFF = ['    ldr x0, =0x84000008', '    smc #0'];

function machine(src: string[], el: 1 | 2 = 2): { m: Machine; out: () => string } {
  let out = '';
  const m = new Machine({ memBytes: 64 << 20, el, timing, output: (b) => { out += Buffer.from(b).toString('latin1'); } });
  m.load(readElf(assemble(['.text', '.global _start', '_start:', ...src, '.ltorg'].join('\n') + '\n', 't.S', { textBase: 0x40080000n }).elf, 't'));
  return { m, out: () => out };
}

/** Vector table at label `vectors` whose sync entries (current EL SPx and lower EL) branch to `handler`. */
const VECTORS = ['    .balign 2048', 'vectors:', '    .skip 0x200', '    b handler', '    .balign 128', '    .skip 0x180', '    b handler', '    .balign 2048'];

describe('exception levels', () => {
  it('starts at EL2 with SPx, and drops to EL1 and EL0 by ERET', () => {
    const { m } = machine([
      '    adr x0, el1', '    msr elr_el2, x0', '    mov x0, #0x5', '    msr spsr_el2, x0', // EL1h
      '    mov x1, #0x80000000', '    msr hcr_el2, x1', // RW
      '    eret',
      'el1: mrs x2, CurrentEL', '    adr x0, el0', '    msr elr_el1, x0', '    mov x0, #0', '    msr spsr_el1, x0', '    eret',
      'el0: mov x3, #7', '1:  b 1b',
    ]);
    const r = m.run(40);
    expect(r.reason).toBe('limit');
    expect(m.cpu.r[2]).toBe(4n); // CurrentEL at EL1
    expect([m.cpu.el, m.cpu.spsel, m.cpu.r[3]]).toEqual([0, 0, 7n]);
  });

  it('takes SVC from EL0 to EL1 at VBAR_EL1 + 0x400 with ESR, ELR and SPSR, and HVC from EL1 to EL2', () => {
    const { m } = machine([
      '    mov x1, #0x80000000', '    msr hcr_el2, x1',
      '    adr x0, vectors', '    msr vbar_el1, x0', '    msr vbar_el2, x0',
      '    adr x0, el1', '    msr elr_el2, x0', '    mov x0, #0x3c5', '    msr spsr_el2, x0', '    eret',
      'el1: adr x0, el0', '    msr elr_el1, x0', '    msr spsr_el1, xzr', '    eret',
      'el0: svc #0x42',
      'after_svc: hvc #0x7',
      'handler: mrs x10, CurrentEL', '    cmp x10, #8', '    b.eq at_el2',
      '    mrs x11, esr_el1', '    mrs x12, elr_el1', '    mrs x13, spsr_el1',
      // back to EL1 at after_svc to issue the HVC from EL1
      '    adr x0, after_svc', '    msr elr_el1, x0', '    mov x0, #0x3c5', '    msr spsr_el1, x0', '    eret',
      'at_el2: mrs x14, esr_el2', '    mrs x15, elr_el2', ...OFF,
      ...VECTORS,
    ]);
    const r = m.run(200);
    expect(r.reason).toBe('poweroff');
    const c = m.cpu.r;
    expect(c[11]).toBe(BigInt((0x15 << 26) | (1 << 25) | 0x42)); // ESR_EL1: SVC64, IL, imm16
    expect(c[13]).toBe(0n); // SPSR_EL1: EL0t, flags clear
    expect(c[14]).toBe(BigInt((0x16 << 26) | (1 << 25) | 0x7)); // ESR_EL2: HVC64
    expect(c[15] - c[12]).toBe(4n); // ELR_EL2 (after the hvc) - ELR_EL1 (after the svc)
  });

  it('an illegal exception return sets PSTATE.IL and the next instruction takes an Illegal State exception', () => {
    const { m } = machine([
      '    adr x0, vectors', '    msr vbar_el2, x0',
      '    adr x0, 1f', '    msr elr_el2, x0', '    mov x0, #0x10', '    msr spsr_el2, x0', // M[4] = 1: AArch32, not implemented
      '    eret',
      '1:  nop',
      'handler: mrs x20, esr_el2', '    mrs x21, spsr_el2', ...OFF,
      ...VECTORS,
    ]);
    expect(m.run(100).reason).toBe('poweroff');
    expect(Number(m.cpu.r[20]) >>> 26).toBe(0x0e);
    expect((m.cpu.r[21] >> 20n) & 1n).toBe(1n); // SPSR.IL
  });

  it('banks the stack pointer per EL and SPSel', () => {
    const { m } = machine(['    mov x0, #0x1000', '    mov sp, x0', '    msr spsel, #0', '    mov x1, #0x2000', '    mov sp, x1', '    msr spsel, #1', '    mov x2, sp', '    mrs x3, sp_el0', ...OFF]);
    m.run(100);
    expect([m.cpu.r[2], m.cpu.r[3]]).toEqual([0x1000n, 0x2000n]);
  });
});

describe('devices and faults', () => {
  it('writes to the UART and powers off through PSCI', () => {
    const { m, out } = machine(['    ldr x1, =0x09000000', "    mov w0, #'o'", '    strb w0, [x1]', "    mov w0, #'k'", '    str w0, [x1]', ...OFF]);
    expect(m.run(100).reason).toBe('poweroff');
    expect(out()).toBe('ok');
  });

  it('answers PSCI VERSION and FEATURES, and takes PSCI through HVC when started at EL1', () => {
    const { m } = machine(['    ldr x0, =0x84000000', '    hvc #0', '    mov x9, x0', '    ldr x0, =0x8400000a', '    ldr x1, =0xc4000003', '    hvc #0', '    mov x10, x0', '    ldr x0, =0x84000008', '    hvc #0'], 1);
    expect(m.run(100).reason).toBe('poweroff');
    expect(m.cpu.r[9]).toBe(0x10001n);
    expect(m.cpu.r[10]).toBe(0xffffffffffffffffn); // CPU_ON: NOT_SUPPORTED with one CPU
  });

  it('an access to an address with nothing behind it is a synchronous external abort', () => {
    const { m } = machine(['    adr x0, vectors', '    msr vbar_el2, x0', '    mov x1, #0x10000000', '    ldr x2, [x1, #8]', 'handler: mrs x20, esr_el2', '    mrs x21, far_el2', ...OFF, ...VECTORS]);
    expect(m.run(100).reason).toBe('poweroff');
    expect(m.cpu.r[20]).toBe(BigInt(((0x25 << 26) | (1 << 25) | 0x10) >>> 0));
    expect(m.cpu.r[21]).toBe(0x10000008n);
  });

  it('reads the counter at the counter frequency', () => {
    const { m } = machine(['    mrs x1, cntfrq_el0', '1:  mrs x2, cntpct_el0', '    cmp x2, #100', '    b.lo 1b', ...OFF]);
    expect(m.run(100_000).reason).toBe('poweroff');
    expect(m.cpu.r[1]).toBe(62_500_000n);
  });
});

describe('machines that cannot make progress stop with a report', () => {
  it('WFI with no interrupt that can arrive', () => {
    const r = machine(['    wfi']).m.run(100);
    expect([r.reason, r.message]).toEqual(['stuck', 'WFI with no interrupt that can ever arrive at pc=0x40080000 EL2']);
  });

  it('an exception with VBAR unset (the vector faults before executing anything)', () => {
    const r = machine(['    .inst 0']).m.run(1000);
    expect(r.reason).toBe('stuck');
    expect(r.message).toMatch(/exception loop: the vector at 0x200 faults before executing anything \(EL2, ESR=0x86000010.*is VBAR_EL2 set\?\)/);
  });

  it('a handler that returns to the faulting instruction forever', () => {
    const r = machine(['    adr x0, vectors', '    msr vbar_el2, x0', 'fault: .inst 0', 'handler: eret', ...VECTORS]).m.run(1_000_000);
    expect(r.reason).toBe('stuck');
    expect(r.message).toMatch(/same exception \(ESR=0x2000000\) was taken 10000 times in a row/);
  });

  it('executing data: zeros are UNDEFINED, and the run still ends with a report', () => {
    const r = machine(['    adr x0, data', '    msr vbar_el2, x0', '    br x0', '    .balign 2048', 'data: .skip 4096']).m.run(1_000_000);
    expect(r.reason).toBe('stuck');
  });

  it('an instruction limit', () => {
    const r = runBoot(readElf(assemble('_start: b _start\n', 't.S', { textBase: 0x40080000n }).elf, 't'), { el: 2, memBytes: 1 << 20, timing, maxInsns: 500, output: () => {} });
    expect([r.reason, r.instructions, r.message]).toEqual(['limit', 500, 'instruction limit reached (500) at pc=0x40080000 EL2']);
  });
});

describe('asynchronous exceptions', () => {
  it('a virtual IRQ (HCR_EL2.VI with IMO) is taken at EL1 once PSTATE.I is clear, at VBAR_EL1 + 0x280', () => {
    const { m } = machine([
      '    adr x0, vectors', '    msr vbar_el1, x0',
      '    ldr x1, =0x80000090', '    msr hcr_el2, x1', // RW | VI | IMO
      '    adr x0, el1', '    msr elr_el2, x0', '    mov x0, #0x3c5', '    msr spsr_el2, x0', '    eret', // EL1h, all masked
      'el1: mov x5, #1', '    msr daifclr, #2', // unmask IRQ: the virtual IRQ is taken here
      '    mov x6, #1', // not reached
      '    .balign 2048',
      'vectors: .skip 0x280',
      '    mrs x7, elr_el1', '    mrs x8, spsr_el1', ...OFF,
    ]);
    expect(m.run(200).reason).toBe('poweroff');
    expect([m.cpu.r[5], m.cpu.r[6]]).toEqual([1n, 0n]);
    expect(m.cpu.r[8] & 0x3cfn).toBe(0x345n); // SPSR_EL1: D, A, F still masked, I clear, EL1h
  });

  it('WFI lets time pass to the next timer deadline, charged as idle cycles', () => {
    const r = machine([
      '    mov x0, #1000', '    msr cnthp_tval_el2, x0', '    mov x0, #1', '    msr cnthp_ctl_el2, x0', // EL2 timer in 1000 ticks
      '    wfi', '    mrs x1, cnthp_ctl_el2', '    wfi',
    ]).m.run(100);
    // 1000 ticks at 62.5 MHz = 16 us = 32,000 cycles at 2 GHz; then nothing can wake the second WFI (no GIC routes the timer yet)
    expect(r.reason).toBe('stuck');
    expect(r.cyclesBy.idle).toBeGreaterThan(31_000);
    expect(r.cycles).toBeGreaterThanOrEqual(32_000);
  });
});

describe('WFx traps', () => {
  it('HCR_EL2.TWE traps WFE from EL1 to EL2 (EC 0x01, TI = 1), and TWI traps WFI (TI = 0)', () => {
    const { m } = machine([
      '    adr x0, vectors', '    msr vbar_el2, x0',
      '    ldr x1, =0x80006000', '    msr hcr_el2, x1', // RW | TWE | TWI
      '    adr x0, el1', '    msr elr_el2, x0', '    mov x0, #0x3c5', '    msr spsr_el2, x0', '    eret',
      'el1: wfe', '    wfi',
      'handler: mrs x20, esr_el2', '    cbnz x21, 2f', '    mov x21, x20', '    mrs x0, elr_el2', '    add x0, x0, #4', '    msr elr_el2, x0', '    eret',
      '2:', ...OFF,
      ...VECTORS,
    ]);
    expect(m.run(200).reason).toBe('poweroff');
    expect(m.cpu.r[21]).toBe(BigInt((0x01 << 26) | (1 << 25) | (1 << 24) | (0xe << 20) | 1)); // WFE: CV, COND = AL, TI = 1
    expect(m.cpu.r[20]).toBe(BigInt((0x01 << 26) | (1 << 25) | (1 << 24) | (0xe << 20))); // WFI: TI = 0
  });
});

describe('the instruction syndrome of a data abort (ISV, SAS, SSE, SRT, SF, AR)', () => {
  const word = (t: string) => {
    const d = assemble(`${t}\n`, 't.S').sections[0].data;
    return new DataView(d.buffer, d.byteOffset).getUint32(0, true);
  };
  const iss = (t: string) => instructionSyndrome(word(t));
  const f = (sas: number, sse: number, srt: number, sf: number, ar: number) => (1 << 24) | (sas << 22) | (sse << 21) | (srt << 16) | (sf << 15) | (ar << 14);
  it('is valid for single-register loads and stores without writeback', () => {
    expect(iss('ldrb w0, [x1]')).toBe(f(0, 0, 0, 0, 0));
    expect(iss('ldrsh w5, [x1, #2]')).toBe(f(1, 1, 5, 0, 0));
    expect(iss('ldrsw x7, [x1, x2]')).toBe(f(2, 1, 7, 1, 0));
    expect(iss('str x3, [x1, #-8]')).toBe(f(3, 0, 3, 1, 0));
    expect(iss('sttrh w4, [x1]')).toBe(f(1, 0, 4, 0, 0));
    expect(iss('ldar w9, [x1]')).toBe(f(2, 0, 9, 0, 1));
    expect(iss('stlr x2, [x1]')).toBe(f(3, 0, 2, 1, 1));
  });
  it('is not valid with writeback, for pairs, exclusives and prefetches', () => {
    for (const t of ['ldr x0, [x1], #8', 'str x0, [x1, #8]!', 'ldp x0, x1, [x2]', 'ldxr x0, [x1]', 'stxr w2, x0, [x1]', 'prfm pldl1keep, [x1]']) expect(iss(t), t).toBe(0);
  });
});
