// What the machine compares between consecutive exceptions to see a guest that
// makes no progress: the target EL, ESR, ELR, the saved PSTATE and every
// register. Kept as numbers and a copy of the register file's words, since
// this runs on every exception (a string of all registers cost microseconds).
import type { Cpu } from '../core/cpu.js';
import { savedPstate } from '../core/exception-entry.js';

export class ExceptionSignature {
  private target = -1;
  private esr = -1n;
  private elr = -1n;
  private pstate = -1n;
  private regs: Uint32Array | null = null;

  /** Whether this exception's signature equals the last one's; then it becomes the last one. */
  sameAs(c: Cpu, target: number, esr: bigint, elr: bigint): boolean {
    const pstate = savedPstate(c);
    const regs = c.u32;
    let same = this.regs !== null && target === this.target && esr === this.esr && elr === this.elr && pstate === this.pstate;
    if (same) {
      const last = this.regs!;
      for (let i = 0; i < regs.length; i++) if (regs[i] !== last[i]) { same = false; break; }
    }
    this.target = target; this.esr = esr; this.elr = elr; this.pstate = pstate;
    if (this.regs === null) this.regs = new Uint32Array(regs.length);
    this.regs.set(regs);
    return same;
  }
}
