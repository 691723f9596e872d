// How a user-mode run ends when the guest takes an exception other than SVC:
// the signal Linux would deliver, and a one-line report.
import { ArchException, EC, EC_NAMES } from '../core/exception.js';

export const SIG = { ILL: 4, TRAP: 5, BUS: 7, SEGV: 11 } as const;

const FSC: Record<number, string> = {
  0b000100: 'translation fault, level 0', 0b000111: 'translation fault, level 3', 0b001111: 'permission fault, level 3', 0b100001: 'alignment fault',
};

const hex = (v: bigint | number) => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);

export function describeException(e: ArchException, pc: number): { signal: number; message: string } {
  const at = `at pc=${hex(pc)}`;
  switch (e.ec) {
    case EC.UNKNOWN:
      return { signal: SIG.ILL, message: `SIGILL: UNDEFINED instruction ${at}` };
    case EC.DABT_LOWER: case EC.DABT_SAME: case EC.IABT_LOWER: case EC.IABT_SAME: {
      const what = e.ec === EC.IABT_LOWER || e.ec === EC.IABT_SAME ? 'instruction abort' : (e.iss >> 6) & 1 ? 'data abort on write' : 'data abort on read';
      const sig = (e.iss & 0x3f) === 0b100001 ? SIG.BUS : SIG.SEGV;
      return { signal: sig, message: `${sig === SIG.BUS ? 'SIGBUS' : 'SIGSEGV'}: ${what} (${FSC[e.iss & 0x3f] ?? `FSC 0x${(e.iss & 0x3f).toString(16)}`}) ${at}, far=${hex(e.far ?? 0n)}` };
    }
    case EC.PC_ALIGN:
      return { signal: SIG.BUS, message: `SIGBUS: PC alignment fault ${at}, far=${hex(e.far ?? 0n)}` };
    case EC.SP_ALIGN:
      return { signal: SIG.BUS, message: `SIGBUS: SP alignment fault ${at}` };
    case EC.BRK64:
      return { signal: SIG.TRAP, message: `SIGTRAP: brk #0x${e.iss.toString(16)} ${at}` };
    default:
      return { signal: SIG.ILL, message: `SIGILL: ${EC_NAMES[e.ec] ?? 'exception'} (EC 0x${e.ec.toString(16)}, ISS 0x${e.iss.toString(16)}) ${at}` };
  }
}
