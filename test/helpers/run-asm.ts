// Test harness: assemble instructions (no labels; `.+N`-free targets are
// absolute numbers) at 0x10000, run them at EL0 until they fall off the end,
// and hand back the CPU for inspection.
import { Cpu } from '../../src/core/cpu.js';
import { makeDecoder } from '../../src/core/decode.js';
import { ArchException } from '../../src/core/exception.js';
import { encodeInstruction } from '../../src/asm/encode.js';
import { UserSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/user/address-space.js';

export const CODE = 0x10000;
export const DATA = 0x20000;

function num(e: string): bigint | undefined {
  const t = e.trim();
  return /^-?(0x[0-9a-f]+|\d+)$/i.test(t) ? (t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t)) : undefined;
}

export function assemble(lines: string[], base = CODE): number[] {
  return lines.map((l, i) => {
    const t = l.trim();
    const sp = t.search(/\s/);
    return encodeInstruction(sp < 0 ? t : t.slice(0, sp), sp < 0 ? '' : t.slice(sp + 1), { pc: BigInt(base + 4 * i), evaluate: num });
  });
}

export interface RunResult { cpu: Cpu; space: UserSpace; exception?: ArchException }

/** Runs `lines`; registers from `init` (slot → value). Stops at the first exception or after the last instruction. */
export function runAsm(lines: string[], init: Record<number, bigint> = {}, setup?: (s: UserSpace) => void): RunResult {
  const words = assemble(lines);
  const space = new UserSpace();
  space.mapZero(CODE, 4 * words.length + 4, PROT_READ | PROT_EXEC);
  space.mapZero(DATA, 0x10000, PROT_READ | PROT_WRITE);
  const bytes = new Uint8Array(4 * words.length);
  new DataView(bytes.buffer).setUint32(0, 0);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w, true));
  space.poke(CODE, bytes);
  setup?.(space);
  const cpu = new Cpu(space, makeDecoder({}));
  for (const [k, v] of Object.entries(init)) cpu.r[Number(k)] = v;
  cpu.pc = CODE;
  let exception: ArchException | undefined;
  const end = CODE + 4 * words.length;
  // Step one instruction at a time so running off the end is noticed.
  while (cpu.pc !== end && cpu.instructions < 100000 && !exception) {
    cpu.run(cpu.instructions + 1, (e) => { exception = e; cpu.stopped = true; });
  }
  return { cpu, space, exception };
}
