// Watchpoints before the access, as Arm's hardware takes them (GDB's aarch64
// support steps over the instruction itself, then checks the value). Before a
// load or store runs, its semantics are run on a scratch copy of the CPU whose
// memory methods only record the addresses: nothing is read, written,
// translated or counted. The recorded VAs are then translated with a pure walk
// for the CPU's EL and compared with the watched physical ranges.
import type { Cpu, Exec } from '../core/cpu.js';
import { decodeId } from '../generated/decoder.js';
import { CLASS } from '../generated/executor.js';

export interface DataAccess { va: number; size: number; write: boolean }

/** Whether the instruction word is a load or a store (its timing class). */
export function isMemoryInstruction(w: number): boolean {
  const id = decodeId(w);
  if (id < 0) return false;
  const k = CLASS[id];
  return k === 'load' || k === 'store';
}

/** The data accesses `exec` would make from the CPU's current state (none when it would fault first). */
export function dataAccesses(c: Cpu, exec: Exec): DataAccess[] {
  const out: DataAccess[] = [];
  const r = new BigUint64Array(c.r);
  const probe = Object.create(c) as Record<string, unknown>;
  Object.assign(probe, {
    r, u32: new Uint32Array(r.buffer), i32: new Int32Array(r.buffer),
    pc: c.pc, npc: c.pc + 4, n: c.n, z: c.z, c: c.c, v: c.v, exclusive: c.exclusive, cycles: c.cycles,
    load(_t: number, a: number, size: number) { out.push({ va: a, size, write: false }); },
    store(_t: number, a: number, size: number) { out.push({ va: a, size, write: true }); },
    read(a: number, size: number) { out.push({ va: a, size, write: false }); return 0n; },
    write(a: number, size: number) { out.push({ va: a, size, write: true }); },
    jump() {}, branchTo() {}, setEl() {}, sysOp() {}, writeHook() {},
    onSysWrite() {},
  });
  try {
    exec(probe as unknown as Cpu);
  } catch {
    // an alignment or translation fault before any access: the instruction accesses nothing
  }
  return out;
}
