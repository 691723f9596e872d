// The registers the debugger sees, by GDB register number: the AArch64 core
// set (x0–x30, sp, pc, cpsr) in GDB's order, then every system register of the
// generated table (src/generated/sysregs.ts, from spec/sysregs) that has
// storage, plus the PSTATE views the CPU serves without side effects
// (CurrentEL, NZCV, DAIF, SPSel, SP_EL0, SP_EL1). Registers behind device hooks
// (the GIC's, the timers', the PMU's) are left out: reading ICC_IAR1_EL1, for
// one, acknowledges an interrupt.
import type { Cpu } from '../core/cpu.js';
import { SP } from '../core/regs.js';
import { sysregs, type SysRegDef } from '../generated/sysregs.js';

export interface GdbRegister {
  name: string;
  /** GDB's register number (the remote protocol's p/P index). */
  regnum: number;
  bits: 32 | 64;
  feature: 'core' | 'sys';
  /** The spec's fields (system registers), for the target description's flags type. */
  fields: SysRegDef['fields'];
  read(c: Cpu): bigint;
  /** Absent: read-only. */
  write?(c: Cpu, v: bigint): void;
}

/** PSTATE views served by the CPU itself (Cpu.readHook), free of side effects. */
const PSTATE_VIEWS = new Set(['CurrentEL', 'NZCV', 'DAIF', 'SPSel', 'SP_EL0', 'SP_EL1']);
const WRITABLE_VIEWS = new Set(['NZCV', 'DAIF', 'SPSel', 'SP_EL0', 'SP_EL1']);

/** Regnum of pc and cpsr in GDB's aarch64 numbering. */
export const PC_REGNUM = 32;
export const CPSR_REGNUM = 33;

/** PSTATE as SPSR/CPSR lays it out: NZCV, IL, DAIF, M[3:0] = EL:SP. */
export function cpsrOf(c: Cpu): bigint {
  return BigInt(((c.nzcv >>> 0) | (c.il << 20) | (c.daif << 6) | (c.el << 2) | c.spsel) >>> 0);
}

/** Sets PSTATE from a CPSR value (EL and SP through setEl, so the stack pointers stay banked). */
export function setCpsr(c: Cpu, v: bigint): void {
  const n = Number(v & 0xffffffffn);
  c.nzcv = n & 0xf0000000;
  c.il = (n >>> 20) & 1;
  c.daif = (n >>> 6) & 0xf;
  const el = (n >>> 2) & 3;
  if (el <= 2) c.setEl(el, n & 1);
  c.nextEvent = 0; // unmasked interrupts may now be taken
}

function coreRegisters(): GdbRegister[] {
  const regs: GdbRegister[] = [];
  for (let i = 0; i <= 30; i++) {
    regs.push({ name: `x${i}`, regnum: i, bits: 64, feature: 'core', fields: [], read: (c) => c.r[i]!, write: (c, v) => { c.r[i] = v; } });
  }
  regs.push({ name: 'sp', regnum: 31, bits: 64, feature: 'core', fields: [], read: (c) => c.r[SP]!, write: (c, v) => { c.r[SP] = v; } });
  regs.push({
    name: 'pc', regnum: PC_REGNUM, bits: 64, feature: 'core', fields: [],
    read: (c) => BigInt.asUintN(64, BigInt(c.pc)),
    write: (c, v) => { c.pc = Number(BigInt.asIntN(64, v)); },
  });
  regs.push({ name: 'cpsr', regnum: CPSR_REGNUM, bits: 32, feature: 'core', fields: [], read: cpsrOf, write: setCpsr });
  return regs;
}

function systemRegisters(first: number, onWrite: (name: string) => void): GdbRegister[] {
  const out: GdbRegister[] = [];
  for (const d of sysregs) {
    if (d.kind !== 'reg') continue;
    const stored = d.slot >= 0;
    if (!stored && !PSTATE_VIEWS.has(d.name)) continue;
    const slot = d.slot, name = d.name;
    out.push({
      name, regnum: first + out.length, bits: 64, feature: 'sys', fields: d.fields,
      read: stored ? (c) => c.sys[slot]! : (c) => c.readHook(name),
      write: stored
        ? (c, v) => { c.sys[slot] = v; onWrite(name); }
        : WRITABLE_VIEWS.has(name) ? (c, v) => { c.writeHook(name, v); } : undefined,
    });
  }
  return out;
}

/** All registers, by regnum; `onSysWrite` is told when the debugger writes a system register (the translation controls need it). */
export function registerFile(onSysWrite: (name: string) => void = () => {}): GdbRegister[] {
  const core = coreRegisters();
  return [...core, ...systemRegisters(core.length, onSysWrite)];
}
