// The MMU on the virt machine (test/images/mmu.S): stage 1 at EL2 with 2 MiB
// blocks, output through a Device mapping, and a translation fault at levels
// 1 and 2, an access flag fault and a permission fault with their syndromes.
// AT S1E2R/W report into PAR_EL1. Run on qemu-system-aarch64 and on
// `el2sim boot`, built by both assemblers.
import { describe, expect } from 'vitest';
import { oracleIt } from './tools.js';
import { GNU_TOOLS, QEMU_SYSTEM, buildImage, runEl2simBoot, runQemuSystem } from './qemu-system.js';

// ESR: EC 0x25 (data abort, same EL), IL; the instruction syndrome, as a data abort taken to EL2
// has it: ISV, SAS = 3 (doubleword), SRT = x2 (x3 for the store), SF = 1; DFSC translation L1 0x05,
// L2 0x06, access flag L2 0x0a, permission L2 0x0e with WnR (0x40) for the store. FAR is the VA.
// PAR_EL1: success: ATTR 0xff (MAIR Attr0), PA, NS, SH = inner (0x180), bit 11;
// faults: F, FST (translation L1 0x05, permission L2 0x0e), bit 11 (RES1).
const EXPECTED = [
  /^mmu on, SCTLR_EL2\.M=0x1$/,
  /^par=0xff00000040000b80$/,
  /^par=0x80b$/,
  /^par=0x81d$/,
  /^el2: vec=0x200 esr=0x97c28005 elr=\+0x0 .* far=0x80000000$/,
  /^el2: vec=0x200 esr=0x97c28006 elr=\+0x0 .* far=0x40e00000$/,
  /^el2: vec=0x200 esr=0x97c2800a elr=\+0x0 .* far=0x40c00000$/,
  /^el2: vec=0x200 esr=0x97c3804e elr=\+0x0 .* far=0x40a00000$/,
  /^faults done$/,
];

describe('the MMU at EL2', () => {
  for (const by of ['el2sim', 'gnu'] as const) {
    oracleIt(`el2sim and qemu-system-aarch64 agree, built by ${by}`, by === 'gnu' ? [QEMU_SYSTEM, ...GNU_TOOLS] : [QEMU_SYSTEM], () => {
      const elf = buildImage('mmu', { by });
      const q = runQemuSystem(elf);
      const lines = q.uart.trimEnd().split('\n');
      expect(lines).toHaveLength(EXPECTED.length);
      lines.forEach((l, i) => expect(l).toMatch(EXPECTED[i]));
      const e = runEl2simBoot(elf);
      expect(e.uart).toBe(q.uart);
      expect(e.reason).toBe('poweroff');
    });
  }
});
