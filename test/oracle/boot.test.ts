// The bare-metal images of test/images: what each must print over the UART,
// written down from the Arm ARM (ESR = EC << 26 | IL << 25 | ISS), checked
// on qemu-system-aarch64 (built by el2sim's assembler and by GNU as + ld)
// and on `el2sim boot`. Images QEMU cannot judge (it does not check SP
// alignment; the bad-input images hang it) run on el2sim alone.
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/read.js';
import { oracleIt } from './tools.js';
import { GNU_TOOLS, QEMU_SYSTEM, buildImage, runEl2simBoot, runQemuSystem } from './qemu-system.js';

/** Entry point, address and bytes of .text: the whole program (the images have no other section). */
function textOf(elf: Uint8Array): { entry: bigint; addr: bigint; bytes: Buffer } {
  const img = readElf(elf, 'image.elf');
  const t = img.sections.find((s) => s.name === '.text');
  if (!t) throw new Error('no .text');
  return { entry: img.entry, addr: t.addr, bytes: Buffer.from(elf.subarray(t.offset, t.offset + t.size)) };
}

const lines = (...l: string[]) => l.map((s) => s + '\n').join('');

const EL1_SYNC = 'el1: vec=0x200'; // current EL with SP_ELx, synchronous
const EL1_LOWER = 'el1: vec=0x400'; // lower EL, AArch64, synchronous
const EL2_LOWER = 'el2: vec=0x400';
const HVC1 = `${EL2_LOWER} esr=0x5a000001 elr=+0x4 spsr=0x3c5 daif=0x3c0`; // EC 0x16 HVC, imm16 1; returns after it

