// Running a static AArch64 Linux program at EL0: load its segments, build the
// initial stack, run, and serve SVCs as the Linux syscalls a static program
// needs for output and exit. Any other exception ends the process the way the
// kernel's signal would.
import { Cpu } from '../core/cpu.js';
import { makeDecoder } from '../core/decode.js';
import { ArchException, EC, undefinedInstruction } from '../core/exception.js';
import { GenericTimer } from '../devices/generic-timer.js';
import { PAGE_SIZE } from '../core/memory.js';
import type { ElfImage } from '../elf/read.js';
import { PF_R, PF_W, PF_X } from '../elf/read.js';
import type { Timing } from '../spec/timing.js';
import { UserSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from './address-space.js';
import { buildStack } from './stack.js';
import { Syscalls } from './syscalls.js';
import { describeException } from './signals.js';
import { EXIT, type ExitReason } from './exit.js';
import { F, SLOT, sysResetValues } from '../generated/sysregs.js';

export interface UserRunOptions {
  argv: string[];
  envp?: string[];
  maxInsns?: number;
  timing: Timing;
  /** Guest output per file descriptor (1, 2). */
  output(fd: number, bytes: Uint8Array): void;
}

export interface UserRunResult {
  exitCode: number;
  reason: ExitReason;
  /** What el2sim has to say about how the run ended (not for exits). */
  message?: string;
  instructions: number;
  cycles: number;
  /** Cycles by category: `execute` (instruction class costs) and `exception` (syscall entry and return). */
  cyclesBy: { execute: number; exception: number };
}

/**
 * SCTLR_EL1 as Linux runs EL0: MMU and caches on, alignment checks off, and EL0
 * allowed cache maintenance (UCI), CTR_EL0 (UCT), DC ZVA (DZE), WFI/WFE (nTWI, nTWE).
 */
const LINUX_SCTLR_EL1 = (() => {
  const f = F.SCTLR_EL1;
  return sysResetValues()[SLOT.SCTLR_EL1] | f.M.mask | f.C.mask | f.I.mask | f.SA.mask | f.SA0.mask | f.UCI.mask | f.UCT.mask | f.DZE.mask | f.nTWI.mask | f.nTWE.mask;
})();

const STACK_TOP = 0x7fff_ffff_0000;
const STACK_SIZE = 8 << 20;
/** Cortex-A57 user-visible HWCAPs: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid. */
const HWCAP = 0x8ffn;

export function runUser(elf: ElfImage, opts: UserRunOptions): UserRunResult {
  const space = new UserSpace();
  let brkBase = 0;
  for (const seg of elf.segments) {
    const start = Number(seg.vaddr);
    const prot = (seg.flags & PF_R ? PROT_READ : 0) | (seg.flags & PF_W ? PROT_WRITE : 0) | (seg.flags & PF_X ? PROT_EXEC : 0);
    space.mapZero(start, seg.memsz, prot | PROT_READ);
    space.poke(start, seg.data);
    brkBase = Math.max(brkBase, Math.ceil((start + seg.memsz) / PAGE_SIZE) * PAGE_SIZE);
  }
  space.mapZero(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const stack = buildStack(STACK_TOP, opts.argv, opts.envp ?? [], elf, HWCAP);
  space.poke(stack.sp, stack.bytes);

  const cpu = new Cpu(space, makeDecoder(opts.timing.classes));
  space.onChange = () => cpu.flushHostTlb();
  cpu.el = 0;
  cpu.sys[SLOT.SCTLR_EL1] = LINUX_SCTLR_EL1;
  // Linux lets EL0 read the virtual counter (CNTKCTL_EL1.EL0VCTEN), as the vDSO clock does
  cpu.sys[SLOT.CNTKCTL_EL1] |= F.CNTKCTL_EL1.EL0VCTEN.mask;
  const timer = new GenericTimer(cpu, opts.timing.frequencyMHz * 1e6);
  cpu.hooks = {
    read: (h) => { const v = timer.read(h); if (v === undefined) throw undefinedInstruction(); return v; },
    write: (h, v) => { if (!timer.write(h, v)) throw undefinedInstruction(); },
    op: () => {},
  };
  cpu.sp = BigInt(stack.sp);
  cpu.pc = Number(elf.entry);
  const sys = new Syscalls(cpu, space, brkBase, opts.timing.frequencyMHz, opts.output);
  const limit = opts.maxInsns ?? Infinity;
  let result: Omit<UserRunResult, 'instructions' | 'cycles' | 'cyclesBy'> | undefined;
  let exceptionCycles = 0;
  const svcCost = opts.timing.exception.entry + opts.timing.exception.eret;

  cpu.run(limit, (e: ArchException) => {
    if (e.ec === EC.SVC64) {
      const r = sys.call(Number(cpu.r[8]));
      // SVC's preferred return address is the next instruction; it retires like any other.
      cpu.pc += 4;
      cpu.instructions++;
      cpu.exclusive = NaN; // an exception return clears the local monitor
      cpu.cycles += opts.timing.classes.exception + svcCost;
      exceptionCycles += svcCost;
      if (r) { result = r; cpu.stopped = true; }
      return;
    }
    const d = describeException(e, cpu.pc);
    result = { exitCode: EXIT.SIGNAL_BASE + d.signal, reason: 'signal', message: d.message };
    cpu.stopped = true;
  });
  result ??= { exitCode: EXIT.LIMIT, reason: 'limit', message: `instruction limit reached (${limit}) at pc=0x${BigInt.asUintN(64, BigInt(cpu.pc)).toString(16)}` };
  return { ...result, instructions: cpu.instructions, cycles: cpu.cycles, cyclesBy: { execute: cpu.cycles - exceptionCycles, exception: exceptionCycles } };
}
