// The PMU model against a fake event source (counting, enables, P/C resets,
// overflow and its interrupt, EL filters, HPMN partitioning, SW_INCR), and the
// PMU access rules of spec/sysregs/pmu.yaml through the generated table with
// the model behind its hooks (PMUSERENR_EL0, MDCR_EL2.TPM/TPMCR, HPMN), and the
// machine's EL changes as the cycle counter sees them (test/images/pmu-eret.S).
import { beforeEach, describe, expect, it } from 'vitest';
import type { SysCtx } from '../src/core/sysctx.js';
import { generateSysregs } from '../src/gen/sysregs.js';
import { Pmu, PMU_EVENTS, type PmuEventSource } from '../src/machine/pmu.js';
import { sysTrapIss } from '../src/spec/encoding.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { thrown } from './helpers/thrown.js';
import { assemble } from '../src/asm/assembler.js';
import { readElf } from '../src/elf/read.js';
import { runBoot } from '../src/machine/boot.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';
import { imageSource, TEXT_BASE } from './oracle/qemu-system.js';

// Run without `npm run gen` too: write the generated module when it is missing or stale.
const GENERATED = fileURLToPath(new URL('../src/generated/sysregs.ts', import.meta.url));
const source = generateSysregs();
if (!existsSync(GENERATED) || readFileSync(GENERATED, 'utf8') !== source) {
  mkdirSync(dirname(GENERATED), { recursive: true });
  writeFileSync(GENERATED, source);
}
const { SLOT, sysregByName, sysResetValues } = await import('../src/generated/sysregs.js');

const { INST_RETIRED, CPU_CYCLES, MEM_ACCESS, SW_INCR } = PMU_EVENTS;

/** Event counts the test advances by hand; EL and MDCR_EL2 as the test sets them. */
class FakeSource implements PmuEventSource {
  readonly counts = new Map<number, number>();
  level = 1;
  mdcrValue = 6n;
  count(event: number): number {
    return this.counts.get(event) ?? 0;
  }
  el(): number {
    return this.level;
  }
  mdcr(): bigint {
    return this.mdcrValue;
  }
  bump(event: number, n: number): void {
    this.counts.set(event, this.count(event) + n);
  }
}

let src: FakeSource;
let pmu: Pmu;
const rd = (h: string) => pmu.read(h)!;
const wr = (h: string, v: bigint | number) => expect(pmu.write(h, BigInt(v))).toBe(true);
/** Counter n counts `event`; PMCR_EL0.E and its enable bit set. */
function count(n: number, event: number, typeBits = 0): void {
  wr(`PMEVTYPER${n}_EL0`, typeBits | event);
  wr('PMCNTENSET_EL0', 1 << n);
  wr('PMCR_EL0', 1);
}

beforeEach(() => {
  src = new FakeSource();
  pmu = new Pmu(src);
});

