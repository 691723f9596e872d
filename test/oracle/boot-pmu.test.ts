// PMU identification and access traps (test/images/pmu.S): what the image must
// print, written down from the Arm ARM, checked on qemu-system-aarch64 (built
// by el2sim's assembler and by GNU as + ld) and on `el2sim boot`. The image
// prints no counts; what QEMU models differently is left out of it (see pmu.S).
import { describe, expect, it } from 'vitest';
import { oracleIt } from './tools.js';
import { GNU_TOOLS, QEMU_SYSTEM, buildImage, runEl2simBoot, runQemuSystem } from './qemu-system.js';

const lines = (...l: string[]) => l.map((s) => s + '\n').join('');

// ESR EC 0x18 ISS: Op0 3, Op2, Op1 3, CRn 9, Rt 3 (31 for xzr), CRm, direction (1 = read).
const PMU = lines(
  'PMCR_EL0.N at EL2: 0x6',
  'PMCR_EL0.N at EL1 with HPMN=3: 0x3', // below EL2, N reads MDCR_EL2.HPMN
  // PMUSERENR_EL0.EN = 0: to EL1 (lower EL AArch64 sync, 0x400), mrs x3, pmcr_el0
  'EL0 mrs pmcr_el0, PMUSERENR_EL0.EN=0: el1: vec=0x400 esr=0x6230e479 elr=+0x0 spsr=0x0 daif=0x3c0',
  'el1: vec=0x400 esr=0x56000000 elr=+0x4 spsr=0x0 daif=0x3c0', // SVC back to EL1
  'el2: vec=0x400 esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0', // HVC to EL2, which sets MDCR_EL2.TPM
  'MDCR_EL2.TPM, EL1 mrs pmccntr_el0: el2: vec=0x400 esr=0x6230e47b elr=+0x0 spsr=0x3c5 daif=0x3c0',
  'MDCR_EL2.TPM, EL0 msr pmcntenset_el0, mrs pmuserenr_el0:',
  'el1: vec=0x400 esr=0x6232e7f8 elr=+0x0 spsr=0x0 daif=0x3c0', // PMUSERENR_EL0.EN is checked before TPM
  'el2: vec=0x400 esr=0x6230e47d elr=+0x0 spsr=0x0 daif=0x3c0', // PMUSERENR_EL0 reads are TPM's alone
  'el1: vec=0x400 esr=0x56000000 elr=+0x4 spsr=0x0 daif=0x3c0',
  'el2: vec=0x400 esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0', // to EL2 to power off
);

describe('PMU identification and traps', () => {
  for (const by of ['el2sim', 'gnu'] as const) {
    oracleIt(`qemu-system-aarch64 prints what the architecture says, built by ${by}`, by === 'gnu' ? [QEMU_SYSTEM, ...GNU_TOOLS] : [QEMU_SYSTEM], () => {
      const r = runQemuSystem(buildImage('pmu', { by }));
      expect(r.timedOut).toBe(false);
      expect(r.uart).toBe(PMU);
      expect(r.status).toBe(0); // SYSTEM_OFF
    });
  }
  it('el2sim boot prints what QEMU prints', () => {
    const r = runEl2simBoot(buildImage('pmu', { by: 'el2sim' }));
    expect(r.uart).toBe(PMU);
    expect(r.reason, r.message).toBe('poweroff');
  });
});
