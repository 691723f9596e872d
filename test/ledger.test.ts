// The cycle ledger: every cycle booked once, by category and by EL, and the
// exits to EL2 with the cycles from the exception taken to the ERET back.
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { readElf } from '../src/elf/read.js';
import { Machine } from '../src/machine/machine.js';
import type { RunStats } from '../src/machine/stats.js';
import { loadTiming } from '../src/spec/timing.js';
import { imageSource, TEXT_BASE } from './oracle/qemu-system.js';

function boot(name: string): RunStats {
  const image = readElf(assemble(imageSource(name), `${name}.S`, { textBase: TEXT_BASE }).elf, name);
  const m = new Machine({ memBytes: 256 << 20, el: 2, timing: loadTiming('cortex-a57'), output: () => {} });
  m.load(image);
  const r = m.run(1e7);
  expect(r.reason).toBe('poweroff');
  return r.stats;
}

const sum = (o: object) => Object.values(o).reduce((a: number, b) => a + (b as number), 0);

describe('cycle ledger', () => {
  // EL2 -> EL1 -> EL0 (SVC) -> EL1, HVC #7 back to EL1, HVC #0 that stays at EL2 until power-off
  const s = boot('el-roundtrip');

  it('books every cycle once: the ELs add up to cycles, each EL row to its total, each category column to cyclesBy', () => {
    expect(sum(s.cyclesByEl)).toBe(s.cycles);
    expect(sum(s.instructionsByEl)).toBe(s.instructions);
    expect(s.instructionsByEl.el0).toBeGreaterThan(0);
    for (const el of ['el0', 'el1', 'el2'] as const) expect(sum(s.ledger[el])).toBe(s.cyclesByEl[el]);
    for (const k of Object.keys(s.cyclesBy) as (keyof RunStats['cyclesBy'])[]) {
      expect(s.ledger.el0[k] + s.ledger.el1[k] + s.ledger.el2[k]).toBe(s.cyclesBy[k]);
    }
    expect(s.cyclesByEl.el0).toBeGreaterThan(0);
    expect(s.cyclesByEl.el1).toBeGreaterThan(0);
  });

  it('charges exception entry to the EL that takes it and ERET to the EL that executes it', () => {
    const t = loadTiming('cortex-a57').exception;
    // every entry and every ERET is booked once
    expect(s.cyclesBy.exception).toBe(s.exceptions.taken * t.entry + s.exceptions.returns * t.eret);
    // EL0 takes no exception and executes no ERET
    expect(s.ledger.el0.exception).toBe(0);
  });

  it('counts exits to EL2 from lower ELs by class, an exit still open at power-off up to the end', () => {
    expect(s.exits.total).toBe(2);
    expect(Object.keys(s.exits.byReason)).toEqual(['HVC64']);
    expect(s.exits.byReason.HVC64!.count).toBe(2);
    // EL2's cycles: the start-up before the first ERET to EL1, and the exits
    expect(s.exits.beforeFirstEntry).toBeGreaterThan(0);
    expect(s.exits.beforeFirstEntry + s.exits.byReason.HVC64!.cycles).toBe(s.cyclesByEl.el2);
  });

  it('a run that never leaves EL2 has no exits and all its cycles at EL2', () => {
    const h = boot('hello');
    expect(h.exits).toEqual({ total: 0, beforeFirstEntry: h.cycles, byReason: {} });
    expect(h.cyclesByEl).toEqual({ el0: 0, el1: 0, el2: h.cycles });
  });
});
