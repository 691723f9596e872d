// The GICv3 model through its two MMIO frames and its ICC_* hooks. Reset
// values and the acknowledge/EOI results are those qemu-system-aarch64 7.2
// gives on `-M virt,virtualization=on,gic-version=3 -cpu cortex-a57`.
import { beforeEach, describe, expect, it } from 'vitest';
import { GicV3, GICD_BASE, GICR_BASE } from '../src/devices/gicv3.js';

const SGI = 0x10000; // the redistributor's SGI_base frame
const EL1_PHYS_TIMER = 30, EL1_VIRT_TIMER = 27, EL2_PHYS_TIMER = 26, UART = 33;

let gic: GicV3;
let changes: number;

const dist = (off: number): number => Number(gic.distributor.read(off, 4));
const setDist = (off: number, v: number): void => gic.distributor.write(off, 4, BigInt(v));
const redist = (off: number): number => Number(gic.redistributor.read(off, 4));
const setRedist = (off: number, v: number): void => gic.redistributor.write(off, 4, BigInt(v));
const icc = (name: string): number => Number(gic.readReg(`ICC_${name}_EL1`));
const setIcc = (name: string, v: number | bigint): void => {
  expect(gic.writeReg(`ICC_${name}_EL1`, BigInt(v))).toBe(true);
};

/** What a kernel does at boot: wake the redistributor, enable both groups everywhere, open the priority mask. */
function enableCpuInterface(): void {
  setDist(0x0, 0x3);
  setRedist(0x14, 0);
  setIcc('PMR', 0xff);
  setIcc('IGRPEN0', 1);
  setIcc('IGRPEN1', 1);
}

/** Enables a PPI or SGI in `group` with `priority` through the SGI_base frame. */
function configureLocal(intid: number, group: 0 | 1, priority: number): void {
  const b = 1 << intid;
  setRedist(SGI + 0x80, group ? redist(SGI + 0x80) | b : redist(SGI + 0x80) & ~b);
  gic.redistributor.write(SGI + 0x400 + intid, 1, BigInt(priority));
  setRedist(SGI + 0x100, b);
}

beforeEach(() => {
  gic = new GicV3();
  changes = 0;
  gic.onChange = () => changes++;
});

