// `el2sim disasm`: the executable sections of an ELF in the layout of GNU
// `objdump -d`, so the two can be compared line by line.
import type { ElfImage } from '../elf/read.js';
import { disassemble } from './disasm.js';

const SHF_EXECINSTR = 4;
const STT_SECTION = 3, STT_FILE = 4;

export function disassembleElf(elf: ElfImage, name: string): string {
  const syms = elf.symbols.filter((s) => s.type !== STT_SECTION && s.type !== STT_FILE && !s.name.startsWith('$')).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const symbolize = (a: bigint): string | undefined => {
    let best: (typeof syms)[number] | undefined;
    for (const s of syms) if (s.value <= a) best = s; else break;
    if (!best) return undefined;
    return a === best.value ? best.name : `${best.name}+0x${(a - best.value).toString(16)}`;
  };
  let out = `\n${name}:     file format elf64-littleaarch64\n\n`;
  for (const sec of elf.sections) {
    if (!(sec.flags & SHF_EXECINSTR) || sec.size === 0) continue;
    out += `\nDisassembly of section ${sec.name}:\n`;
    const seg = elf.segments.find((s) => sec.addr >= s.vaddr && sec.addr + BigInt(sec.size) <= s.vaddr + BigInt(s.data.length));
    if (!seg) continue;
    const bytes = seg.data.subarray(Number(sec.addr - seg.vaddr), Number(sec.addr - seg.vaddr) + sec.size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let off = 0; off + 4 <= sec.size; off += 4) {
      const addr = sec.addr + BigInt(off);
      const label = syms.find((s) => s.value === addr);
      if (label) out += `\n${addr.toString(16).padStart(16, '0')} <${label.name}>:\n`;
      const w = view.getUint32(off, true);
      out += `${addr.toString(16).padStart(8, ' ')}:\t${w.toString(16).padStart(8, '0')} \t${disassemble(w, addr, symbolize)}\n`;
    }
  }
  return out;
}
