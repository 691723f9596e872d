// The generic timer's system-register side: the counter (CNTPCT, and CNTVCT =
// CNTPCT - CNTVOFF_EL2) derived from the cycle count at the counter frequency,
// and the EL1 physical, virtual and EL2 physical timers' CTL and TVAL views of
// their CVAL. Interrupt delivery arrives with the GIC.
import type { Cpu } from '../core/cpu.js';
import { SLOT } from '../generated/sysregs.js';

const ENABLE = 1n, IMASK = 2n, ISTATUS = 4n;

interface TimerRegs { ctl: bigint; cval: number; virtual: boolean }

export class GenericTimer {
  /** CTL (ENABLE, IMASK) per timer; CVAL lives in the system-register slots. */
  private readonly ctl = { P: 0n, V: 0n, HP: 0n };

  constructor(private readonly cpu: Cpu, private readonly coreHz: number) {}

  /** The physical count: cycles scaled to the counter frequency (CNTFRQ_EL0). */
  physicalCount(): bigint {
    const freq = Number(this.cpu.sys[SLOT.CNTFRQ_EL0]);
    return BigInt(Math.floor((this.cpu.cycles * freq) / this.coreHz));
  }
  virtualCount(): bigint {
    return BigInt.asUintN(64, this.physicalCount() - this.cpu.sys[SLOT.CNTVOFF_EL2]);
  }

  private timer(name: 'P' | 'V' | 'HP'): TimerRegs {
    const cval = name === 'P' ? SLOT.CNTP_CVAL_EL0 : name === 'V' ? SLOT.CNTV_CVAL_EL0 : SLOT.CNTHP_CVAL_EL2;
    return { ctl: this.ctl[name], cval, virtual: name === 'V' };
  }

  /** ISTATUS: the timer condition CVAL <= count holds and the timer is enabled. */
  private status(t: TimerRegs): bigint {
    const count = t.virtual ? this.virtualCount() : this.physicalCount();
    return t.ctl & ENABLE && this.cpu.sys[t.cval] <= count ? ISTATUS : 0n;
  }

  /** Serves a hooked timer register; undefined if the name is not one of the timer's. */
  read(hook: string): bigint | undefined {
    switch (hook) {
      case 'CNTPCT_EL0': return this.physicalCount();
      case 'CNTVCT_EL0': return this.virtualCount();
    }
    const m = /^CNT(P|V|HP)_(CTL|TVAL)_EL[02]$/.exec(hook);
    if (!m) return undefined;
    const t = this.timer(m[1] as 'P' | 'V' | 'HP');
    if (m[2] === 'CTL') return t.ctl | this.status(t);
    const count = t.virtual ? this.virtualCount() : this.physicalCount();
    return BigInt.asUintN(32, this.cpu.sys[t.cval] - count);
  }

  write(hook: string, v: bigint): boolean {
    const m = /^CNT(P|V|HP)_(CTL|TVAL)_EL[02]$/.exec(hook);
    if (!m) return false;
    const name = m[1] as 'P' | 'V' | 'HP';
    const t = this.timer(name);
    if (m[2] === 'CTL') this.ctl[name] = v & (ENABLE | IMASK);
    else this.cpu.sys[t.cval] = BigInt.asUintN(64, (t.virtual ? this.virtualCount() : this.physicalCount()) + BigInt.asIntN(32, v));
    return true;
  }
}
