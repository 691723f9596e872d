// Binds the generated decoder and executor to a timing model: word →
// executable closure + its cost in cycles. Unallocated words execute as
// UNDEFINED (EC 0x00), they never stop the simulator.
import { decodeId } from '../generated/decoder.js';
import { FACTORIES, INLINES, CLASS } from '../generated/executor.js';
import type { Decoder, Exec } from './cpu.js';
import { undefinedInstruction } from './exception.js';

const undefinedExec: Exec = () => { throw undefinedInstruction(); };

/** Classes after which a basic block ends: control flow, and anything that may change how the next instruction is fetched. */
const ENDS_BLOCK = new Set(['branch', 'exception', 'system', 'barrier']);

/** `classCost` maps a timing class (alu, load, …) to cycles. */
export function makeDecoder(classCost: Record<string, number>): Decoder {
  const cost = CLASS.map((k) => classCost[k] ?? 1);
  const ends = CLASS.map((k) => ENDS_BLOCK.has(k));
  const decoder: Decoder = (w) => {
    const id = decodeId(w);
    if (id < 0) return { exec: undefinedExec, cost: 0, endsBlock: true };
    return { exec: FACTORIES[id](w), cost: cost[id], endsBlock: ends[id] };
  };
  decoder.inline = (w) => {
    const id = decodeId(w);
    return id < 0 ? null : INLINES[id]?.(w) ?? null;
  };
  return decoder;
}