describe('GICv3 registers at reset', () => {
  it('places the frames where QEMU virt has them', () => {
    expect([gic.distributor.base, gic.distributor.size]).toEqual([0x0800_0000, 0x10000]);
    expect([gic.redistributor.base, gic.redistributor.size]).toEqual([0x080a_0000, 0x20000]);
    expect([GICD_BASE, GICR_BASE]).toEqual([0x0800_0000, 0x080a_0000]);
  });

  it('identifies the distributor: DS and ARE set, 256 SPIs, a GICv3 by Arm', () => {
    expect(dist(0x0)).toBe(0x50); // GICD_CTLR: DS | ARE
    expect(dist(0x4)).toBe(0x0378_0007); // GICD_TYPER (QEMU: 0x037a0007, with LPIS)
    expect(dist(0x8)).toBe(0x43b); // GICD_IIDR
    expect(dist(0xffe8)).toBe(0x3b); // GICD_PIDR2: ArchRev 3
    expect((dist(0xffe8) >> 4) & 0xf).toBe(3);
    expect(dist(0xffe0)).toBe(0x92); // PIDR0: distributor
    expect([dist(0xfff0), dist(0xfff4), dist(0xfff8), dist(0xfffc)]).toEqual([0x0d, 0xf0, 0x05, 0xb1]);
  });

  it('identifies the redistributor: the last one, asleep, SGIs edge and PPIs level', () => {
    expect(redist(0x0)).toBe(0); // GICR_CTLR (QEMU: 0x2, CES, with LPIs)
    expect(redist(0x4)).toBe(0x43b); // GICR_IIDR
    expect(gic.redistributor.read(0x8, 8)).toBe(0x0100_0010n); // GICR_TYPER: Last (QEMU also has PLPIS)
    expect([redist(0x8), redist(0xc)]).toEqual([0x0100_0010, 0]);
    expect(redist(0x14)).toBe(0x6); // GICR_WAKER: ProcessorSleep, ChildrenAsleep
    expect(redist(0xffe8)).toBe(0x3b);
    expect(redist(0xffe0)).toBe(0x93); // PIDR0: redistributor
    expect(redist(SGI + 0xc00)).toBe(0xaaaa_aaaa); // GICR_ICFGR0
    expect(redist(SGI + 0xc04)).toBe(0); // GICR_ICFGR1
    expect([redist(SGI + 0x80), redist(SGI + 0x100), redist(SGI + 0x400)]).toEqual([0, 0, 0]);
  });

  it('resets the CPU interface as QEMU does for a Cortex-A57 (five priority bits)', () => {
    expect(icc('CTLR')).toBe(0x8c00); // A3V, IDbits 24, PRIbits 5
    expect(icc('SRE')).toBe(7);
    expect(gic.readReg('ICC_SRE_EL2')).toBe(0xfn);
    expect([icc('PMR'), icc('BPR0'), icc('BPR1'), icc('RPR')]).toEqual([0, 2, 3, 0xff]);
    expect([icc('IGRPEN0'), icc('IGRPEN1'), icc('AP0R0'), icc('AP1R0')]).toEqual([0, 0, 0, 0]);
    expect([icc('IAR1'), icc('HPPIR1'), icc('IAR0'), icc('HPPIR0')]).toEqual([1023, 1023, 1023, 1023]);
  });

  it('keeps only the writable bits', () => {
    setDist(0x0, 0xffff_ffff);
    expect(dist(0x0)).toBe(0x53); // only EnableGrp0/1 are writable with DS = 1
    setIcc('PMR', 0xff);
    expect(icc('PMR')).toBe(0xf8);
    setIcc('BPR0', 0);
    setIcc('BPR1', 0);
    expect([icc('BPR0'), icc('BPR1')]).toEqual([2, 3]); // the minimums
    setIcc('CTLR', 0xffff);
    expect(icc('CTLR')).toBe(0x8c03); // CBPR, EOImode
    setIcc('SRE', 0);
    expect(icc('SRE')).toBe(7);
    setRedist(SGI + 0x400, 0xffff_ffff);
    expect(redist(SGI + 0x400)).toBe(0xffff_ffff); // priorities keep all eight bits, as QEMU
    setRedist(SGI + 0xc04, 0xffff_ffff);
    setRedist(SGI + 0xc00, 0);
    expect([redist(SGI + 0xc04), redist(SGI + 0xc00)]).toEqual([0xaaaa_aaaa, 0xaaaa_aaaa]);
    setDist(0x420, 0xffff_ffff);
    expect(dist(0x420)).toBe(0xffff_ffff);
    gic.distributor.write(0x6100, 8, -1n);
    expect(gic.distributor.read(0x6100, 8)).toBe(0xffff_ffff_ffff_ffffn);
  });

  it('reads reserved offsets and unsupported sizes as zero and ignores writes there', () => {
    setDist(0x80, 0xffff_ffff); // GICD_IGROUPR0: SGIs and PPIs belong to the redistributor
    expect(dist(0x80)).toBe(0);
    expect(gic.distributor.read(0x0, 8)).toBe(0n); // 64-bit access to a 32-bit register
    expect(gic.distributor.read(0x402, 4)).toBe(0n); // misaligned
    expect(gic.redistributor.read(0x14, 2)).toBe(0n);
    expect(dist(0x100)).toBe(0);
  });

  it('says which ICC registers it serves', () => {
    expect(gic.readReg('CNTP_CTL_EL0')).toBeUndefined();
    expect(gic.writeReg('CNTP_CTL_EL0', 1n)).toBe(false);
    expect(gic.readReg('ICC_EOIR1_EL1')).toBeUndefined(); // write-only
  });
});

describe('GICR_WAKER', () => {
  it('completes the sleep handshake at once: ChildrenAsleep follows ProcessorSleep', () => {
    setRedist(0x14, 0);
    expect(redist(0x14)).toBe(0);
    setRedist(0x14, 0x2);
    expect(redist(0x14)).toBe(0x6);
    setRedist(0x14, 0x4); // ChildrenAsleep is read-only
    expect(redist(0x14)).toBe(0);
  });
});

