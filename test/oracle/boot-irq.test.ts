// Timer interrupts through the GICv3 (test/images/timer-irq.S): what the
// image must print, written down from the Arm ARM and the GICv3 spec, checked
// on qemu-system-aarch64 (built by el2sim's assembler and by GNU as + ld)
// and on `el2sim boot`. The image prints no counts or times, only facts
// that do not depend on when the timers fire.
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/read.js';
import { oracleIt } from './tools.js';
import { GNU_TOOLS, QEMU_SYSTEM, buildImage, runEl2simBoot, runQemuSystem } from './qemu-system.js';

const lines = (...l: string[]) => l.map((s) => s + '\n').join('');

// SPSR without NZCV: M[3:0] (EL1h 0x5, EL2h 0x9) and DAIF (D 0x200, A 0x100, I 0x80, F 0x40).
// On an IRQ the handler runs with DAIF all masked (0x3c0); the running priority (RPR) is the
// acknowledged interrupt's, 0x80, until the EOI drops it back to idle (0xff).
const TIMER_IRQ = lines(
  'test A: CNTHP (PPI 26) at EL2',
  'pending: isr=0x80 hppir1=0x1a', // ISR_EL1.I; the highest pending Group 1 INTID is 26
  // HCR_EL2.IMO = 0 routes physical IRQs to EL1, and one whose target is below the current EL is not taken
  'unmasked at EL2 with HCR_EL2.IMO=0: taken=0x0',
  // with IMO = 1, taken at EL2 from EL2h: current EL with SPx, IRQ (0x280), after the MSR DAIFClr; I was clear
  'el2: vec=0x280 intid=0x1a elr=+0x4 spsr=0x349 daif=0x3c0 rpr=0x80',
  'test B: CNTP (PPI 30) at EL1, HCR_EL2.IMO=0',
  'pending: isr=0x80 hppir1=0x1e',
  'el1: vec=0x280 intid=0x1e elr=+0x4 spsr=0x345 daif=0x3c0 rpr=0x80',
  'test C: CNTP (PPI 30) at EL1 with IRQs masked, HCR_EL2.IMO=1',
  'el2: vec=0x400 esr=0x5a000001 elr=+0x4 spsr=0x3c5 daif=0x3c0', // the HVC that sets IMO
  // lower EL (AArch64), IRQ (0x480): PSTATE.I of EL1 does not mask an interrupt routed to EL2
  'el2: vec=0x480 intid=0x1e spsr=0x3c5 daif=0x3c0 rpr=0x80',
  'el2: vec=0x400 esr=0x5a000000 elr=+0x4 spsr=0x3c5 daif=0x3c0', // HVC on to EL2 to power off
  'interrupts taken: 0x3 rpr=0xff',
);

function textBytes(elf: Uint8Array): Buffer {
  const t = readElf(elf, 'image.elf').sections.find((s) => s.name === '.text');
  if (!t) throw new Error('no .text');
  return Buffer.from(elf.subarray(t.offset, t.offset + t.size));
}

describe('timer interrupts through the GICv3', () => {
  for (const by of ['el2sim', 'gnu'] as const) {
    oracleIt(`qemu-system-aarch64 prints what the architecture says, built by ${by}`, by === 'gnu' ? [QEMU_SYSTEM, ...GNU_TOOLS] : [QEMU_SYSTEM], () => {
      const r = runQemuSystem(buildImage('timer-irq', { by }));
      expect(r.timedOut).toBe(false);
      expect(r.uart).toBe(TIMER_IRQ);
      expect(r.status).toBe(0); // SYSTEM_OFF
    });
  }
  oracleIt('the two assemblers build the same program', GNU_TOOLS, () => {
    expect(textBytes(buildImage('timer-irq', { by: 'el2sim' }))).toEqual(textBytes(buildImage('timer-irq', { by: 'gnu' })));
  });
  it('el2sim boot prints what QEMU prints', () => {
    const r = runEl2simBoot(buildImage('timer-irq', { by: 'el2sim' }));
    expect(r.uart).toBe(TIMER_IRQ);
    expect(r.reason, r.message).toBe('poweroff');
  });
});
