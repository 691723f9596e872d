// The virt machine: one Cortex-A57-like core at EL0–EL2 (no EL3), RAM at
// 0x4000_0000, a PL011 UART at 0x0900_0000, a GICv3 (distributor 0x0800_0000,
// redistributor 0x080A_0000), the generic timer, PSCI as QEMU's virt provides it.
// It runs an image until power-off, an instruction limit, or a state from which
// it provably cannot make progress.
import { Cpu, type Decoder } from '../core/cpu.js';
import { makeDecoder } from '../core/decode.js';
import { ArchException, EC, EC_NAMES, undefinedInstruction } from '../core/exception.js';
import { disassemble } from '../asm/disasm.js';
import { takeException, exceptionReturn, Vector } from '../core/exception-entry.js';
import { ExceptionSignature } from './exception-signature.js';
import { physicalTarget, virtualTaken, virtualPending, TIMER_PPI, UART_INTID } from './interrupts.js';
import { GicV3, type AccessContext } from '../devices/gicv3.js';
import type { Device } from '../devices/device.js';
import { Ram } from '../mem/ram.js';
import { PhysicalBus } from '../mem/bus.js';
import { Pl011 } from '../devices/pl011.js';
import type { ElfImage } from '../elf/read.js';
import type { Timing } from '../spec/timing.js';
import { SLOT, F, TRANSLATION_CONTROLS } from '../generated/sysregs.js';
import { PhysicalSpace } from './bus-space.js';
import { MemorySystem } from './memory-system.js';
import { instructionSyndrome } from './abort-syndrome.js';
import { routeStage1Fault } from './fault-routing.js';
import { GenericTimer } from '../devices/generic-timer.js';
import { isPsciCall, psciCall } from './psci.js';
import { CacheHierarchy } from '../mem/cache.js';
import { machineStats, type CyclesBy, type RunStats } from './stats.js';
import { CycleLedger, type CategoryTotals } from './ledger.js';
import { Pmu, PMU_EVENTS as EV } from './pmu.js';
import { READ, WRITE, FETCH } from '../mmu/walker.js';

/** The PMU's overflow interrupt: PPI 7 (INTID 23), as on QEMU's virt machine. */
const PMU_PPI = 23;

/** An image that cannot be placed in the machine (a segment outside RAM). */
export class ImageError extends Error {}

export const RAM_BASE = 0x4000_0000;
const S1PTW = 1 << 7;
const FSC_EXTERNAL = 0b010000;

/** Registers whose writes the stats count (`sysregWrites.<name>`): the translation controls (spec/sysregs) and the memory attributes. */
const COUNTED_WRITES = new Set([...TRANSLATION_CONTROLS, 'MAIR_EL1', 'MAIR_EL2']);
export const UART_BASE = 0x0900_0000;

export interface MachineOptions {
  /** RAM size in bytes. */
  memBytes: number;
  /** The EL execution starts at: 2 (QEMU with virtualization=on) or 1. */
  el: 1 | 2;
  timing: Timing;
  /** UART output. */
  output(bytes: Uint8Array): void;
  /** Wraps the instruction decoder (the GDB stub's per-instruction check, src/machine/debug-run.ts); absent in normal runs. */
  wrapDecoder?: (d: Decoder) => Decoder;
}

export type StopReason = 'poweroff' | 'reset' | 'limit' | 'stuck';

export interface RunResult {
  reason: StopReason;
  /** For 'limit' and 'stuck': where and why, with PC, EL and ESR. */
  message?: string;
  instructions: number;
  cycles: number;
  /** `idle`: cycles spent in WFI/WFE waiting for an interrupt or a timer. */
  cyclesBy: CyclesBy;
  /** Everything counted (the `--stats` file). */
  stats: RunStats;
}

/** Identical exceptions in a row (same syndrome, same registers) after which the machine is declared stuck. */
const SAME_EXCEPTION_LIMIT = 10_000;

const hex = (v: number | bigint) => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);