describe('a level-sensitive PPI', () => {
  beforeEach(() => {
    enableCpuInterface();
    configureLocal(EL1_PHYS_TIMER, 1, 0xa0);
  });

  it('is signalled as IRQ while its line is high, and reported by onChange', () => {
    expect(gic.irqPending()).toBe(false);
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect([gic.irqPending(), gic.fiqPending(), changes]).toEqual([true, false, 1]);
    expect(redist(SGI + 0x200)).toBe(1 << EL1_PHYS_TIMER); // GICR_ISPENDR0 shows the line
    expect(icc('HPPIR1')).toBe(EL1_PHYS_TIMER);
    gic.setLevel(EL1_PHYS_TIMER, true); // no edge: nothing changes
    expect(changes).toBe(1);
    gic.setLevel(EL1_PHYS_TIMER, false);
    expect([gic.irqPending(), changes, redist(SGI + 0x200)]).toEqual([false, 2, 0]);
  });

  it('is not signalled while disabled, and ICENABLER disables it', () => {
    setRedist(SGI + 0x180, 1 << EL1_PHYS_TIMER);
    expect(redist(SGI + 0x100)).toBe(0);
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(gic.irqPending()).toBe(false);
    setRedist(SGI + 0x100, 1 << EL1_PHYS_TIMER);
    expect(gic.irqPending()).toBe(true);
  });

  it('is masked unless its priority is higher (lower) than PMR', () => {
    setIcc('PMR', 0xa0);
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(gic.irqPending()).toBe(false);
    expect(icc('IAR1')).toBe(1023); // masked: nothing is acknowledged
    expect(icc('HPPIR1')).toBe(EL1_PHYS_TIMER); // HPPIR ignores PMR
    setIcc('PMR', 0xa8);
    expect(gic.irqPending()).toBe(true);
  });

  it('is not signalled with its group disabled in the distributor or the CPU interface', () => {
    gic.setLevel(EL1_PHYS_TIMER, true);
    setIcc('IGRPEN1', 0);
    expect([gic.irqPending(), icc('IAR1'), icc('HPPIR1')]).toEqual([false, 1023, 1023]);
    setIcc('IGRPEN1', 1);
    setDist(0x0, 0x1);
    expect(gic.irqPending()).toBe(false);
    setDist(0x0, 0x3);
    expect(gic.irqPending()).toBe(true);
  });

  it('goes through acknowledge and EOI: active, running priority, active priorities', () => {
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(icc('IAR1')).toBe(EL1_PHYS_TIMER);
    expect(redist(SGI + 0x300)).toBe(1 << EL1_PHYS_TIMER); // GICR_ISACTIVER0
    expect(icc('RPR')).toBe(0xa0);
    expect(icc('AP1R0')).toBe(1 << (0xa0 >> 3));
    expect(gic.irqPending()).toBe(false); // active (and still pending: the line is high)
    expect(icc('IAR1')).toBe(1023);
    setIcc('EOIR1', EL1_PHYS_TIMER);
    expect([icc('RPR'), icc('AP1R0'), redist(SGI + 0x300)]).toEqual([0xff, 0, 0]);
    expect(gic.irqPending()).toBe(true); // the line is still high
    gic.setLevel(EL1_PHYS_TIMER, false);
    expect(gic.irqPending()).toBe(false);
  });

  it('is latched on a rising edge when configured edge-triggered', () => {
    setRedist(SGI + 0xc04, 2 << (2 * (EL1_PHYS_TIMER - 16)));
    gic.setLevel(EL1_PHYS_TIMER, true);
    gic.setLevel(EL1_PHYS_TIMER, false);
    expect(gic.irqPending()).toBe(true);
    expect(icc('IAR1')).toBe(EL1_PHYS_TIMER);
    setIcc('EOIR1', EL1_PHYS_TIMER);
    expect(gic.irqPending()).toBe(false);
  });

  it('can be made pending and cleared through ISPENDR0/ICPENDR0', () => {
    setRedist(SGI + 0x200, 1 << EL1_PHYS_TIMER);
    expect(gic.irqPending()).toBe(true);
    setRedist(SGI + 0x280, 1 << EL1_PHYS_TIMER);
    expect(gic.irqPending()).toBe(false);
  });
});

