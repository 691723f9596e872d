// Writer for static AArch64 ELF64 executables: PT_LOADs for the sections
// plus .symtab/.strtab/.shstrtab, laid out deterministically so the same
// input always yields the same bytes.

export interface ElfWriteSection {
  name: '.text' | '.data' | '.bss' | string;
  addr: bigint;
  /** the section's bytes; empty for rw-nobits */
  data: Uint8Array;
  /** bytes in memory; must equal data.length unless rw-nobits */
  size: number;
  flags: 'rx' | 'rw' | 'rw-nobits';
}

export interface ElfWriteSymbol {
  name: string;
  value: bigint;
  global: boolean;
  /** name of the section the symbol belongs to */
  section: string;
}

export interface ElfWriteInput {
  entry: bigint;
  sections: ElfWriteSection[];
  symbols: ElfWriteSymbol[];
}

// 64K like GNU ld for aarch64, so the file also loads on 64K-page kernels.
const ALIGN = 0x10000n;
// Sections with different permissions must not share even a 4K page.
const MIN_PAGE = 0x1000n;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1n;
const SHF_ALLOC = 2n;
const SHF_EXECINSTR = 4n;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;

class StringTable {
  bytes: number[] = [0];
  add(s: string): number {
    const at = this.bytes.length;
    this.bytes.push(...new TextEncoder().encode(s), 0);
    return at;
  }
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Largest power of two up to 16 dividing addr: sh_addralign must divide sh_addr. */
function addrAlign(addr: bigint): number {
  let a = 1n;
  while (a < 16n && addr % (a * 2n) === 0n) a *= 2n;
  return Number(a);
}

/** Throws on input that would make a broken or ambiguous executable; `sorted` is in address order. */
function validate(sorted: ElfWriteSection[], symbols: ElfWriteSymbol[]): void {
  const names = new Set<string>();
  for (const s of sorted) {
    if (names.has(s.name)) throw new Error(`writeElf: duplicate section ${s.name}`);
    names.add(s.name);
    const filesz = s.flags === 'rw-nobits' ? 0 : s.size;
    if (s.data.length !== filesz) throw new Error(`writeElf: section ${s.name} has ${s.data.length} data bytes, expected ${filesz}`);
    if (s.addr + BigInt(s.size) > 1n << 64n) throw new Error(`writeElf: section ${s.name} wraps the address space`);
  }
  const loaded = sorted.filter((s) => s.size > 0);
  for (let i = 1; i < loaded.length; i++) {
    const [a, b] = [loaded[i - 1]!, loaded[i]!];
    const aEnd = a.addr + BigInt(a.size);
    if (aEnd > b.addr) throw new Error(`writeElf: sections ${a.name} and ${b.name} overlap`);
    if ((a.flags === 'rx') !== (b.flags === 'rx') && (aEnd - 1n) / MIN_PAGE === b.addr / MIN_PAGE) {
      throw new Error(`writeElf: sections ${a.name} and ${b.name} have different permissions but share a 4K page`);
    }
  }
  for (const sym of symbols) {
    if (!names.has(sym.section)) throw new Error(`writeElf: symbol ${sym.name} is in unknown section ${sym.section}`);
  }
}

interface Segment {
  first: ElfWriteSection;
  memsz: bigint;
}

/**
 * One PT_LOAD per non-empty section, except that a rw-nobits section sharing
 * a 4K page with the end of the rw segment before it extends that segment
 * (as GNU ld does): as a PT_LOAD of its own, the loader's zero-fill of its
 * page (qemu-aarch64 maps fresh zero pages) would wipe the data before it.
 */
function segmentsOf(sorted: ElfWriteSection[]): Segment[] {
  const segments: Segment[] = [];
  for (const s of sorted) {
    if (s.size === 0) continue;
    const last = segments.at(-1);
    const joins =
      last && s.flags === 'rw-nobits' && last.first.flags !== 'rx' && (last.first.addr + last.memsz - 1n) / MIN_PAGE === s.addr / MIN_PAGE;
    if (joins) {
      last.memsz = s.addr + BigInt(s.size) - last.first.addr;
    } else {
      segments.push({ first: s, memsz: BigInt(s.size) });
    }
  }
  return segments;
}

/** Sections are emitted in address order, whatever order they are given in. */
export function writeElf(input: ElfWriteInput): Uint8Array {
  const sections = [...input.sections].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  validate(sections, input.symbols);
  const segments = segmentsOf(sections);

  // Layout: ELF header, program headers, section contents (each at a file
  // offset congruent to its address modulo ALIGN, so sections sharing a page
  // are contiguous in the file too), symtab, strtab, shstrtab, section headers.
  let pos = EHDR_SIZE + PHDR_SIZE * segments.length;
  const offsets = new Map<ElfWriteSection, number>();
  for (const s of sections) {
    pos += Number((s.addr - BigInt(pos)) & (ALIGN - 1n));
    offsets.set(s, pos);
    pos += s.data.length;
  }

  // Locals must precede globals; sh_info names the first global.
  const strtab = new StringTable();
  const ordered = [...input.symbols.filter((s) => !s.global), ...input.symbols.filter((s) => s.global)];
  const symtab = new Uint8Array(SYM_SIZE * (ordered.length + 1));
  const symView = new DataView(symtab.buffer);
  ordered.forEach((sym, i) => {
    const o = SYM_SIZE * (i + 1);
    symView.setUint32(o, strtab.add(sym.name), true);
    // STB_GLOBAL or STB_LOCAL, STT_NOTYPE: what the assembler gives a plain label.
    symtab[o + 4] = sym.global ? 1 << 4 : 0;
    symView.setUint16(o + 6, sections.findIndex((s) => s.name === sym.section) + 1, true);
    symView.setBigUint64(o + 8, sym.value, true);
  });
  const firstGlobal = 1 + ordered.filter((s) => !s.global).length;

  const shstrtab = new StringTable();
  const symtabAt = alignUp(pos, 8);
  const strtabAt = symtabAt + symtab.length;
  const strtabBytes = Uint8Array.from(strtab.bytes);
  const shstrtabAt = strtabAt + strtabBytes.length;
  const headers = [
    ...sections.map((s) => ({
      name: shstrtab.add(s.name),
      type: s.flags === 'rw-nobits' ? SHT_NOBITS : SHT_PROGBITS,
      flags: SHF_ALLOC | (s.flags === 'rx' ? SHF_EXECINSTR : SHF_WRITE),
      addr: s.addr,
      offset: offsets.get(s)!,
      size: s.size,
      link: 0,
      info: 0,
      align: addrAlign(s.addr),
      entsize: 0,
    })),
    {
      name: shstrtab.add('.symtab'),
      type: SHT_SYMTAB,
      flags: 0n,
      addr: 0n,
      offset: symtabAt,
      size: symtab.length,
      link: sections.length + 2, // .strtab
      info: firstGlobal,
      align: 8,
      entsize: SYM_SIZE,
    },
    { name: shstrtab.add('.strtab'), type: SHT_STRTAB, flags: 0n, addr: 0n, offset: strtabAt, size: strtabBytes.length, link: 0, info: 0, align: 1, entsize: 0 },
  ];
  const shstrtabName = shstrtab.add('.shstrtab');
  const shstrtabBytes = Uint8Array.from(shstrtab.bytes);
  headers.push({ name: shstrtabName, type: SHT_STRTAB, flags: 0n, addr: 0n, offset: shstrtabAt, size: shstrtabBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  const shoff = alignUp(shstrtabAt + shstrtabBytes.length, 8);
  const shnum = headers.length + 1;

  const out = new Uint8Array(shoff + SHDR_SIZE * shnum);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2 /* 64-bit */, 1 /* LE */, 1 /* EV_CURRENT */]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 183, true); // EM_AARCH64
  v.setUint32(20, 1, true);
  v.setBigUint64(24, input.entry, true);
  v.setBigUint64(32, BigInt(EHDR_SIZE), true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, segments.length, true);
  v.setUint16(58, SHDR_SIZE, true);
  v.setUint16(60, shnum, true);
  v.setUint16(62, shnum - 1, true); // .shstrtab is last

  segments.forEach(({ first, memsz }, i) => {
    const p = EHDR_SIZE + PHDR_SIZE * i;
    v.setUint32(p, 1, true); // PT_LOAD
    v.setUint32(p + 4, PF_R | (first.flags === 'rx' ? PF_X : PF_W), true);
    v.setBigUint64(p + 8, BigInt(offsets.get(first)!), true);
    v.setBigUint64(p + 16, first.addr, true);
    v.setBigUint64(p + 24, first.addr, true);
    v.setBigUint64(p + 32, BigInt(first.data.length), true);
    v.setBigUint64(p + 40, memsz, true);
    v.setBigUint64(p + 48, ALIGN, true);
  });

  for (const s of sections) out.set(s.data, offsets.get(s)!);
  out.set(symtab, symtabAt);
  out.set(strtabBytes, strtabAt);
  out.set(shstrtabBytes, shstrtabAt);

  headers.forEach((h, i) => {
    const o = shoff + SHDR_SIZE * (i + 1); // header 0 stays null
    v.setUint32(o, h.name, true);
    v.setUint32(o + 4, h.type, true);
    v.setBigUint64(o + 8, h.flags, true);
    v.setBigUint64(o + 16, h.addr, true);
    v.setBigUint64(o + 24, BigInt(h.offset), true);
    v.setBigUint64(o + 32, BigInt(h.size), true);
    v.setUint32(o + 40, h.link, true);
    v.setUint32(o + 44, h.info, true);
    v.setBigUint64(o + 48, BigInt(h.align), true);
    v.setBigUint64(o + 56, BigInt(h.entsize), true);
  });
  return out;
}