export class Machine {
  readonly cpu: Cpu;
  readonly bus: PhysicalBus;
  private readonly memory: MemorySystem;
  readonly caches: CacheHierarchy;
  private readonly phys: PhysicalSpace;
  private readonly sysregWrites: Record<string, number> = {};
  private readonly exceptions = { taken: 0, returns: 0, byClass: {} as Record<string, number> };
  private readonly pmu: Pmu;
  /** PSCI conduit, as QEMU chooses it: SMC when started at EL2, HVC when started at EL1. */
  readonly conduit: 'smc' | 'hvc';
  private stop: { reason: StopReason; message?: string } | undefined;
  private exceptionCycles = 0;
  private idleCycles = 0;
  private readonly timer: GenericTimer;
  /** The event register of WFE/SEV. */
  private event = false;
  private readonly gic: GicV3;
  private readonly lastSignature = new ExceptionSignature();
  private sameCount = 0;
  /** Instructions retired when the last exception was taken (to see a fault loop that executes nothing). */
  private lastExceptionAt = -1;
  /** Cycles by category and EL, and the exits to EL2 with their cycles. */
  private readonly ledger: CycleLedger;

  constructor(private readonly opts: MachineOptions) {
    const gic = (this.gic = new GicV3());
    const uart = new Pl011((byte) => opts.output(Uint8Array.of(byte)), UART_BASE);
    // the UART's interrupt line is SPI 1 (INTID 33); it can only change when the UART is written
    const uartOnBus: Device = {
      name: uart.name, base: uart.base, size: uart.size,
      read: (off, size) => uart.read(off, size),
      write: (off, size, v) => { uart.write(off, size, v); gic.setLevel(UART_INTID, uart.irqPending); },
    };
    this.bus = new PhysicalBus(new Ram(RAM_BASE, opts.memBytes), [uartOnBus, gic.distributor, gic.redistributor]);
    const phys = (this.phys = new PhysicalSpace(this.bus));
    this.caches = new CacheHierarchy(opts.timing);
    const memory = (this.memory = new MemorySystem(phys, this.caches, opts.timing));
    const decoder = makeDecoder(opts.timing.classes);
    this.cpu = new Cpu(memory, opts.wrapDecoder ? opts.wrapDecoder(decoder) : decoder);
    memory.attach(this.cpu);
    this.cpu.timing = memory;
    this.pmu = new Pmu({ count: (ev) => this.eventCount(ev), el: () => this.cpu.el, mdcr: () => this.cpu.sys[SLOT.MDCR_EL2] });
    this.cpu.onSysWrite = (name) => {
      if (COUNTED_WRITES.has(name)) this.sysregWrites[name] = (this.sysregWrites[name] ?? 0) + 1;
      if (name === 'MDCR_EL2') this.pmu.mdcrWritten();
      if (TRANSLATION_CONTROLS.has(name)) memory.translationChanged(name);
    };
    gic.onChange = () => { this.cpu.nextEvent = 0; };
    this.conduit = opts.el === 2 ? 'smc' : 'hvc';
    this.cpu.setEl(opts.el, 1);
    this.cpu.daif = 0xf;
    this.ledger = new CycleLedger(() => this.categoryTotals());
    const timer = (this.timer = new GenericTimer(this.cpu, opts.timing.frequencyMHz * 1e6));
    timer.onChange = () => { this.cpu.nextEvent = 0; };
    this.cpu.onEvent = () => this.interrupts();
    this.cpu.hooks = {
      read: (h) => (h === 'ISR_EL1' ? this.isr() : this.pmu.read(h) ?? timer.read(h) ?? gic.readReg(h, this.gicAccess()) ?? this.unmodelled(h)),
      write: (h, v) => { if (!this.pmu.write(h, v) && !timer.write(h, v) && !gic.writeReg(h, v, this.gicAccess())) this.unmodelled(h); },
      op: (op, v) => this.sysOp(op, v),
    };
  }