describe('priorities and preemption', () => {
  beforeEach(() => {
    enableCpuInterface();
    configureLocal(EL1_PHYS_TIMER, 1, 0xa0);
    configureLocal(EL1_VIRT_TIMER, 1, 0x80);
    configureLocal(EL2_PHYS_TIMER, 1, 0xc0);
  });

  it('acknowledges the highest priority first, and the lowest INTID among equals', () => {
    gic.setLevel(EL2_PHYS_TIMER, true);
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(icc('HPPIR1')).toBe(EL1_PHYS_TIMER);
    gic.redistributor.write(SGI + 0x400 + EL2_PHYS_TIMER, 1, 0xa0n);
    expect(icc('HPPIR1')).toBe(EL2_PHYS_TIMER);
  });

  it('nests a higher-priority interrupt inside a running one and unwinds in order', () => {
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(icc('IAR1')).toBe(EL1_PHYS_TIMER);
    gic.setLevel(EL2_PHYS_TIMER, true); // 0xc0 cannot preempt 0xa0
    expect(gic.irqPending()).toBe(false);
    gic.setLevel(EL1_VIRT_TIMER, true); // 0x80 can
    expect(gic.irqPending()).toBe(true);
    expect(icc('IAR1')).toBe(EL1_VIRT_TIMER);
    expect(icc('RPR')).toBe(0x80);
    expect(icc('AP1R0')).toBe((1 << (0x80 >> 3)) | (1 << (0xa0 >> 3)));
    expect(gic.irqPending()).toBe(false);
    setIcc('EOIR1', EL1_VIRT_TIMER);
    expect(icc('RPR')).toBe(0xa0);
    gic.setLevel(EL1_VIRT_TIMER, false);
    setIcc('EOIR1', EL1_PHYS_TIMER);
    gic.setLevel(EL1_PHYS_TIMER, false);
    expect(icc('RPR')).toBe(0xff);
    expect(gic.irqPending()).toBe(true); // now the 0xc0 one
    expect(icc('IAR1')).toBe(EL2_PHYS_TIMER);
  });

  it('does not preempt at an equal priority', () => {
    gic.redistributor.write(SGI + 0x400 + EL1_VIRT_TIMER, 1, 0xa0n);
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(icc('IAR1')).toBe(EL1_PHYS_TIMER);
    gic.setLevel(EL1_VIRT_TIMER, true);
    expect(gic.irqPending()).toBe(false);
  });

  it('preempts only on the group priority that BPR1 leaves', () => {
    setIcc('BPR1', 7); // group priority is bit 7 only: 0x80 and 0xa0 are the same level
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(icc('IAR1')).toBe(EL1_PHYS_TIMER);
    expect([icc('AP1R0'), icc('RPR')]).toEqual([1 << (0x80 >> 3), 0x80]);
    gic.setLevel(EL1_VIRT_TIMER, true);
    expect([gic.irqPending(), icc('IAR1'), icc('HPPIR1')]).toEqual([false, 1023, EL1_VIRT_TIMER]);
  });

  it('makes BPR1 a view of BPR0 + 1 with CBPR', () => {
    setIcc('CTLR', 1);
    expect(icc('BPR1')).toBe(3);
    setIcc('BPR1', 5); // ignored
    setIcc('CTLR', 0);
    expect(icc('BPR1')).toBe(3);
  });

  it('splits priority drop and deactivation with EOImode = 1', () => {
    setIcc('CTLR', 2);
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect(icc('IAR1')).toBe(EL1_PHYS_TIMER);
    setIcc('EOIR1', EL1_PHYS_TIMER);
    expect(icc('RPR')).toBe(0xff);
    expect(redist(SGI + 0x300)).toBe(1 << EL1_PHYS_TIMER); // still active
    expect(gic.irqPending()).toBe(false);
    setIcc('DIR', EL1_PHYS_TIMER);
    expect(redist(SGI + 0x300)).toBe(0);
    expect(gic.irqPending()).toBe(true);
  });

  it('ignores DIR with EOImode = 0 and an EOI of a spurious INTID', () => {
    gic.setLevel(EL1_PHYS_TIMER, true);
    icc('IAR1');
    setIcc('DIR', EL1_PHYS_TIMER);
    setIcc('EOIR1', 1023);
    expect([redist(SGI + 0x300), icc('RPR')]).toEqual([1 << EL1_PHYS_TIMER, 0xa0]);
  });
});