/** ISS of a trapped MSR/MRS/SYS (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, direction (1 = read). */
function sysregEsr(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, read: boolean): string {
  const iss = (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
  return '0x' + ((0x18 << 26) | (1 << 25) | iss).toString(16);
}
const trapped = (esr: string) => `${EL2_LOWER} esr=${esr} elr=+0x0 spsr=0x3c5 daif=0x3c0`;

/** Images QEMU validates, with their UART output; each ends with SYSTEM_OFF. */
const EXPECTED: Record<string, string> = {
  hello: lines('hello from bare metal, CurrentEL=0x8'),
  'el-roundtrip': lines(
    'at EL2: CurrentEL=0x8',
    'at EL1: CurrentEL=0x4 SPSel=0x1',
    // SVC from EL0 (EC 0x15): ELR is the next instruction, SPSR the EL0t state, DAIF all masked on entry
    `${EL1_LOWER} esr=0x56000042 elr=+0x4 spsr=0x0 daif=0x3c0`,
    'at EL0: back from SVC',
    `${EL1_LOWER} esr=0x56000043 elr=+0x4 spsr=0x0 daif=0x3c0`,
    'at EL1: CurrentEL=0x4',
    `${EL2_LOWER} esr=0x5a000007 elr=+0x4 spsr=0x3c5 daif=0x3c0`, // HVC (EC 0x16) from EL1h
    'at EL1: back from HVC',
    `${EL2_LOWER} esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0`,
    'at EL2: CurrentEL=0x8',
  ),
  'sync-exceptions': lines(
    `udf: ${EL1_SYNC} esr=0x2000000 elr=+0x0 spsr=0x3c5 daif=0x3c0`, // EC 0x00, ISS 0
    `brk: ${EL1_SYNC} esr=0xf2001234 elr=+0x0 spsr=0x3c5 daif=0x3c0`, // EC 0x3C, ISS imm16; ELR is the BRK
    // EC 0x22: ELR and FAR are the misaligned target
    `pc alignment: ${EL1_SYNC} esr=0x8a000000 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40100002`,
    `brk on sp_el0: el1: vec=0x0 esr=0xf2000001 elr=+0x0 spsr=0x3c4 daif=0x3c0`, // from EL1t: offset 0x000
    // EC 0x25, ISV 0 (taken to EL1), DFSC 0x10 synchronous external abort, WnR for the store
    `load from nothing: ${EL1_SYNC} esr=0x96000010 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x9100000`,
    `store to nothing: ${EL1_SYNC} esr=0x96000050 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x9100000`,
    // MMU off, address above PAMax (44 bits): address size fault, level 0 (DFSC 0x00)
    `load beyond the pa range: ${EL1_SYNC} esr=0x96000000 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x100000000000`,
    `fetch from nothing: ${EL1_SYNC} esr=0x86000010 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x9100000`, // EC 0x21
    `el0 load from nothing: ${EL1_LOWER} esr=0x92000010 elr=+0x0 spsr=0x0 daif=0x3c0 far=0x9100004`, // EC 0x24
    `el0 fetch from nothing: ${EL1_LOWER} esr=0x82000010 elr=+0x0 spsr=0x0 daif=0x3c0 far=0x9100000`, // EC 0x20
    `el0 svc back to el1: ${EL1_LOWER} esr=0x56000000 elr=+0x4 spsr=0x0 daif=0x3c0`,
    `hcr tvm: ${HVC1}`,
    `msr sctlr_el1: ${trapped(sysregEsr(3, 0, 1, 0, 0, 3, false))}`,
    `msr tcr_el1: ${trapped(sysregEsr(3, 0, 2, 0, 2, 4, false))}`,
    `hcr trvm: ${HVC1}`,
    `mrs sctlr_el1: ${trapped(sysregEsr(3, 0, 1, 0, 0, 5, true))}`,
    `mrs mair_el1: ${trapped(sysregEsr(3, 0, 10, 2, 0, 6, true))}`,
    `hcr tid3: ${HVC1}`,
    `mrs id_aa64mmfr0_el1: ${trapped(sysregEsr(3, 0, 0, 7, 0, 7, true))}`,
    `mrs id_aa64pfr0_el1: ${trapped(sysregEsr(3, 0, 0, 4, 0, 8, true))}`,
    `hcr ttlb: ${HVC1}`,
    `tlbi vmalle1: ${trapped(sysregEsr(1, 0, 8, 7, 0, 31, false))}`,
    `tlbi vae1: ${trapped(sysregEsr(1, 0, 8, 7, 1, 9, false))}`,
    `hcr twi: ${HVC1}`,
    `wfi: ${trapped('0x7e00000')}`, // EC 0x01, CV 1, COND 0xE, TI 0 (WFI)
    `hcr tsc: ${HVC1}`,
    // EC 0x17, ISS imm16; ELR is the SMC itself. Without EL3 an SMC is UNDEFINED and TSC has
    // nothing to trap, but QEMU's PSCI-through-SMC stands for EL3 firmware, so TSC traps it
    `smc: ${trapped('0x5e000099')}`,
    `back to el2: ${EL2_LOWER} esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0`,
  ),
  psci: lines(
    'PSCI_VERSION: 0x10001', // 1.1, what QEMU's virt machine reports
    'PSCI_FEATURES(PSCI_VERSION): 0x0',
    'PSCI_FEATURES(PSCI_FEATURES): 0x0',
    'PSCI_FEATURES(SYSTEM_OFF): 0x0',
    'PSCI_FEATURES(SYSTEM_RESET): 0x0',
    'PSCI_FEATURES(MIGRATE_INFO_TYPE): 0x0',
    'PSCI_FEATURES(AFFINITY_INFO): 0x0',
    'PSCI_FEATURES(0x8400001f): 0xffffffffffffffff', // NOT_SUPPORTED (-1)
    'MIGRATE_INFO_TYPE: 0x2', // no Trusted OS
    'PSCI_VERSION from EL1: 0x10001',
    `back to el2: ${EL2_LOWER} esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0`,
  ),
};

/** hello as QEMU starts it without virtualization: at EL1, PSCI through HVC. */
const HELLO_EL1 = lines('hello from bare metal, CurrentEL=0x4');

/** The Arm ARM's SP alignment fault (EC 0x26, ISS 0, FAR not set), which QEMU does not implement. */
const SP_ALIGN = lines(
  'el1 sp alignment: el1: vec=0x0 esr=0x9a000000 elr=+0x0 spsr=0x3c4 daif=0x3c0',
  `el0 sp alignment: ${EL1_LOWER} esr=0x9a000000 elr=+0x0 spsr=0x0 daif=0x3c0`,
  `el0 svc back to el1: ${EL1_LOWER} esr=0x56000000 elr=+0x4 spsr=0x0 daif=0x3c0`,
  `back to el2: ${EL2_LOWER} esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0`,
);

describe('qemu-system-aarch64 prints what the Arm ARM says the images print', () => {
  for (const [name, uart] of Object.entries(EXPECTED)) {
    for (const by of ['el2sim', 'gnu'] as const) {
      oracleIt(`${name}, built by ${by}`, by === 'gnu' ? [QEMU_SYSTEM, ...GNU_TOOLS] : [QEMU_SYSTEM], () => {
        const r = runQemuSystem(buildImage(name, { by }));
        expect(r.timedOut).toBe(false);
        expect(r.uart).toBe(uart);
        expect(r.status).toBe(0); // SYSTEM_OFF
      });
    }
  }
  oracleIt('hello at EL1 (virtualization off)', [QEMU_SYSTEM], () => {
    const r = runQemuSystem(buildImage('hello', { by: 'el2sim' }), { el: 1 });
    expect(r).toEqual({ uart: HELLO_EL1, status: 0, timedOut: false });
  });
  oracleIt('a hung image fails by the timeout, not by hanging the test', [QEMU_SYSTEM], () => {
    const r = runQemuSystem(buildImage('fault-loop', { by: 'el2sim' }), { timeoutMs: 2000 });
    expect(r.timedOut).toBe(true);
    expect(r.uart).toBe('loading from nothing, with a handler that retries\n');
  });
  oracleIt('the two assemblers build the same program', GNU_TOOLS, () => {
    for (const name of [...Object.keys(EXPECTED), 'sp-align', 'no-vbar', 'fault-loop', 'exec-data']) {
      expect(textOf(buildImage(name, { by: 'el2sim' })), name).toEqual(textOf(buildImage(name, { by: 'gnu' })));
    }
  });
});

describe('el2sim boot prints what QEMU prints', () => {
  for (const [name, uart] of Object.entries(EXPECTED)) {
    it(name, () => {
      const r = runEl2simBoot(buildImage(name, { by: 'el2sim' }));
      expect(r.uart).toBe(uart);
      expect(r.reason, r.message).toBe('poweroff');
    });
  }
  it('hello at EL1', () => {
    const r = runEl2simBoot(buildImage('hello', { by: 'el2sim' }), { el: 1 });
    expect(r.uart).toBe(HELLO_EL1);
    expect(r.reason).toBe('poweroff');
  });
  it('sp-align (the Arm ARM, not QEMU)', () => {
    const r = runEl2simBoot(buildImage('sp-align', { by: 'el2sim' }));
    expect(r.uart).toBe(SP_ALIGN);
    expect(r.reason).toBe('poweroff');
  });
});

describe('el2sim boot ends bad images with a report', () => {
  it('no-vbar: the vector fetch aborts over and over', () => {
    const r = runEl2simBoot(buildImage('no-vbar', { by: 'el2sim' }));
    expect(r.uart).toBe('taking an exception with VBAR_EL2 unset\n');
    expect(r.reason).toBe('stuck');
    expect(r.message).toMatch(/0x86000010/); // instruction abort, same EL, external abort
  });
  it('fault-loop: a handler that retries the faulting load', () => {
    const r = runEl2simBoot(buildImage('fault-loop', { by: 'el2sim' }));
    expect(r.uart).toBe('loading from nothing, with a handler that retries\n');
    expect(r.reason).toBe('stuck');
    expect(r.message).toMatch(/0x96000010/);
  });
  it('exec-data: random words, then zeros', () => {
    const r = runEl2simBoot(buildImage('exec-data', { by: 'el2sim' }));
    const out = r.uart.split('\n');
    expect(out[0]).toBe('branching into data');
    // the image's handler powers off at its 24th exception
    expect(out.filter((l) => l.startsWith('exception from data: vec=0x200 esr=')).length).toBe(24);
    expect(r.reason).toBe('poweroff');
  });
});