  /** Loads the image's segments at their physical (load) addresses, as QEMU's -kernel does, and starts at its entry point. */
  load(image: ElfImage, name = 'image'): void {
    for (const s of image.segments) {
      const bytes = new Uint8Array(s.memsz);
      bytes.set(s.data);
      try {
        this.bus.loadImage(Number(s.paddr), bytes);
      } catch (e) {
        throw new ImageError(`${name}: ${(e as Error).message}`);
      }
    }
    this.cpu.pc = Number(image.entry);
  }

  /** Runs until power-off, the instruction limit, or a stuck state; with `trace`, one line per instruction. */
  run(maxInsns = Infinity, trace?: (line: string) => void): RunResult {
    const c = this.cpu;
    if (trace) this.runTraced(maxInsns, trace);
    else c.run(maxInsns, (e) => this.exception(e));
    const stop = this.stop ?? { reason: 'limit' as const, message: `instruction limit reached (${maxInsns}) at ${this.where()}` };
    const stats = this.stats();
    return { ...stop, instructions: c.instructions, cycles: c.cycles, cyclesBy: stats.cyclesBy, stats };
  }

  /** Everything counted so far. */
  stats(): RunStats {
    const c = this.cpu, m = this.memory.mmu;
    const t = this.categoryTotals();
    return machineStats({
      instructions: c.instructions, cycles: c.cycles, cyclesBy: this.ledger.byCategory(t), ledger: this.ledger.view(c.el, t),
      mmu: m, caches: this.caches, memAccesses: this.memAccesses(), sysregWrites: this.sysregWrites, exceptions: this.exceptions,
    });
  }

  /**
   * The running totals of every cycle category, `execute` being what the other categories do not
   * explain. `total` is the cycles elapsed so far, counting the instructions of a block still
   * running (an ERET books its EL in mid-block).
   */
  private categoryTotals(): CategoryTotals {
    return { insns: this.cpu.retired, total: this.cpu.elapsed, ...this.memory.cycles(), exception: this.exceptionCycles, idle: this.idleCycles };
  }

  /** Counts an exception taken from `from`, by class (interrupts as IRQ / FIQ). */
  private countException(name: string, from: number): void {
    this.exceptions.taken++;
    this.exceptions.byClass[name] = (this.exceptions.byClass[name] ?? 0) + 1;
    this.pmu.elChanged(from, this.cpu.el);
  }

  /** Loads and stores, device registers included. */
  private memAccesses(): number {
    return this.memory.dataAccesses + this.phys.deviceAccesses;
  }

  /** The PMU's events, read from the same counters as the stats (so the two always agree). */
  private eventCount(ev: number): number {
    const c = this.cpu, m = this.memory.mmu, t = m.tlb;
    switch (ev) {
      case EV.L1I_TLB_REFILL: return t.l1i.misses;
      case EV.L1D_TLB_REFILL: return t.l1d.misses;
      case EV.L2D_TLB_REFILL: return t.l2.misses;
      case EV.L1D_CACHE_REFILL: return this.caches.l1d.stats.misses;
      case EV.L2D_CACHE_REFILL: return this.caches.l2.stats.misses;
      case EV.INST_RETIRED: return c.retired;
      case EV.CPU_CYCLES: return c.elapsed;
      case EV.EXC_TAKEN: return this.exceptions.taken;
      case EV.EXC_RETURN: return this.exceptions.returns;
      case EV.MEM_ACCESS: return this.memAccesses();
      case EV.DTLB_WALK: return m.walksFor(READ) + m.walksFor(WRITE);
      case EV.ITLB_WALK: return m.walksFor(FETCH);
      default: return 0;
    }
  }

