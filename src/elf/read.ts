// Reader for static AArch64 ELF64 little-endian executables. Every defect in
// the input becomes an ElfError naming the file, so callers never see a
// RangeError from a DataView read past the end of a hostile buffer.

export class ElfError extends Error {
  override readonly name = 'ElfError';
}

export interface ElfSegment {
  vaddr: bigint;
  /** load (physical) address: where a bare-metal loader puts the segment, as QEMU's -kernel does */
  paddr: bigint;
  memsz: number;
  /** the filesz bytes from the file; the rest of memsz is zero */
  data: Uint8Array;
  /** PF_X=1, PF_W=2, PF_R=4 */
  flags: number;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: number;
  /** STT_* (st_info & 0xf) */
  type: number;
}

export interface ElfSection {
  name: string;
  addr: bigint;
  offset: number;
  size: number;
  flags: number;
  type: number;
}

export interface ElfImage {
  entry: bigint;
  /** the PT_LOAD segments, in file order */
  segments: ElfSegment[];
  /** vaddr of the program headers if a PT_LOAD maps them (for AT_PHDR), else 0n */
  phdrAddr: bigint;
  phent: number;
  phnum: number;
  /** named entries of .symtab */
  symbols: ElfSymbol[];
  sections: ElfSection[];
}

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

const EM_AARCH64 = 183;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_PHDR = 6;
const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const DYN_SIZE = 16;

const MACHINES: Record<number, string> = {
  2: 'SPARC',
  3: 'x86 (Intel 80386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM (AArch32)',
  43: 'SPARC V9',
  62: 'x86-64',
  243: 'RISC-V',
  258: 'LoongArch',
};

// Dynamic tags whose presence means the image needs a dynamic loader.
const DT_NEEDED = 1n;
const DT_RELOC_SIZES = new Map<bigint, string>([
  [2n, 'DT_PLTRELSZ'],
  [8n, 'DT_RELASZ'],
  [18n, 'DT_RELSZ'],
  [35n, 'DT_RELRSZ'],
]);

const hex = (v: bigint | number) => '0x' + v.toString(16);

