// HACR_EL2.TS1F: stage 1 faults of the EL1&0 regime taken to EL2 when stage 2
// is off (the model's stand-in for VMX page-fault exiting, for shadow paging).
// QEMU has no such control, so the expected syndromes are the architecture's
// encodings, worked out by hand below.
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { ArchException, EC } from '../src/core/exception.js';
import { readElf } from '../src/elf/read.js';
import { runBoot } from '../src/machine/boot.js';
import { routeStage1Fault } from '../src/machine/fault-routing.js';
import { F } from '../src/generated/sysregs.js';
import { loadTiming } from '../src/spec/timing.js';
import { imageSource, TEXT_BASE } from './oracle/qemu-system.js';

describe('the routing image', () => {
  it('takes stage 1 faults to EL1 with TS1F = 0 and to EL2 with TS1F = 1, with the instruction syndrome', () => {
    const img = readElf(assemble(imageSource('s1-fault-routing'), 's1-fault-routing.S', { textBase: TEXT_BASE }).elf, 's1');
    let out = '';
    const r = runBoot(img, { el: 2, memBytes: 256 << 20, timing: loadTiming(), maxInsns: 1e6, output: (b) => { out += Buffer.from(b).toString('latin1'); } });
    expect(r.reason).toBe('poweroff');
    expect(out.split('\n')).toEqual([
      'phase 1: HACR_EL2.TS1F = 0',
      // EC 0x25 (data abort, same EL), IL, DFSC 0b000111 (translation, level 3); no ISV at EL1
      'el1: vec=0x200 esr=0x96000007 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40400000',
      // DFSC 0b001111 (permission, level 3), WnR; FAR the store's address, not the load's that filled the TLB
      'el1: vec=0x200 esr=0x9600004f elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40402018',
      'el2: vec=0x400 esr=0x5a000001 elr=+0x4 spsr=0x3c5 daif=0x3c0',
      'phase 2: HACR_EL2.TS1F = 1',
      // EC 0x24 (from a lower EL), ISV, SAS 0b11, SRT 1, SF: LDR X1
      'el2: vec=0x400 esr=0x93c18007 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40400000',
      // LDRH W5: SAS 0b01, SRT 5; DFSC 0b001011 (access flag, level 3)
      'el2: vec=0x400 esr=0x9345000b elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40401006',
      // STR W7: SAS 0b10, SRT 7, WnR; DFSC 0b001111 (permission, level 3)
      'el2: vec=0x400 esr=0x9387004f elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40402008',
      // LDP: no instruction syndrome
      'el2: vec=0x400 esr=0x92000007 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40400000',
      // EC 0x20: instruction abort from a lower EL
      'el2: vec=0x400 esr=0x82000007 elr=+0x0 spsr=0x3c5 daif=0x3c0 far=0x40400000',
      'done',
      'el2: vec=0x400 esr=0x5a000002 elr=+0x4 spsr=0x3c5 daif=0x3c0',
      '',
    ]);
  });
});

describe('routeStage1Fault', () => {
  const TS1F = F.HACR_EL2.TS1F.mask, VM = F.HCR_EL2.VM.mask, TGE = F.HCR_EL2.TGE.mask;
  const abort = (fsc: number, ec: number = EC.DABT_SAME, target = -1) => new ArchException(ec, fsc, target, 0x1234n);
  const routed = (e: ArchException, el = 1, hcr = 0n, hacr: bigint = TS1F) => routeStage1Fault(e, el, hcr, hacr).targetEl === 2;

  it.each([
    ['translation', 0x04], ['translation, level 3', 0x07], ['access flag', 0x09], ['permission', 0x0e],
  ])('routes a stage 1 %s fault from EL1 and from EL0, data and instruction', (_kind, fsc) => {
    expect(routed(abort(fsc))).toBe(true);
    expect(routed(abort(fsc, EC.DABT_LOWER), 0)).toBe(true);
    expect(routed(abort(fsc, EC.IABT_SAME))).toBe(true);
    expect(routed(abort(fsc, EC.IABT_LOWER), 0)).toBe(true);
    const e = routeStage1Fault(abort(fsc | 0x40), 1, 0n, TS1F);
    expect([e.iss, e.far]).toEqual([fsc | 0x40, 0x1234n]); // syndrome and FAR kept
  });

  it.each([
    ['address size', 0x01], ['synchronous external abort', 0x10], ['external abort on a walk', 0x15], ['alignment', 0x21],
  ])('leaves a %s fault alone', (_kind, fsc) => expect(routed(abort(fsc))).toBe(false));

  it('applies only with TS1F set, stage 2 off, TGE clear, from EL0/EL1, to faults with the default routing', () => {
    expect(routed(abort(0x07), 1, 0n, 0n)).toBe(false);
    expect(routed(abort(0x07), 1, VM)).toBe(false); // stage 2 on: shadow paging is not in use
    expect(routed(abort(0x07), 1, TGE)).toBe(false);
    expect(routed(abort(0x07), 2)).toBe(false); // the EL2 regime's own faults
    expect(routed(abort(0x07, EC.DABT_LOWER, 2))).toBe(true); // already at EL2: unchanged
    expect(routed(abort(0x07, EC.DABT_SAME, 1))).toBe(false); // a fault whose rule chose EL1 explicitly
    expect(routed(new ArchException(EC.SVC64, 0x07))).toBe(false);
  });
});
