// The instruction syndrome of a data abort (ESR ISS bits 24:14: ISV, SAS, SSE,
// SRT, SF, AR), which a hypervisor needs to emulate an MMIO access. Arm gives
// it for loads and stores of a single general-purpose register without
// writeback (acquire/release included, exclusives excluded): the instructions
// with a `syndrome` in spec/isa. QEMU provides it for data aborts taken to EL2,
// except external aborts and stage 2 faults on a stage 1 walk, and the model
// does the same (machine.ts decides when).
import { decodeId } from '../generated/decoder.js';
import { INSNS } from '../generated/forms.js';

/** ISS bits 24:14 for the instruction word, or 0 when it has no valid syndrome. */
export function instructionSyndrome(w: number): number {
  const id = decodeId(w);
  const iss = id >= 0 ? INSNS[id]!.syndrome : 0;
  return iss && iss | ((w & 0x1f) << 16); // SRT = Rt
}