  /** One instruction at a time: PC, EL, word, disassembly, and the registers it wrote. */
  private runTraced(maxInsns: number, trace: (line: string) => void): void {
    const c = this.cpu;
    while (!this.stop && c.instructions < maxInsns) {
      const pc = c.pc, el = c.el, before = c.r.slice(0, 33), flags = c.nzcv;
      const word = c.wordAt(pc);
      let taken = '';
      c.run(c.instructions + 1, (e) => {
        if (this.exception(e)) taken = `  -> ${EC_NAMES[e.ec] ?? 'exception'} to EL${c.el}, vector ${hex(c.pc)}`;
        else taken = '  (PSCI call served)';
        c.stopped = true;
      });
      if (!this.stop) c.stopped = false;
      const wrote: string[] = [];
      for (let r = 0; r < 33; r++) {
        if (r !== 31 && c.r[r] !== before[r]) wrote.push(`${r === 32 ? 'sp' : 'x' + r}=${hex(c.r[r])}`);
      }
      if (c.nzcv !== flags) wrote.push(`nzcv=${((c.nzcv >>> 28) & 0xf).toString(2).padStart(4, '0')}`);
      const text = word === undefined ? '(no memory)' : `${word.toString(16).padStart(8, '0')}  ${disassemble(word, BigInt.asUintN(64, BigInt(pc))).replace('\t', ' ')}`;
      trace(`${hex(pc)} EL${el}  ${text}${wrote.length ? '  ' + wrote.join(' ') : ''}${taken}`);
    }
  }

  /** Who accesses the GIC's registers: EL and HCR_EL2 choose between the ICC and the ICV view. */
  private gicAccess(): AccessContext {
    return { el: this.cpu.el, hcr: this.cpu.sys[SLOT.HCR_EL2] };
  }

  /** A hooked register without a model: the guest gets UNDEFINED, never a simulator crash. */
  private unmodelled(hook: string): never {
    void hook;
    throw undefinedInstruction();
  }

  private where(esr?: bigint): string {
    const c = this.cpu;
    return `pc=${hex(c.pc)} EL${c.el}` + (esr === undefined ? '' : ` ESR=${hex(esr)}`);
  }

  private halt(reason: StopReason, message?: string): void {
    this.stop = { reason, message };
    this.cpu.stopped = true;
  }

  private sysOp(op: string, v: bigint): void {
    const c = this.cpu;
    if (op.startsWith('AT ')) {
      this.memory.addressTranslate(op.slice(3), v);
      return;
    }
    if (op.startsWith('TLBI ')) {
      this.memory.tlbi(op.slice(5), v);
      return;
    }
    switch (op) {
      case 'DMB': case 'DSB': // wait for the store buffer to drain
        c.cycles += this.memory.drain();
        return;
      case 'DC CIVAC': case 'DC IVAC':
        this.invalidateLine(v);
        return;
      case 'ERET':
        this.eret();
        return;
      case 'SEV': case 'SEVL':
        this.event = true;
        return;
      case 'WFE':
        if (this.event) { this.event = false; return; }
        this.wait(op);
        return;
      case 'WFI':
        this.wait(op);
        return;
    }
  }

  /** DC CIVAC/IVAC of the VA in Xt (MemorySystem.invalidateLine): its translation is charged, then its fault taken. */
  private invalidateLine(xt: bigint): void {
    const r = this.memory.invalidateLine(this.cpu.addr(xt));
    this.cpu.cycles += r.cycles;
    if (r.fault) throw r.fault;
  }

  private eret(): void {
    const c = this.cpu, from = c.el;
    exceptionReturn(c);
    this.exceptions.returns++;
    // the ERET's own cost belongs to the EL that executed it: charged before the ledger and the PMU switch EL
    c.cycles += this.opts.timing.exception.eret;
    this.exceptionCycles += this.opts.timing.exception.eret;
    this.pmu.elChanged(from, c.el);
    if (c.el !== from) this.ledger.returned(from, c.el);
    this.event = true; // an exception return sets the event register
    c.nextEvent = 0; // the new PSTATE may unmask a pending interrupt
  }