describe('the PMU model', () => {
  it('identifies a Cortex-A57 with six counters; N reads MDCR_EL2.HPMN below EL2', () => {
    expect(rd('PMCR_EL0')).toBe(0x4101_3040n); // IMP 0x41, IDCODE 0x01, N 6, LC (RES1)
    src.mdcrValue = 3n;
    expect((rd('PMCR_EL0') >> 11n) & 0x1fn).toBe(3n);
    src.level = 2;
    expect((rd('PMCR_EL0') >> 11n) & 0x1fn).toBe(6n);
  });

  it('counts an event from the source only while enabled', () => {
    src.bump(INST_RETIRED, 1000); // before: not counted
    count(0, INST_RETIRED);
    src.bump(INST_RETIRED, 100);
    expect(rd('PMEVCNTR0_EL0')).toBe(100n);
    wr('PMCNTENCLR_EL0', 1);
    src.bump(INST_RETIRED, 50);
    expect(rd('PMEVCNTR0_EL0')).toBe(100n);
    expect(rd('PMCNTENSET_EL0')).toBe(0n);
    wr('PMCNTENSET_EL0', 1);
    wr('PMCR_EL0', 0); // E clear stops it too
    src.bump(INST_RETIRED, 50);
    wr('PMCR_EL0', 1);
    src.bump(INST_RETIRED, 7);
    expect(rd('PMEVCNTR0_EL0')).toBe(107n);
  });

  it('continues from a written value; an unsupported event counts nothing', () => {
    count(1, MEM_ACCESS);
    wr('PMEVCNTR1_EL0', 5);
    src.bump(MEM_ACCESS, 10);
    expect(rd('PMEVCNTR1_EL0')).toBe(15n);
    count(2, 0x02); // L1I_CACHE: not implemented
    src.bump(0x02, 10);
    expect(rd('PMEVCNTR2_EL0')).toBe(0n);
  });

  it('re-marks a counter whose event changes', () => {
    count(0, INST_RETIRED);
    src.bump(INST_RETIRED, 10);
    src.bump(MEM_ACCESS, 1000);
    wr('PMEVTYPER0_EL0', MEM_ACCESS);
    src.bump(MEM_ACCESS, 3);
    expect(rd('PMEVCNTR0_EL0')).toBe(13n);
  });

  it('counts cycles in PMCCNTR_EL0, one per 64 under PMCR_EL0.D', () => {
    wr('PMCNTENSET_EL0', 0x8000_0000);
    wr('PMCR_EL0', 1);
    src.bump(CPU_CYCLES, 130);
    expect(rd('PMCCNTR_EL0')).toBe(130n);
    wr('PMCR_EL0', 0b1001); // E, D
    src.bump(CPU_CYCLES, 130);
    expect(rd('PMCCNTR_EL0')).toBe(132n);
    src.bump(CPU_CYCLES, 62);
    expect(rd('PMCCNTR_EL0')).toBe(133n);
    expect(rd('PMCR_EL0') & 0xfn).toBe(0b1001n);
  });

  it('PMCR_EL0.P resets the event counters (below HPMN from EL1), C the cycle counter', () => {
    for (let n = 0; n < 6; n++) wr(`PMEVCNTR${n}_EL0`, 10 + n);
    wr('PMCCNTR_EL0', 99);
    src.mdcrValue = 2n;
    wr('PMCR_EL0', 0b010);
    src.level = 2;
    expect([0, 1, 2, 3, 4, 5].map((n) => rd(`PMEVCNTR${n}_EL0`))).toEqual([0n, 0n, 12n, 13n, 14n, 15n]);
    expect(rd('PMCCNTR_EL0')).toBe(99n);
    wr('PMCR_EL0', 0b110);
    expect([0, 1, 2, 3, 4, 5].map((n) => rd(`PMEVCNTR${n}_EL0`))).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
    expect(rd('PMCCNTR_EL0')).toBe(0n);
    expect(rd('PMCR_EL0') & 0b110n).toBe(0n); // P and C read as zero
  });

  it('wraps 32-bit event counters and the 64-bit cycle counter into PMOVSSET; the interrupt follows PMINTENSET', () => {
    count(0, INST_RETIRED);
    wr('PMEVCNTR0_EL0', 0xffff_fff0);
    wr('PMCNTENSET_EL0', 0x8000_0000);
    wr('PMCCNTR_EL0', 0xffff_ffff_ffff_fffen);
    src.bump(INST_RETIRED, 0x20);
    expect(rd('PMEVCNTR0_EL0')).toBe(0x10n);
    expect(rd('PMOVSSET_EL0')).toBe(1n);
    expect(pmu.irq()).toBe(false);
    wr('PMINTENSET_EL1', 1);
    expect(pmu.irq()).toBe(true);
    wr('PMCR_EL0', 0); // the request needs the counter's range enabled
    expect(pmu.irq()).toBe(false);
    wr('PMCR_EL0', 1);
    wr('PMOVSCLR_EL0', 1);
    expect(pmu.irq()).toBe(false);
    src.bump(CPU_CYCLES, 1);
    expect(rd('PMOVSCLR_EL0')).toBe(0n);
    src.bump(CPU_CYCLES, 2);
    expect(rd('PMOVSSET_EL0')).toBe(0x8000_0000n);
    expect(rd('PMCCNTR_EL0')).toBe(1n);
    wr('PMINTENSET_EL1', 0x8000_0000);
    expect(pmu.irq()).toBe(true);
    wr('PMINTENCLR_EL1', 0x8000_0001);
    expect(rd('PMINTENSET_EL1')).toBe(0n);
    expect(pmu.irq()).toBe(false);
  });

  it('filters by EL with P, U and NSH, switching at elChanged', () => {
    count(0, INST_RETIRED); // no filter: EL0 and EL1, not EL2 (NSH = 0)
    count(1, INST_RETIRED, 0x4000_0000); // U: not at EL0
    count(2, INST_RETIRED, 0x8000_0000 | 0x0800_0000); // P, NSH: EL0 and EL2
    wr('PMCCFILTR_EL0', 0x0800_0000); // cycles everywhere
    wr('PMCNTENSET_EL0', 0x8000_0000);
    const step = (to: number) => {
      pmu.elChanged(src.level, to);
      src.level = to;
      src.bump(INST_RETIRED, 1);
      src.bump(CPU_CYCLES, 1);
    };
    src.bump(INST_RETIRED, 1); // at EL1
    src.bump(CPU_CYCLES, 1);
    step(0);
    step(2);
    step(1);
    expect([0, 1, 2].map((n) => rd(`PMEVCNTR${n}_EL0`))).toEqual([3n, 2n, 2n]);
    expect(rd('PMCCNTR_EL0')).toBe(4n);
    expect(rd('PMEVTYPER2_EL0')).toBe(0x8800_0000n | BigInt(INST_RETIRED));
    expect(rd('PMCCFILTR_EL0')).toBe(0x0800_0000n);
  });

  it('partitions the counters at MDCR_EL2.HPMN: HPME enables the upper ones, EL1 does not see them', () => {
    src.mdcrValue = 4n;
    wr('PMCNTENSET_EL0', 0x3f); // from EL1: bits 4 and 5 are WI
    expect(rd('PMCNTENSET_EL0')).toBe(0xfn);
    src.level = 2;
    wr('PMCNTENSET_EL0', 0x3f);
    wr('PMEVTYPER0_EL0', INST_RETIRED);
    wr('PMEVTYPER4_EL0', INST_RETIRED | 0xc800_0000); // P, U, NSH: EL2 only
    wr('PMCR_EL0', 1);
    pmu.elChanged(2, 1);
    src.level = 1;
    expect(rd('PMCNTENSET_EL0')).toBe(0xfn);
    src.bump(INST_RETIRED, 5);
    src.mdcrValue = 4n | 0x80n; // HPME
    pmu.mdcrWritten();
    src.bump(INST_RETIRED, 3);
    src.level = 2;
    expect([rd('PMEVCNTR0_EL0'), rd('PMEVCNTR4_EL0')]).toEqual([8n, 0n]);
    pmu.elChanged(1, 2);
    src.bump(INST_RETIRED, 2);
    expect([rd('PMEVCNTR0_EL0'), rd('PMEVCNTR4_EL0')]).toEqual([8n, 2n]);
    wr('PMCR_EL0', 0); // E stops counter 0, not 4
    src.bump(INST_RETIRED, 1);
    expect([rd('PMEVCNTR0_EL0'), rd('PMEVCNTR4_EL0')]).toEqual([8n, 3n]);
  });

  it('selects counters through PMSELR_EL0; reserved or missing ones are UNDEFINED below EL2', () => {
    wr('PMSELR_EL0', 3);
    wr('PMXEVTYPER_EL0', MEM_ACCESS);
    wr('PMXEVCNTR_EL0', 42);
    expect([rd('PMEVTYPER3_EL0'), rd('PMEVCNTR3_EL0'), rd('PMXEVCNTR_EL0')]).toEqual([BigInt(MEM_ACCESS), 42n, 42n]);
    wr('PMSELR_EL0', 31); // PMXEVTYPER is PMCCFILTR
    wr('PMXEVTYPER_EL0', 0xffff_ffff);
    expect(rd('PMCCFILTR_EL0')).toBe(0x8800_0000n + 0x4000_0000n);
    expect(thrown(() => pmu.read('PMXEVCNTR_EL0')).ec).toBe(0);
    wr('PMSELR_EL0', 6);
    expect(thrown(() => pmu.read('PMXEVTYPER_EL0')).ec).toBe(0);
    src.mdcrValue = 3n;
    wr('PMSELR_EL0', 3);
    expect(thrown(() => pmu.write('PMXEVCNTR_EL0', 1n)).ec).toBe(0);
    src.level = 2;
    expect(rd('PMXEVCNTR_EL0')).toBe(42n);
  });

  it('counts PMSWINC_EL0 writes on enabled SW_INCR counters', () => {
    count(0, SW_INCR);
    count(1, INST_RETIRED);
    wr('PMEVTYPER2_EL0', SW_INCR); // not enabled
    wr('PMSWINC_EL0', 0b111);
    wr('PMSWINC_EL0', 0b001);
    expect([0, 1, 2].map((n) => rd(`PMEVCNTR${n}_EL0`))).toEqual([2n, 0n, 0n]);
    wr('PMEVCNTR0_EL0', 0xffff_ffff);
    wr('PMSWINC_EL0', 1);
    expect([rd('PMEVCNTR0_EL0'), rd('PMOVSSET_EL0')]).toEqual([0n, 1n]);
  });

  it('leaves other hooks to other models', () => {
    expect(pmu.read('CNTPCT_EL0')).toBeUndefined();
    expect(pmu.write('CNTVOFF_EL2', 0n)).toBe(false);
  });

  it('PMCEID0/1_EL0 in the spec list exactly the events the model counts', () => {
    let id0 = 0n, id1 = 0n;
    for (const e of Object.values(PMU_EVENTS)) {
      if (e < 0x20) id0 |= 1n << BigInt(e);
      else id1 |= 1n << BigInt(e - 0x20);
    }
    expect(sysregByName.get('PMCEID0_EL0')!.reset).toBe(id0);
    expect(sysregByName.get('PMCEID1_EL0')!.reset).toBe(id1);
  });
});

