// The encoding corpus: for every instruction in spec/isa, words with random
// field values. Run directly (`npx tsx test/oracle/corpus.ts [group-or-name] [count]`)
// to list every disagreement with GNU binutils; the vitest suite asserts none.
import { INSNS } from '../../src/generated/forms.js';
import { decodeId } from '../../src/generated/decoder.js';
import { disassemble } from '../../src/asm/disasm.js';
import { encodeInstruction } from '../../src/asm/encode.js';
import { gnuAssemble, gnuDisassemble, normalize } from './gnu.js';

/** xorshift32: the corpus is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

export interface Sample { name: string; word: number }

export function corpus(filter: (name: string, group: string) => boolean, perInsn: number, seed = 1): Sample[] {
  const rand = rng(seed);
  const out: Sample[] = [];
  INSNS.forEach((info, id) => {
    if (!filter(info.name, info.group)) return;
    let made = 0;
    for (let tries = 0; made < perInsn && tries < perInsn * 20; tries++) {
      let w = info.value;
      for (const [, lsb, width] of info.fields) {
        let v = rand() & (width === 32 ? -1 : (1 << width) - 1);
        // bias towards edge values: registers 31, immediates 0 and all-ones
        const r = rand() % 8;
        if (r === 0) v = 0; else if (r === 1) v = width === 32 ? -1 : (1 << width) - 1;
        w |= v << lsb;
      }
      w = (w | (rand() & ~info.mask & ~info.fields.reduce((m, [, l, wd]) => m | (wd === 32 ? -1 : ((1 << wd) - 1) << l), 0))) >>> 0;
      if (decodeId(w) !== id) continue;
      out.push({ name: info.name, word: w >>> 0 });
      made++;
    }
  });
  return out;
}

export interface Mismatch { name: string; word: number; what: string; ours: string; gnu: string }

/** Disassembly check: our text vs objdump's, then assembly: both assemblers on objdump's text. */
export function check(samples: Sample[]): Mismatch[] {
  const bad: Mismatch[] = [];
  const words = samples.map((s) => s.word);
  const gnuText = gnuDisassemble(words);
  const ourText = words.map((w, i) => normalize(disassemble(w, BigInt(i * 4))));
  const asmLines: string[] = [];
  samples.forEach((s, i) => {
    if (ourText[i] !== gnuText[i]) bad.push({ name: s.name, word: s.word, what: 'disassembly', ours: ourText[i], gnu: gnuText[i] });
    // once the texts agree, assemble ours with PC-relative targets written `base + 0x…` (base = address 0)
    const text = ourText[i] === gnuText[i] ? normalize(disassemble(s.word, BigInt(i * 4), undefined, (a) => `base + 0x${a.toString(16)}`)) : gnuText[i];
    asmLines.push(gnuText[i].startsWith('.inst') ? 'nop' : text);
  });
  const gnuWords = gnuAssemble(asmLines);
  samples.forEach((s, i) => {
    const text = asmLines[i];
    if (text === 'nop' || gnuWords[i] === undefined) return;
    const sp = text.indexOf(' ');
    let ours: string;
    try {
      ours = encodeInstruction(sp < 0 ? text : text.slice(0, sp), sp < 0 ? '' : text.slice(sp + 1), { pc: BigInt(i * 4), evaluate: evalSimple(BigInt(i * 4)) }).toString(16).padStart(8, '0');
    } catch (e) {
      ours = `error: ${(e as Error).message}`;
    }
    const gnu = gnuWords[i]!.toString(16).padStart(8, '0');
    if (ours !== gnu) bad.push({ name: s.name, word: s.word, what: `assembly of '${text}'`, ours, gnu });
  });
  return bad;
}

/** Plain numbers and `base + N` (base is address 0): the corpus has no other symbols. */
function evalSimple(pc: bigint) {
  return (e: string): bigint | undefined => {
    const t = e.replace(/\s+/g, '').replace(/^base\+/, '');
    if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(t)) return undefined;
    void pc;
    return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
  };
}

if (process.argv[1]?.endsWith('corpus.ts')) {
  const sel = process.argv[2];
  const n = Number(process.argv[3] ?? 30);
  const samples = corpus((name, group) => !sel || name === sel || group === sel, n);
  const bad = check(samples);
  for (const b of bad) console.log(`${b.name} ${b.word.toString(16).padStart(8, '0')} ${b.what}\n   ours: ${b.ours}\n   gnu:  ${b.gnu}`);
  console.log(`${samples.length} samples, ${bad.length} mismatches`);
}