describe('Group 0 and Group 1', () => {
  beforeEach(() => {
    enableCpuInterface();
    configureLocal(EL1_PHYS_TIMER, 0, 0x40);
  });

  it('signals Group 0 as FIQ and acknowledges it only through IAR0', () => {
    gic.setLevel(EL1_PHYS_TIMER, true);
    expect([gic.fiqPending(), gic.irqPending()]).toEqual([true, false]);
    expect([icc('IAR1'), icc('HPPIR1'), icc('HPPIR0')]).toEqual([1023, 1023, EL1_PHYS_TIMER]);
    expect(icc('IAR0')).toBe(EL1_PHYS_TIMER);
    expect([icc('AP0R0'), icc('RPR')]).toEqual([1 << (0x40 >> 3), 0x40]);
    setIcc('EOIR1', EL1_PHYS_TIMER); // the wrong group: ignored
    expect(icc('RPR')).toBe(0x40);
    setIcc('EOIR0', EL1_PHYS_TIMER);
    expect([icc('RPR'), redist(SGI + 0x300)]).toEqual([0xff, 0]);
  });

  it('masks Group 0 with IGRPEN0 and GICD_CTLR.EnableGrp0', () => {
    gic.setLevel(EL1_PHYS_TIMER, true);
    setIcc('IGRPEN0', 0);
    expect(gic.fiqPending()).toBe(false);
    setIcc('IGRPEN0', 1);
    setDist(0x0, 0x2);
    expect(gic.fiqPending()).toBe(false);
  });

  it('lets the highest-priority pending interrupt decide between IRQ and FIQ', () => {
    configureLocal(EL1_VIRT_TIMER, 1, 0x20);
    gic.setLevel(EL1_PHYS_TIMER, true);
    gic.setLevel(EL1_VIRT_TIMER, true);
    expect([gic.irqPending(), gic.fiqPending()]).toEqual([true, false]);
    expect(icc('IAR1')).toBe(EL1_VIRT_TIMER);
    expect([gic.irqPending(), gic.fiqPending()]).toEqual([false, false]); // 0x40 cannot preempt 0x20
    setIcc('EOIR1', EL1_VIRT_TIMER);
    gic.setLevel(EL1_VIRT_TIMER, false);
    expect(gic.fiqPending()).toBe(true);
  });
});

describe('SGIs through ICC_SGI1R_EL1', () => {
  const sgi1r = (intid: number, targets: number, extra = 0n): bigint => (BigInt(intid) << 24n) | BigInt(targets) | extra;

  beforeEach(() => {
    enableCpuInterface();
    configureLocal(5, 1, 0x40);
  });

  it('raises an SGI on this CPU (affinity 0.0.0.0, target list bit 0), edge-triggered', () => {
    setIcc('SGI1R', sgi1r(5, 1));
    expect(redist(SGI + 0x200)).toBe(1 << 5);
    expect(gic.irqPending()).toBe(true);
    expect(icc('IAR1')).toBe(5);
    setIcc('EOIR1', 5);
    expect(gic.irqPending()).toBe(false); // nothing left pending
  });

  it('sends nothing to other PEs: IRM = 1, another target, another affinity', () => {
    setIcc('SGI1R', sgi1r(5, 1, 1n << 40n)); // IRM: every PE but this one
    setIcc('SGI1R', sgi1r(5, 2));
    setIcc('SGI1R', sgi1r(5, 1, 1n << 16n)); // Aff1 = 1
    setIcc('SGI1R', sgi1r(5, 1, 1n << 48n)); // Aff3 = 1
    expect([redist(SGI + 0x200), gic.irqPending()]).toEqual([0, false]);
  });

  it('does not raise an SGI configured as Group 0 (that is ICC_SGI0R_EL1)', () => {
    configureLocal(3, 0, 0x40);
    setIcc('SGI1R', sgi1r(3, 1));
    expect(redist(SGI + 0x200)).toBe(0);
    expect(gic.fiqPending()).toBe(false);
  });
});