/** The generated access rules over reset storage, with a Pmu behind the hooks. */
class Ctx implements SysCtx {
  el = 1;
  readonly sys = sysResetValues();
  readonly pmu: Pmu;
  constructor() {
    this.pmu = new Pmu({ count: () => 0, el: () => this.el, mdcr: () => this.sys[SLOT.MDCR_EL2] });
  }
  readHook(h: string): bigint {
    return this.pmu.read(h)!;
  }
  writeHook(h: string, v: bigint): void {
    this.pmu.write(h, v);
  }
  sysOp(): void {}
}

describe('PMU access rules (spec/sysregs/pmu.yaml)', () => {
  let c: Ctx;
  beforeEach(() => {
    c = new Ctx();
  });
  const RT = 7;
  const def = (name: string) => sysregByName.get(name)!;
  const read = (name: string) => def(name).read(c, RT);
  const write = (name: string, v = 0n) => def(name).write(c, RT, v);
  const set = (reg: 'PMUSERENR_EL0' | 'MDCR_EL2' | 'HCR_EL2', v: bigint) => (c.sys[SLOT[reg]] = v);
  /** The EC 0x18 trap an access raises: target EL and ISS, compared with the ISS built from the encoding. */
  function trap(name: string, isRead: boolean): { el: number; issOk: boolean } {
    const e = thrown(() => (isRead ? read(name) : write(name)));
    expect(e.ec).toBe(0x18);
    const d = def(name);
    return { el: e.targetEl, issOk: e.iss === sysTrapIss(d.op0, d.op1, d.crn, d.crm, d.op2, RT, isRead) };
  }
  const undef = (fn: () => unknown) => expect(thrown(fn).ec).toBe(0);

  it('resets MDCR_EL2.HPMN to N and reports PMUv3 in ID_AA64DFR0_EL1', () => {
    expect(c.sys[SLOT.MDCR_EL2] & 0x1fn).toBe(6n);
    expect((read('ID_AA64DFR0_EL1') >> 8n) & 0xfn).toBe(1n);
  });

  it('traps EL0 accesses PMUSERENR_EL0.EN does not allow to EL1, or to EL2 under HCR_EL2.TGE', () => {
    c.el = 0;
    expect(trap('PMCR_EL0', true)).toEqual({ el: 1, issOk: true });
    expect(trap('PMCNTENSET_EL0', false)).toEqual({ el: 1, issOk: true });
    expect(trap('PMCEID0_EL0', true)).toEqual({ el: 1, issOk: true });
    set('HCR_EL2', 1n << 27n);
    expect(trap('PMEVTYPER0_EL0', false)).toEqual({ el: 2, issOk: true });
    set('PMUSERENR_EL0', 1n);
    expect(read('PMCR_EL0')).toBe(0x4101_3040n);
    expect(read('PMCEID1_EL0')).toBe(0x30_2000n);
    undef(() => write('PMCEID0_EL0'));
  });

  it('opens EL0 reads of the counters with CR and ER, software increments with SW', () => {
    c.el = 0;
    set('PMUSERENR_EL0', 0b0100n); // CR
    expect(read('PMCCNTR_EL0')).toBe(0n);
    expect(trap('PMCCNTR_EL0', false)).toEqual({ el: 1, issOk: true });
    expect(trap('PMEVCNTR0_EL0', true)).toEqual({ el: 1, issOk: true });
    set('PMUSERENR_EL0', 0b1000n); // ER: event counters read-only, the selector read/write
    expect(read('PMEVCNTR0_EL0')).toBe(0n);
    write('PMSELR_EL0', 2n);
    expect(read('PMXEVCNTR_EL0')).toBe(0n);
    expect(trap('PMXEVCNTR_EL0', false)).toEqual({ el: 1, issOk: true });
    expect(trap('PMXEVTYPER_EL0', true)).toEqual({ el: 1, issOk: true });
    expect(trap('PMSWINC_EL0', false)).toEqual({ el: 1, issOk: true });
    set('PMUSERENR_EL0', 0b0010n); // SW
    write('PMSWINC_EL0', 1n);
    undef(() => read('PMSWINC_EL0'));
  });

  it('lets EL0 read but not write PMUSERENR_EL0; PMINTENSET/CLR_EL1 are UNDEFINED at EL0', () => {
    c.el = 0;
    expect(read('PMUSERENR_EL0')).toBe(0n);
    undef(() => write('PMUSERENR_EL0', 1n));
    undef(() => read('PMINTENSET_EL1'));
    undef(() => write('PMINTENCLR_EL1'));
    c.el = 1;
    write('PMUSERENR_EL0', 0xffn);
    expect(read('PMUSERENR_EL0')).toBe(0xfn);
  });

  it('traps every EL0 and EL1 PMU access to EL2 under MDCR_EL2.TPM, after the PMUSERENR_EL0 check', () => {
    set('MDCR_EL2', 6n | 0x40n);
    for (const name of ['PMCR_EL0', 'PMCCNTR_EL0', 'PMEVCNTR5_EL0', 'PMUSERENR_EL0', 'PMINTENSET_EL1', 'PMCEID0_EL0', 'PMCCFILTR_EL0']) {
      expect(trap(name, true)).toEqual({ el: 2, issOk: true });
    }
    expect(trap('PMSWINC_EL0', false)).toEqual({ el: 2, issOk: true });
    c.el = 0;
    expect(trap('PMCR_EL0', true)).toEqual({ el: 1, issOk: true }); // EN first
    set('PMUSERENR_EL0', 1n);
    expect(trap('PMCR_EL0', true)).toEqual({ el: 2, issOk: true });
    expect(trap('PMUSERENR_EL0', true)).toEqual({ el: 2, issOk: true });
    c.el = 2;
    expect(read('PMCR_EL0')).toBe(0x4101_3040n);
  });

  it('traps only PMCR_EL0 under MDCR_EL2.TPMCR', () => {
    set('MDCR_EL2', 6n | 0x20n);
    expect(trap('PMCR_EL0', false)).toEqual({ el: 2, issOk: true });
    expect(read('PMCCNTR_EL0')).toBe(0n);
    c.el = 0;
    set('PMUSERENR_EL0', 1n);
    expect(trap('PMCR_EL0', true)).toEqual({ el: 2, issOk: true });
    c.el = 2;
    write('PMCR_EL0', 1n);
    expect(read('PMCR_EL0') & 1n).toBe(1n);
  });

  it('makes counters at or above MDCR_EL2.HPMN UNDEFINED at EL0 and EL1, directly and through PMSELR_EL0', () => {
    set('MDCR_EL2', 3n);
    expect(read('PMEVCNTR2_EL0')).toBe(0n);
    undef(() => read('PMEVCNTR3_EL0'));
    undef(() => write('PMEVTYPER5_EL0'));
    write('PMSELR_EL0', 4n);
    undef(() => read('PMXEVTYPER_EL0'));
    expect((read('PMCR_EL0') >> 11n) & 0x1fn).toBe(3n);
    c.el = 0;
    set('PMUSERENR_EL0', 1n);
    undef(() => read('PMEVCNTR3_EL0'));
    set('MDCR_EL2', 3n | 0x40n); // TPM comes first
    expect(trap('PMEVCNTR3_EL0', true)).toEqual({ el: 2, issOk: true });
    c.el = 2;
    expect(read('PMEVCNTR3_EL0')).toBe(0n);
    expect(read('PMXEVTYPER_EL0')).toBe(0n);
  });
});

describe('the cycle counter on the machine', () => {
  /** What EL1 counts over 16 HVC round trips through EL2 (EL2 not counted), at an ERET cost. */
  const el1Cycles = (eret: number): number => {
    const img = readElf(assemble(imageSource('pmu-eret'), 'pmu-eret.S', { textBase: TEXT_BASE }).elf, 'pmu-eret');
    let out = '';
    // no store buffer: EL1's HVC would otherwise wait for EL2's stores to drain, an amount that shrinks as the ERET grows
    const timing = applyOverrides(loadTiming(), [`exception.eret=${eret}`, 'storeBuffer.entries=0']);
    const r = runBoot(img, { el: 2, memBytes: 256 << 20, timing, maxInsns: 1e6, output: (b) => { out += Buffer.from(b).toString('latin1'); } });
    expect(r.reason, out).toBe('poweroff');
    const m = /el1 cycles: (0x[0-9a-f]+)/.exec(out);
    expect(m, out).not.toBeNull();
    return Number(m![1]);
  };

  it('books an ERET\'s cost to the EL that executed it, as the ledger does, not to the EL it returns to', () => {
    const base = el1Cycles(18);
    expect(base).toBeGreaterThan(0);
    expect(el1Cycles(118)).toBe(base);
  });
});
