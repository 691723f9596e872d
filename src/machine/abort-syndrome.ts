// The instruction syndrome of a data abort (ESR ISS bits 24:14: ISV, SAS, SSE,
// SRT, SF, AR), which a hypervisor needs to emulate an MMIO access. Arm gives
// it for loads and stores of a single general-purpose register without
// writeback (acquire/release included, exclusives excluded); QEMU provides it
// for data aborts taken to EL2, except external aborts and stage 2 faults on
// a stage 1 walk, and the model does the same.
// TODO(issue 4): derive these fields from spec/isa instead of the encoding classes below.

const ISV = 1 << 24;

/** ISS bits 24:14 for the instruction word, or 0 when it has no valid syndrome. */
export function instructionSyndrome(w: number): number {
  const rt = w & 0x1f;
  const size = w >>> 30;
  // load/store register: unsigned offset, register offset, unscaled, unprivileged (no writeback)
  if ((w & 0x3b000000) === 0x39000000 || ((w & 0x3b200000) === 0x38000000 && ((w >>> 10) & 1) === 0) || (w & 0x3b200c00) === 0x38200800) {
    const opc = (w >>> 22) & 3;
    if (opc >= 2 && size === 3) return 0; // PRFM, or unallocated
    const load = opc !== 0;
    const signed = opc >= 2;
    const sf = load ? (signed ? opc === 2 : size === 3) : size === 3;
    return pack(size, signed, rt, sf, false);
  }
  // load literal (LDR W/X, LDRSW)
  if ((w & 0x3b000000) === 0x18000000) {
    const opc = w >>> 30;
    if (opc === 3) return 0; // PRFM literal
    return pack(opc === 0 ? 2 : opc === 1 ? 3 : 2, opc === 2, rt, opc !== 0, false);
  }
  // load-acquire / store-release (LDAR, STLR): o2 = 1, o1 = 0, o0 = 1
  if ((w & 0x3fa08000) === 0x08808000) return pack(size, false, rt, size === 3, true);
  return 0;
}

function pack(sas: number, sse: boolean, srt: number, sf: boolean, ar: boolean): number {
  return ISV | (sas << 22) | (Number(sse) << 21) | (srt << 16) | (Number(sf) << 15) | (Number(ar) << 14);
}
