// The generic timer: the counter (CNTPCT, and CNTVCT = CNTPCT - CNTVOFF_EL2)
// derived from the cycle count at the counter frequency; the EL1 physical,
// virtual and EL2 physical timers (CTL, CVAL, and TVAL as a view of CVAL); and
// their interrupt lines (PPIs 30, 27 and 26 on the virt machine).
import type { Cpu } from '../core/cpu.js';
import { SLOT } from '../generated/sysregs.js';

const ENABLE = 1n, IMASK = 2n, ISTATUS = 4n;
type Name = 'P' | 'V' | 'HP';
const NAMES: Name[] = ['P', 'V', 'HP'];

export class GenericTimer {
  private readonly ctl: Record<Name, bigint> = { P: 0n, V: 0n, HP: 0n };
  private readonly cval: Record<Name, bigint> = { P: 0n, V: 0n, HP: 0n };
  private cntvoff = 0n;
  /** Called when a timer register changes (a line or a deadline may have moved). */
  onChange: () => void = () => {};

  constructor(private readonly cpu: Cpu, private readonly coreHz: number) {}

  private freq(): number {
    return Number(this.cpu.sys[SLOT.CNTFRQ_EL0]);
  }
  /** The physical count: cycles scaled to the counter frequency (CNTFRQ_EL0). */
  physicalCount(): bigint {
    return BigInt(Math.floor((this.cpu.elapsed * this.freq()) / this.coreHz));
  }
  virtualCount(): bigint {
    return BigInt.asUintN(64, this.physicalCount() - this.cntvoff);
  }
  private count(n: Name): bigint {
    return n === 'V' ? this.virtualCount() : this.physicalCount();
  }
  /** ISTATUS: enabled and CVAL <= count. */
  private status(n: Name): bigint {
    return this.ctl[n] & ENABLE && this.cval[n] <= this.count(n) ? ISTATUS : 0n;
  }

  /** Timer n's interrupt line: enabled, not masked, condition met (the count is read only then). */
  line(n: Name): boolean {
    return (this.ctl[n] & (ENABLE | IMASK)) === ENABLE && this.cval[n] <= this.count(n);
  }

  /** The first cycle count at which an enabled, unmasked timer not yet firing will fire; Infinity if none. */
  nextDeadline(): number {
    let next = Infinity;
    for (const n of NAMES) {
      if ((this.ctl[n] & (ENABLE | IMASK)) !== ENABLE || this.status(n)) continue;
      const physical = this.cval[n] + (n === 'V' ? this.cntvoff : 0n);
      next = Math.min(next, Math.ceil((Number(physical) * this.coreHz) / this.freq()));
    }
    return next;
  }

  /** Serves a hooked timer register; undefined if the name is not the timer's. */
  read(hook: string): bigint | undefined {
    if (hook === 'CNTPCT_EL0') return this.physicalCount();
    if (hook === 'CNTVCT_EL0') return this.virtualCount();
    if (hook === 'CNTVOFF_EL2') return this.cntvoff;
    const m = /^CNT(P|V|HP)_(CTL|CVAL|TVAL)_EL[02]$/.exec(hook);
    if (!m) return undefined;
    const n = m[1] as Name;
    if (m[2] === 'CTL') return this.ctl[n] | this.status(n);
    if (m[2] === 'CVAL') return this.cval[n];
    return BigInt.asUintN(32, this.cval[n] - this.count(n));
  }

  write(hook: string, v: bigint): boolean {
    if (hook === 'CNTVOFF_EL2') this.cntvoff = v;
    else {
      const m = /^CNT(P|V|HP)_(CTL|CVAL|TVAL)_EL[02]$/.exec(hook);
      if (!m) return false;
      const n = m[1] as Name;
      if (m[2] === 'CTL') this.ctl[n] = v & (ENABLE | IMASK);
      else if (m[2] === 'CVAL') this.cval[n] = v;
      else this.cval[n] = BigInt.asUintN(64, this.count(n) + BigInt.asIntN(32, v));
    }
    this.onChange();
    return true;
  }
}