describe('SPIs through the distributor', () => {
  beforeEach(() => {
    enableCpuInterface();
    setDist(0x84, 1 << (UART - 32)); // GICD_IGROUPR1
    gic.distributor.write(0x400 + UART, 1, 0x80n); // GICD_IPRIORITYR
    setDist(0x104, 1 << (UART - 32)); // GICD_ISENABLER1
  });

  it('delivers the UART interrupt (INTID 33) routed to this CPU', () => {
    expect(dist(0x104)).toBe(1 << (UART - 32));
    gic.setLevel(UART, true);
    expect(dist(0x204)).toBe(1 << (UART - 32)); // GICD_ISPENDR1
    expect(gic.irqPending()).toBe(true);
    expect(icc('IAR1')).toBe(UART);
    expect(dist(0x304)).toBe(1 << (UART - 32)); // GICD_ISACTIVER1
    setIcc('EOIR1', UART);
    gic.setLevel(UART, false);
    expect([dist(0x304), gic.irqPending()]).toEqual([0, false]);
  });

  it('keeps an SPI routed to another affinity away from this CPU', () => {
    gic.distributor.write(0x6000 + 8 * UART, 4, 0x100n); // GICD_IROUTER33: Aff1 = 1
    gic.setLevel(UART, true);
    expect(gic.irqPending()).toBe(false);
    expect(Number(gic.distributor.read(0x6000 + 8 * UART, 4))).toBe(0x100);
    gic.distributor.write(0x6000 + 8 * UART, 8, 0n);
    expect(gic.irqPending()).toBe(true);
  });

  it('configures SPIs as edge-triggered through GICD_ICFGR', () => {
    setDist(0xc08, 2 << 2); // INTID 33
    expect(dist(0xc08)).toBe(8);
    gic.setLevel(UART, true);
    gic.setLevel(UART, false);
    expect(gic.irqPending()).toBe(true);
    setDist(0x284, 1 << (UART - 32)); // GICD_ICPENDR1
    expect(gic.irqPending()).toBe(false);
  });

  it('has no input line for SGIs or beyond the last SPI', () => {
    expect(() => gic.setLevel(5, true)).toThrow(RangeError);
    expect(() => gic.setLevel(288, true)).toThrow(RangeError);
    expect(() => gic.setLevel(287, true)).not.toThrow();
  });
});

