// GICv3 virtualization (test/images/vgic.S): a hypervisor at EL2 injects
// virtual interrupts into an EL1 guest through the list registers. What the
// image must print, written down from the GICv3 spec, checked on
// qemu-system-aarch64 (built by el2sim's assembler and by GNU as + ld) and
// on `el2sim boot`.
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/read.js';
import { oracleIt } from './tools.js';
import { GNU_TOOLS, QEMU_SYSTEM, buildImage, runEl2simBoot, runQemuSystem } from './qemu-system.js';

const lines = (...l: string[]) => l.map((s) => s + '\n').join('');

// List register values: State 63:62 (1 pending, 0 invalid), HW 61, Group 60, Priority 55:48,
// pINTID 44:32 (bit 41 is EOI when HW = 0), vINTID 31:0. SPSR 0x305 is EL1h with I and F clear.
const VGIC = lines(
  // four list registers, TDS, nV4, A3V, 24-bit IDs, five priority and preemption bits;
  // VMCR at reset: VFIQEn, VBPR1 = 3, VBPR0 = 2
  'ich_vtr_el2=0x90b80003 ich_vmcr_el2=0x4c0008',
  // the guest's ICC accesses reach ICH_VMCR_EL2: PMR keeps five bits; nothing is pending yet
  'guest: pmr=0xf8 igrpen1=0x1 ctlr=0x8c00 rpr=0xff hppir1=0x3ff',
  // taken at EL1 right after the HVC returns; acknowledging makes the priority of vINTID 42 running
  'el1: vec=0x280 elr=+0x4 spsr=0x305 hppir1=0x2a intid=0x2a rpr=0xa0 rpr after eoi=0xff',
  // the EOI deactivated the list register: invalid, so free (all four are)
  'el2: lr0=0x10a000000000002a state=0x0 elrsr=0xf eisr=0x0 misr=0x0',
  'el2: isactiver0=0x8', // physical INTID 3 made active by EL2
  'el1: vec=0x280 elr=+0x4 spsr=0x305 hppir1=0x2b intid=0x2b rpr=0x90 rpr after eoi=0xff',
  // HW = 1: deactivating vINTID 43 deactivated physical INTID 3
  'el2: lr1=0x309000030000002b isactiver0=0x0 elrsr=0xf eisr=0x0 misr=0x0',
  // EOI = 1: once the guest deactivates vINTID 44 the maintenance interrupt (PPI 25) is taken to EL2
  // (HCR_EL2.IMO) inside the guest's handler; LR2 is not free until EL2 clears it
  'el2: vec=0x480 intid=0x19 lr2=0x10a002000000002c elrsr=0xb eisr=0x4 misr=0x1',
  'el1: vec=0x280 elr=+0x4 spsr=0x305 hppir1=0x2c intid=0x2c rpr=0xa0 rpr after eoi=0xff',
  // VPMR = 0xf8, VENG1, as the guest wrote them; no EOI went unmatched
  'el2: ich_vmcr_el2=0xf84c000a ich_hcr_el2=0x1',
);

function textBytes(elf: Uint8Array): Buffer {
  const t = readElf(elf, 'image.elf').sections.find((s) => s.name === '.text');
  if (!t) throw new Error('no .text');
  return Buffer.from(elf.subarray(t.offset, t.offset + t.size));
}

describe('virtual interrupts through the GICv3 list registers', () => {
  for (const by of ['el2sim', 'gnu'] as const) {
    oracleIt(`qemu-system-aarch64 prints what the architecture says, built by ${by}`, by === 'gnu' ? [QEMU_SYSTEM, ...GNU_TOOLS] : [QEMU_SYSTEM], () => {
      const r = runQemuSystem(buildImage('vgic', { by }));
      expect(r.timedOut).toBe(false);
      expect(r.uart).toBe(VGIC);
      expect(r.status).toBe(0); // SYSTEM_OFF
    });
  }
  oracleIt('the two assemblers build the same program', GNU_TOOLS, () => {
    expect(textBytes(buildImage('vgic', { by: 'el2sim' }))).toEqual(textBytes(buildImage('vgic', { by: 'gnu' })));
  });
  // Fails until the machine passes the access context to the GIC's hooks and takes its virtual
  // interrupts (the lead's wiring in src/machine); then this becomes `it`.
  it('el2sim boot prints what QEMU prints', () => {
    const r = runEl2simBoot(buildImage('vgic', { by: 'el2sim' }));
    expect(r.uart).toBe(VGIC);
    expect(r.reason, r.message).toBe('poweroff');
  });
});
