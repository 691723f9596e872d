// Every register and operation in spec/sysregs against GNU binutils: GNU as
// must encode `mrs x1, <name>` (and `msr`, `tlbi`, `at`, `dc`, `ic`) to the
// spec's encoding, and objdump must print the spec's name for it.
import { describe, expect } from 'vitest';
import { loadSysregs, type SysEntry } from '../../src/spec/sysregs.js';
import { gnuAssemble, gnuDisassemble, normalize } from './gnu.js';
import { oracleIt } from './tools.js';

const TOOLS = ['aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-objdump'];

const performs = (e: SysEntry, kind: 'read' | 'write'): boolean =>
  e.access.flat().some((r) => (r.action.kind === 'access' && r.action[kind]) || (kind === 'read' && r.action.kind === 'value'));

/** The instructions that name each entry, with the word the spec says they encode to. */
function cases(): { text: string; word: number }[] {
  const out: { text: string; word: number }[] = [];
  for (const e of loadSysregs().entries) {
    const name = e.name.toLowerCase();
    // MRS/MSR/SYS: 1101010100 L op0 op1 CRn CRm op2 Rt, and key = bits 20:5.
    const word = (l: number) => (0xd5000000 | (l << 21) | (e.key << 5) | 1) >>> 0;
    if (e.kind === 'op') {
      out.push({ text: e.xt ? `${name}, x1` : name, word: e.xt ? word(0) : (word(0) | 31) >>> 0 });
      continue;
    }
    if (performs(e, 'read') || !performs(e, 'write')) out.push({ text: `mrs x1, ${name}`, word: word(1) });
    if (performs(e, 'write')) out.push({ text: `msr ${name}, x1`, word: word(0) });
  }
  return out;
}

describe('system register names and encodings vs GNU binutils', () => {
  oracleIt('GNU as encodes every name as the spec does', TOOLS, () => {
    const cs = cases();
    const words = gnuAssemble(cs.map((c) => c.text));
    const wrong = cs
      .map((c, i) => ({ ...c, got: words[i] }))
      .filter((c) => c.got !== c.word)
      .map((c) => `${c.text}: spec 0x${c.word.toString(16)}, as ${c.got === undefined ? 'rejects it' : `0x${c.got.toString(16)}`}`);
    expect(wrong).toEqual([]);
  });

  oracleIt('objdump prints the spec name for every encoding', TOOLS, () => {
    const cs = cases();
    const texts = gnuDisassemble(cs.map((c) => c.word));
    const wrong = cs
      .map((c, i) => ({ ...c, got: texts[i] }))
      .filter((c) => c.got !== normalize(c.text))
      .map((c) => `0x${c.word.toString(16)}: spec '${c.text}', objdump '${c.got}'`);
    expect(wrong).toEqual([]);
  });
});