describe('the virtual CPU interface', () => {
  const GUEST = { el: 1, hcr: 0x8000_0018n }; // EL1 with HCR_EL2.RW, IMO and FMO
  const ich = (name: string): bigint => gic.readReg(`ICH_${name}_EL2`)!;
  const setIch = (name: string, v: bigint): void => {
    expect(gic.writeReg(`ICH_${name}_EL2`, v)).toBe(true);
  };
  const icv = (name: string): number => Number(gic.readReg(`ICC_${name}_EL1`, GUEST));
  const setIcv = (name: string, v: number): void => {
    expect(gic.writeReg(`ICC_${name}_EL1`, BigInt(v), GUEST)).toBe(true);
  };
  /** A list register: State, HW, Group, Priority, pINTID (bit 41: EOI), vINTID. */
  const lr = (o: { state: bigint; group?: bigint; prio: number; vintid: number; hw?: number; eoi?: boolean }): bigint =>
    (o.state << 62n) | (BigInt(o.hw ?? -1) >= 0n ? (1n << 61n) | (BigInt(o.hw!) << 32n) : 0n) | ((o.group ?? 1n) << 60n) |
    (BigInt(o.prio) << 48n) | (o.eoi ? 1n << 41n : 0n) | BigInt(o.vintid);
  const PENDING = 1n, ACTIVE = 2n;

  /** What a guest does: enable both virtual groups and open its priority mask; the hypervisor enables the interface. */
  function enableGuest(): void {
    setIch('HCR', 1n);
    setIcv('IGRPEN0', 1);
    setIcv('IGRPEN1', 1);
    setIcv('PMR', 0xff);
  }

  it('resets as QEMU does for a Cortex-A57', () => {
    expect(ich('VTR')).toBe(0x90b8_0003n); // 4 LRs, TDS, nV4, A3V, 24-bit IDs, 5 PRE and PRI bits
    expect(ich('VMCR')).toBe(0x4c_0008n); // VFIQEn, VBPR1 = 3, VBPR0 = 2
    expect([ich('HCR'), ich('LR0'), ich('LR3'), ich('AP0R0'), ich('AP1R0')]).toEqual([0n, 0n, 0n, 0n, 0n]);
    expect([ich('ELRSR'), ich('EISR'), ich('MISR')]).toEqual([0xfn, 0n, 0n]);
    expect(gic.virtualIrqPending() || gic.virtualFiqPending()).toBe(false);
  });

  it('serves EL1 ICC accesses from ICH_VMCR_EL2 when HCR_EL2 routes their group', () => {
    setIcc('PMR', 0x80);
    setIcv('PMR', 0xff);
    expect(icv('PMR')).toBe(0xf8);
    expect(icc('PMR')).toBe(0x80); // the physical mask is untouched
    expect(Number(gic.readReg('ICC_PMR_EL1', { el: 2, hcr: GUEST.hcr }))).toBe(0x80); // EL2 always sees the physical one
    setIcv('IGRPEN1', 1);
    setIcv('CTLR', 3); // CBPR, EOImode
    expect(ich('VMCR')).toBe(0xf84c_021an); // VPMR, VEOIM, VCBPR, VFIQEn, VENG1
    expect([icv('CTLR'), icc('CTLR'), icc('IGRPEN1')]).toEqual([0x8c03, 0x8c00, 0]);
    // FMO alone routes Group 0 and the common registers, not Group 1; TGE routes both
    const fmo = { el: 1, hcr: 0x8000_0008n };
    expect(Number(gic.readReg('ICC_PMR_EL1', fmo))).toBe(0xf8);
    expect(Number(gic.readReg('ICC_IGRPEN1_EL1', fmo))).toBe(0);
    expect(Number(gic.readReg('ICC_IGRPEN1_EL1', { el: 1, hcr: 0x8800_0000n }))).toBe(1);
    expect(icv('SRE')).toBe(7); // not virtualized
  });

  it('clamps the virtual binary points to their minimums and makes VBPR1 a view of VBPR0 + 1 with VCBPR', () => {
    setIcv('BPR0', 0);
    setIcv('BPR1', 0);
    expect([icv('BPR0'), icv('BPR1')]).toEqual([2, 3]);
    setIch('VMCR', 0n);
    expect(ich('VMCR')).toBe(0x4c_0008n);
    setIcv('BPR0', 5);
    setIcv('CTLR', 1);
    setIcv('BPR1', 7); // ignored
    expect([icv('BPR0'), icv('BPR1')]).toEqual([5, 6]);
  });

  it('signals a pending Group 1 list register as vIRQ only when the interface, its group and the mask let it', () => {
    setIch('LR0', lr({ state: PENDING, prio: 0xa0, vintid: 42 }));
    expect(gic.virtualIrqPending()).toBe(false);
    setIch('HCR', 1n);
    setIcv('PMR', 0xff);
    expect(gic.virtualIrqPending()).toBe(false); // VENG1 clear
    expect(icv('HPPIR1')).toBe(1023);
    setIcv('IGRPEN1', 1);
    expect(gic.virtualIrqPending()).toBe(true);
    expect(changes).toBeGreaterThan(0);
    setIcv('PMR', 0xa0); // not higher than the mask
    expect(gic.virtualIrqPending()).toBe(false);
    expect(icv('HPPIR1')).toBe(42); // HPPIR ignores the mask
    expect(icv('IAR1')).toBe(1023);
    expect(gic.irqPending()).toBe(false); // nothing physical
  });

  it('acknowledges and ends a virtual interrupt: pending → active → invalid, with the running priority', () => {
    enableGuest();
    setIch('LR0', lr({ state: PENDING, prio: 0xa7, vintid: 42 })); // priority keeps five bits
    expect(ich('LR0')).toBe(lr({ state: PENDING, prio: 0xa0, vintid: 42 }));
    expect([ich('ELRSR'), icv('RPR')]).toEqual([0xen, 0xff]);
    expect(icv('IAR0')).toBe(1023); // Group 1 only through IAR1
    expect(icv('IAR1')).toBe(42);
    expect(ich('LR0') >> 62n).toBe(ACTIVE);
    expect([icv('RPR'), icv('AP1R0'), Number(ich('AP1R0'))]).toEqual([0xa0, 1 << 20, 1 << 20]);
    expect(gic.virtualIrqPending()).toBe(false);
    setIcv('EOIR1', 42);
    expect([ich('LR0') >> 62n, ich('ELRSR'), BigInt(icv('RPR'))]).toEqual([0n, 0xfn, 0xffn]);
  });

  it('takes the highest-priority list register first and preempts only on group priority', () => {
    enableGuest();
    setIcv('BPR1', 4); // Group 1 preempts on priority bits 7:4
    setIch('LR0', lr({ state: PENDING, prio: 0x90, vintid: 40 }));
    setIch('LR1', lr({ state: PENDING, prio: 0x88, vintid: 41 }));
    expect(icv('IAR1')).toBe(41);
    expect(icv('RPR')).toBe(0x80); // the group priority of 0x88
    setIch('LR2', lr({ state: PENDING, prio: 0x80, vintid: 42 }));
    expect(gic.virtualIrqPending()).toBe(false); // higher, but the same group priority
    expect(icv('IAR1')).toBe(1023);
    setIch('LR3', lr({ state: PENDING, prio: 0x70, vintid: 43 }));
    expect(icv('IAR1')).toBe(43);
    setIcv('EOIR1', 43);
    setIcv('EOIR1', 41);
    expect(icv('IAR1')).toBe(42);
    setIcv('EOIR1', 42);
    expect(icv('IAR1')).toBe(40);
  });

  it('signals a Group 0 list register as vFIQ and acknowledges it through IAR0', () => {
    enableGuest();
    setIch('LR3', lr({ state: PENDING, group: 0n, prio: 0x40, vintid: 7 }));
    expect([gic.virtualFiqPending(), gic.virtualIrqPending()]).toEqual([true, false]);
    expect(icv('IAR1')).toBe(1023);
    expect(icv('IAR0')).toBe(7);
    expect(icv('AP0R0')).toBe(1 << 8);
    setIcv('EOIR0', 7);
    expect(ich('LR3') >> 62n).toBe(0n);
  });

  it('with VEOIM = 1 the EOI only drops the priority and ICV_DIR deactivates', () => {
    enableGuest();
    setIcv('CTLR', 2);
    setIch('LR0', lr({ state: PENDING, prio: 0xa0, vintid: 42 }));
    expect(icv('IAR1')).toBe(42);
    setIcv('EOIR1', 42);
    expect([ich('LR0') >> 62n, BigInt(icv('RPR'))]).toEqual([ACTIVE, 0xffn]);
    setIcv('DIR', 42);
    expect(ich('LR0') >> 62n).toBe(0n);
  });

  it('deactivates the physical INTID of a hardware list register', () => {
    enableGuest();
    setRedist(SGI + 0x300, 1 << 3); // INTID 3 active, as a hypervisor leaves it
    setIch('LR1', lr({ state: PENDING, prio: 0x90, vintid: 43, hw: 3 }));
    expect(icv('IAR1')).toBe(43);
    setIcv('EOIR1', 43);
    expect([ich('LR1') >> 62n, BigInt(redist(SGI + 0x300))]).toEqual([0n, 0n]);
  });

  it('counts EOIs no list register matches and raises the maintenance interrupt (PPI 25) for it with LRENPIE', () => {
    enableGuest();
    enableCpuInterface();
    configureLocal(25, 1, 0x80);
    setIch('LR0', lr({ state: PENDING, prio: 0xa0, vintid: 42 }));
    expect(icv('IAR1')).toBe(42);
    setIch('LR0', 0n); // the hypervisor takes the interrupt away while it is active
    setIcv('EOIR1', 42);
    expect(ich('HCR')).toBe((1n << 27n) | 1n); // EOIcount 1
    expect(gic.irqPending()).toBe(false);
    setIch('HCR', ich('HCR') | 4n); // LRENPIE
    expect([ich('MISR'), BigInt(icc('HPPIR1'))]).toEqual([4n, 25n]);
    expect(gic.irqPending()).toBe(true);
  });

  it('reports EOI, underflow and no-pending maintenance conditions in MISR and EISR', () => {
    enableGuest();
    enableCpuInterface();
    configureLocal(25, 1, 0x80);
    setIch('LR2', lr({ state: PENDING, prio: 0xa0, vintid: 44, eoi: true }));
    expect([ich('EISR'), ich('ELRSR'), ich('MISR')]).toEqual([0n, 0xbn, 0n]);
    expect(icv('IAR1')).toBe(44);
    setIcv('EOIR1', 44);
    expect([ich('EISR'), ich('ELRSR'), ich('MISR')]).toEqual([4n, 0xbn, 1n]); // not free until the hypervisor clears it
    expect(gic.irqPending()).toBe(true);
    expect(icc('IAR1')).toBe(25);
    setIch('LR2', 0n);
    expect(ich('MISR')).toBe(0n);
    setIcc('EOIR1', 25);
    expect(gic.irqPending()).toBe(false);
    setIch('HCR', 0xbn); // En, UIE, NPIE: fewer than two valid list registers, none pending
    expect(ich('MISR')).toBe(0xan);
    expect(gic.irqPending()).toBe(true);
    setIch('HCR', 0xan); // the interface disabled: no maintenance interrupt, whatever MISR says
    expect([ich('MISR'), gic.irqPending()]).toEqual([0xan, false]);
  });
});
