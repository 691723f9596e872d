// Running a machine under a debugger. Every decoded instruction is wrapped in
// a check that runs before it, at most every `interval` instructions (1 while
// breakpoints, watchpoints or a step are armed; a poll interval otherwise). The
// check runs *inside* the block being executed, so the debugger can stop the
// machine there and resume it by returning: the CPU's blocks, cycles and
// counters are exactly those of a run without a debugger. Only a normal run
// (no --gdb) leaves the decoder unwrapped, so it pays nothing.
import type { Cpu, Decoder, Exec } from '../core/cpu.js';
import type { Machine, RunResult } from './machine.js';

/** What boot and vm runs accept to run under a debugger. */
export interface DebugHook {
  wrapDecoder(d: Decoder): Decoder;
  /** Runs the machine (after loading) to its end. */
  run(m: Machine, maxInsns: number | undefined): RunResult;
}

/** Thrown by a check to restart execution at `pc` (the debugger wrote PC or PSTATE in the middle of a block). */
export class Redirect extends Error {
  constructor(readonly pc: number) { super('redirect'); }
}

/** Thrown by a check to end the run (the debugger's kill). */
export class DebugKill extends Error {
  constructor(readonly why: string) { super(why); }
}

export interface InstructionCheck {
  /** Called before the instruction at c.pc (word `w`, semantics `exec`) runs; may throw Redirect or DebugKill. */
  before(c: Cpu, w: number, exec: Exec): void;
  /** Called once when the run has ended, with its result. */
  ended(r: RunResult): void;
}

const hex = (v: number) => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);

export class DebugRunner implements DebugHook {
  /** Instructions until the next check. */
  private countdown = 1;
  /** Checks run every `interval` instructions. */
  interval = 1;

  constructor(private readonly check: InstructionCheck) {}

  /** Check before the next instruction (and every one after while interval is 1). */
  armNext(): void {
    this.countdown = 1;
  }

  wrapDecoder = (d: Decoder): Decoder => (w) => {
    const x = d(w);
    const exec = x.exec;
    const check: Exec = (c) => {
      if (--this.countdown <= 0) {
        this.countdown = this.interval;
        this.check.before(c, w, exec);
      }
      exec(c);
    };
    return { exec: check, cost: x.cost, endsBlock: x.endsBlock };
  };

  run(m: Machine, maxInsns: number | undefined): RunResult {
    let r: RunResult;
    for (;;) {
      try {
        r = m.run(maxInsns);
        break;
      } catch (e) {
        if (e instanceof Redirect) { m.cpu.pc = e.pc; continue; }
        if (e instanceof DebugKill) {
          const stats = m.stats();
          r = { reason: 'limit', message: `${e.why} at pc=${hex(m.cpu.pc)} EL${m.cpu.el}`, instructions: m.cpu.instructions, cycles: m.cpu.cycles, cyclesBy: stats.cyclesBy, stats };
          break;
        }
        throw e;
      }
    }
    this.check.ended(r);
    return r;
  }
}