  /**
   * WFI/WFE: time passes to the next interrupt. One already pending (masked or
   * not) wakes the core at once; else the next timer deadline; with neither,
   * nothing can ever wake it.
   */
  private wait(op: string): void {
    const c = this.cpu;
    if (this.anyPending()) return;
    const deadline = this.timer.nextDeadline();
    if (deadline === Infinity) {
      this.halt('stuck', `${op} with no interrupt that can ever arrive at ${this.where()}`);
      return;
    }
    if (deadline > c.cycles) {
      this.idleCycles += deadline - c.cycles;
      c.cycles = deadline;
    }
    c.nextEvent = 0;
  }

  /** Drives the timer lines into the interrupt controller. */
  private updateLines(): void {
    const t = this.timer, gic = this.gic;
    gic.setLevel(TIMER_PPI.P, t.line('P'));
    gic.setLevel(TIMER_PPI.V, t.line('V'));
    gic.setLevel(TIMER_PPI.HP, t.line('HP'));
    this.gic.setLevel(PMU_PPI, this.pmu.irq());
  }

  /** ISR_EL1: I and F are the interrupt controller's outputs; at EL1 with IMO/FMO, the virtual ones. */
  private isr(): bigint {
    const c = this.cpu;
    this.updateLines();
    const hcr = c.sys[SLOT.HCR_EL2];
    const virt = (mask: bigint) => c.el < 2 && (hcr & mask) !== 0n && (hcr & F.HCR_EL2.TGE.mask) === 0n;
    const i = virt(F.HCR_EL2.IMO.mask) ? (hcr & F.HCR_EL2.VI.mask) !== 0n || this.gic.virtualIrqPending() : this.gic.irqPending();
    const f = virt(F.HCR_EL2.FMO.mask) ? (hcr & F.HCR_EL2.VF.mask) !== 0n || this.gic.virtualFiqPending() : this.gic.fiqPending();
    return (i ? 0x80n : 0n) | (f ? 0x40n : 0n);
  }

  /** Pending interrupts, whatever PSTATE's masks say (what wakes WFI). */
  private anyPending(): boolean {
    this.updateLines();
    return this.gic.irqPending() || this.gic.fiqPending() || this.gic.virtualIrqPending() || this.gic.virtualFiqPending() || virtualPending(this.cpu);
  }

  /**
   * Between two blocks, when an interrupt may have become takeable: takes the
   * first one routing and masking allow, and schedules the next check at the
   * next timer deadline.
   */
  private interrupts(): void {
    const c = this.cpu;
    c.nextEvent = this.timer.nextDeadline();
    this.updateLines();
    // FIQ before IRQ, physical before virtual (this runs after every ERET: no allocation)
    const gic = this.gic;
    let target = -1, vector = Vector.Irq;
    if (gic.fiqPending() && (target = physicalTarget(c, 'fiq')) >= 0) vector = Vector.Fiq;
    else if (gic.irqPending() && (target = physicalTarget(c, 'irq')) >= 0) vector = Vector.Irq;
    else if (virtualTaken(c, 'fiq', gic.virtualFiqPending())) { target = 1; vector = Vector.Fiq; }
    else if (virtualTaken(c, 'irq', gic.virtualIrqPending())) { target = 1; vector = Vector.Irq; }
    else return;
    c.cycles += this.memory.drain(); // the interrupt waits for the store buffer to drain
    const from = c.el;
    takeException(c, new ArchException(0, 0, target), vector);
    this.countException(vector === Vector.Fiq ? 'FIQ' : 'IRQ', from);
    if (c.el !== from) this.ledger.taken(from, c.el, vector === Vector.Fiq ? 'FIQ' : 'IRQ');
    c.pc = c.npc;
    c.cycles += this.opts.timing.exception.entry;
    this.exceptionCycles += this.opts.timing.exception.entry;
  }

