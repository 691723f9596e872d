// Every encoding in spec/isa against GNU binutils: a corpus of words with
// random field values is disassembled by objdump and by el2sim (text must be
// equal), and objdump's text is assembled by GNU as and by el2sim (words must
// be equal).
import { describe, expect } from 'vitest';
import { INSNS } from '../../src/generated/forms.js';
import { corpus, check } from './corpus.js';
import { oracleIt } from './tools.js';

const PER_INSN = Number(process.env.EL2SIM_CORPUS ?? 200);
const groups = [...new Set(INSNS.map((i) => i.group))];
const TOOLS = ['aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld', 'aarch64-linux-gnu-objdump', 'aarch64-linux-gnu-objcopy'];

describe('encodings agree with GNU binutils', () => {
  for (const g of groups) {
    oracleIt(`group ${g}`, TOOLS, () => {
      const samples = corpus((_, group) => group === g, PER_INSN, 7);
      const covered = new Set(samples.map((s) => s.name));
      const declared = INSNS.filter((i) => i.group === g).map((i) => i.name);
      // every instruction of the group is in the corpus (none is unreachable in the decoder)
      expect(declared.filter((n) => !covered.has(n))).toEqual([]);
      const bad = check(samples).map((m) => `${m.name} ${m.word.toString(16).padStart(8, '0')} ${m.what}: ours '${m.ours}' gnu '${m.gnu}'`);
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }
});
