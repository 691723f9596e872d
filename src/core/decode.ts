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

/** Decoders by their instruction costs: machines with the same costs share one, and so its blocks (core/cpu.ts blocksOf). */
const DECODERS = new Map<string, Decoder>();

/** `classCost` maps a timing class (alu, load, …) to cycles. */
export function makeDecoder(classCost: Record<string, number>): Decoder {
  const cost = CLASS.map((k) => classCost[k] ?? 1);
  const key = cost.join(',');
  let d = DECODERS.get(key);
  if (d === undefined) DECODERS.set(key, (d = newDecoder(cost)));
  return d;
}

function newDecoder(cost: number[]): Decoder {
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