  /** Handles an exception raised by an instruction; false when the firmware model served it instead. */
  private exception(e: ArchException): boolean {
    const c = this.cpu;
    if (this.firmware(e)) return false;
    // No EL3: an SMC the firmware model does not serve is UNDEFINED, except that from EL1
    // HCR_EL2.TSC traps it to EL2 (QEMU lets TSC trap the SMC its PSCI stands in for).
    if (e.ec === EC.SMC64) e = c.el === 1 && c.sys[SLOT.HCR_EL2] & F.HCR_EL2.TSC.mask ? new ArchException(EC.SMC64, e.iss, 2) : undefinedInstruction();
    e = this.withInstructionSyndrome(routeStage1Fault(e, c.el, c.sys[SLOT.HCR_EL2], c.sys[SLOT.HACR_EL2]));
    const entry = this.opts.timing.exception.entry;
    if (e.ec === EC.SVC64 || e.ec === EC.HVC64) c.instructions++; // these retire before the exception is taken
    c.cycles += this.memory.drain(); // the exception waits for the store buffer to drain
    const from = c.el;
    const target = takeException(c, e);
    this.countException(EC_NAMES[e.ec] ?? `EC_0x${e.ec.toString(16)}`, from);
    if (c.el !== from) this.ledger.taken(from, c.el, this.takenClass(target));
    c.cycles += entry;
    this.exceptionCycles += entry;
    c.pc = c.npc;
    this.checkProgress(target);
    return true;
  }

  /** The class of the exception just taken to `target`, from its syndrome (aborts as from a lower or the same EL). */
  private takenClass(target: number): string {
    const ec = Number((this.cpu.sys[target === 2 ? SLOT.ESR_EL2 : SLOT.ESR_EL1] >> 26n) & 0x3fn);
    return EC_NAMES[ec] ?? `EC_0x${ec.toString(16)}`;
  }

  /** A translation, access flag or permission data abort taken to EL2 carries the instruction syndrome. */
  private withInstructionSyndrome(e: ArchException): ArchException {
    const fsc = e.iss & 0x3f;
    const dataAbort = e.ec === EC.DABT_LOWER || e.ec === EC.DABT_SAME;
    const target = e.targetEl >= 0 ? e.targetEl : this.cpu.el;
    if (!dataAbort || target !== 2 || e.iss & S1PTW || fsc === FSC_EXTERNAL) return e;
    const word = this.cpu.wordAt(this.cpu.pc);
    const iss = word === undefined ? 0 : instructionSyndrome(word);
    return iss ? new ArchException(e.ec, e.iss | iss, e.targetEl, e.far, e.ipa) : e;
  }

  /** PSCI through the machine's conduit; true when the call was served. */
  private firmware(e: ArchException): boolean {
    const c = this.cpu;
    const conduit = e.ec === EC.SMC64 ? 'smc' : e.ec === EC.HVC64 && c.el === 1 ? 'hvc' : undefined;
    if (conduit !== this.conduit || !isPsciCall(c.r[0])) return false;
    const out = psciCall(c.r[0], c.r[1]);
    c.instructions++;
    c.pc += 4;
    if ('power' in out) this.halt(out.power === 'off' ? 'poweroff' : 'reset');
    else c.r[0] = out.result;
    return true;
  }

  /** Stops a machine that takes the same exception over and over, or faults on its own vector. */
  private checkProgress(target: number): void {
    const c = this.cpu;
    const esr = c.sys[target === 2 ? SLOT.ESR_EL2 : SLOT.ESR_EL1];
    const elr = c.sys[target === 2 ? SLOT.ELR_EL2 : SLOT.ELR_EL1];
    const nothingRan = this.lastExceptionAt === c.instructions;
    this.lastExceptionAt = c.instructions;
    this.sameCount = this.lastSignature.sameAs(c, target, esr, elr) ? this.sameCount + 1 : 0;
    if (nothingRan && this.sameCount > 0) {
      this.halt('stuck', `exception loop: the vector at ${hex(c.pc)} faults before executing anything (EL${target}, ESR=${hex(esr)}, ELR=${hex(elr)}; is VBAR_EL${target} set?)`);
    } else if (this.sameCount >= SAME_EXCEPTION_LIMIT) {
      this.halt('stuck', `the same exception (ESR=${hex(esr)}) was taken ${SAME_EXCEPTION_LIMIT} times in a row from ELR=${hex(elr)} with identical registers: no progress`);
    }
  }
}