export function readElf(bytes: Uint8Array, name: string): ElfImage {
  function fail(problem: string): never {
    throw new ElfError(`${name}: ${problem}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileSize = BigInt(bytes.length);
  /** offset + size as a checked file range; returns the start as a number */
  const range = (offset: bigint, size: bigint, what: string): number => {
    if (offset + size > fileSize) {
      fail(`${what} (offset ${hex(offset)}, size ${hex(size)}) is out of file bounds (file is ${hex(fileSize)} bytes)`);
    }
    return Number(offset);
  };

  const magic = [0x7f, 0x45, 0x4c, 0x46];
  if (magic.some((b, i) => i < bytes.length && bytes[i] !== b)) fail('not an ELF file (bad magic)');
  if (bytes.length < 16) fail(`truncated ELF header (${bytes.length} bytes)`);
  if (bytes[4] !== 2) fail(`not a 64-bit ELF (EI_CLASS ${bytes[4]}${bytes[4] === 1 ? ', 32-bit' : ''})`);
  if (bytes[5] !== 1) fail(`not little-endian (EI_DATA ${bytes[5]}${bytes[5] === 2 ? ', big-endian' : ''})`);
  if (bytes.length < EHDR_SIZE) fail(`truncated ELF header (${bytes.length} of ${EHDR_SIZE} bytes)`);

  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const u64 = (o: number) => view.getBigUint64(o, true);

  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_AARCH64) {
    fail(`wrong machine: ${MACHINES[machine] ?? 'unknown'} (EM ${machine}), expected AArch64 (EM ${EM_AARCH64})`);
  }
  if (type !== ET_EXEC && type !== ET_DYN) fail(`not an executable (e_type ${type})`);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const phent = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);

  if (phnum === 0) fail('no program headers');
  if (phent < PHDR_SIZE) fail(`e_phentsize ${phent} is smaller than ${PHDR_SIZE}`);
  const phBase = range(phoff, BigInt(phent * phnum), 'program header table');

  const segments: ElfSegment[] = [];
  let phdrAddr = 0n;
  let dynamic: { offset: bigint; size: bigint } | undefined;
  const loads: { offset: bigint; filesz: bigint; vaddr: bigint }[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phBase + i * phent;
    const ptype = u32(p);
    const offset = u64(p + 8);
    const vaddr = u64(p + 16);
    const paddr = u64(p + 24);
    const filesz = u64(p + 32);
    const memsz = u64(p + 40);
    if (ptype === PT_INTERP) fail('dynamically linked (has PT_INTERP); only static executables are supported');
    if (ptype === PT_PHDR) phdrAddr = vaddr;
    if (ptype === PT_DYNAMIC) dynamic = { offset, size: filesz };
    if (ptype !== PT_LOAD) continue;
    if (filesz > memsz) fail(`segment ${i}: filesz ${hex(filesz)} > memsz ${hex(memsz)}`);
    if (memsz > BigInt(Number.MAX_SAFE_INTEGER) || vaddr + memsz > 1n << 64n) {
      fail(`segment ${i}: memsz ${hex(memsz)} at ${hex(vaddr)} does not fit the address space`);
    }
    const start = range(offset, filesz, `segment ${i} data`);
    // A copy, and a plain Uint8Array even when given a Buffer (whose slice() is a view).
    const data = new Uint8Array(bytes.subarray(start, start + Number(filesz)));
    segments.push({ vaddr, paddr, memsz: Number(memsz), data, flags: u32(p + 4) & 7 });
    loads.push({ offset, filesz, vaddr });
  }
  if (segments.length === 0) fail('no PT_LOAD segments');
  if (phdrAddr === 0n) {
    const home = loads.find((l) => phoff >= l.offset && phoff + BigInt(phent * phnum) <= l.offset + l.filesz);
    if (home) phdrAddr = home.vaddr + (phoff - home.offset);
  }
  // A static-pie (ET_DYN) is acceptable only if nothing needs relocating.
  if (type === ET_DYN && dynamic) {
    const d = range(dynamic.offset, dynamic.size, 'dynamic section');
    for (let o = d; o + DYN_SIZE <= d + Number(dynamic.size); o += DYN_SIZE) {
      const tag = u64(o);
      if (tag === 0n) break;
      if (tag === DT_NEEDED) fail('dynamically linked (DT_NEEDED); only static executables are supported');
      const what = DT_RELOC_SIZES.get(tag);
      if (what && u64(o + 8) !== 0n) fail(`has dynamic relocations (${what} ${hex(u64(o + 8))}); only static executables are supported`);
    }
  }

  const sections = shoff === 0n ? [] : readSections();
  return { entry, segments, phdrAddr, phent, phnum, symbols: readSymbols(), sections };

  function readSections(): ElfSection[] {
    if (shnum === 0) fail('extended section numbering (e_shnum 0) is not supported');
    if (shentsize < SHDR_SIZE) fail(`e_shentsize ${shentsize} is smaller than ${SHDR_SIZE}`);
    const base = range(shoff, BigInt(shentsize * shnum), 'section header table');
    const raw = Array.from({ length: shnum }, (_, i) => {
      const s = base + i * shentsize;
      return {
        nameOff: u32(s),
        type: u32(s + 4),
        flags: Number(u64(s + 8)),
        addr: u64(s + 16),
        offset: u64(s + 24),
        size: u64(s + 32),
      };
    });
    if (shstrndx >= shnum) fail(`e_shstrndx ${shstrndx} is out of range (${shnum} sections)`);
    const names = raw[shstrndx]!;
    const namesAt = range(names.offset, names.size, 'section name table');
    return raw.map((s, i) => {
      if (s.type !== SHT_NOBITS) range(s.offset, s.size, `section ${i} data`);
      return {
        name: cstring(namesAt, Number(names.size), s.nameOff, `section ${i} name`),
        addr: s.addr,
        offset: Number(s.offset),
        size: Number(s.size),
        flags: s.flags,
        type: s.type,
      };
    });
  }

  function readSymbols(): ElfSymbol[] {
    const base = Number(shoff);
    const index = sections.findIndex((s) => s.type === SHT_SYMTAB);
    if (index < 0) return [];
    const symtab = sections[index]!;
    const link = u32(base + index * shentsize + 40);
    const strtab = sections[link];
    if (!strtab) fail(`.symtab links to missing string table ${link}`);
    const symbols: ElfSymbol[] = [];
    // Entry 0 is the reserved null symbol.
    for (let o = symtab.offset + SYM_SIZE; o + SYM_SIZE <= symtab.offset + symtab.size; o += SYM_SIZE) {
      const symName = cstring(strtab.offset, strtab.size, u32(o), 'symbol name');
      if (symName) symbols.push({ name: symName, value: u64(o + 8), size: Number(u64(o + 16)), type: bytes[o + 4]! & 0xf });
    }
    return symbols;
  }

  function cstring(tableAt: number, tableSize: number, at: number, what: string): string {
    if (at >= tableSize) fail(`${what}: string offset ${hex(at)} is outside its table (size ${hex(tableSize)})`);
    const table = bytes.subarray(tableAt, tableAt + tableSize);
    const end = table.indexOf(0, at);
    if (end < 0) fail(`${what}: string at ${hex(at)} is not NUL-terminated`);
    return new TextDecoder().decode(table.subarray(at, end));
  }
}
