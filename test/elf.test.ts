import { describe, expect, it } from 'vitest';
import { ElfError, PF_R, PF_W, PF_X, readElf } from '../src/elf/read.js';
import { type ElfWriteInput, writeElf } from '../src/elf/write.js';

const text = new Uint8Array([0xe0, 0x00, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]);
const input: ElfWriteInput = {
  entry: 0x400000n,
  sections: [
    { name: '.text', addr: 0x400000n, data: text, size: text.length, flags: 'rx' },
    { name: '.data', addr: 0x410000n, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), size: 8, flags: 'rw' },
    { name: '.bss', addr: 0x420000n, data: new Uint8Array(), size: 0x100, flags: 'rw-nobits' },
  ],
  symbols: [
    { name: '_start', value: 0x400000n, global: true, section: '.text' },
    { name: 'loop', value: 0x400008n, global: false, section: '.text' },
    { name: 'table', value: 0x410000n, global: true, section: '.data' },
    { name: 'buffer', value: 0x420000n, global: false, section: '.bss' },
  ],
};
const good = writeElf(input);

// Offsets into the ELF header and the first program header.
const E_TYPE = 16;
const E_MACHINE = 18;
const E_PHOFF = 32;
const E_SHOFF = 40;
const PH0 = 64;
const PHDR_SIZE = 56;

function edit(change: (v: DataView, bytes: Uint8Array) => void, from: Uint8Array = good): Uint8Array {
  const bytes = from.slice();
  change(new DataView(bytes.buffer), bytes);
  return bytes;
}

function rejects(bytes: Uint8Array, message: string | RegExp) {
  let caught: unknown;
  try {
    readElf(bytes, 'prog.elf');
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ElfError);
  expect((caught as Error).message).toMatch(/^prog\.elf: /);
  expect((caught as Error).message).toMatch(message);
}

describe('writeElf → readElf round trip', () => {
  const image = readElf(good, 'good.elf');

  it('keeps entry and one PT_LOAD per section', () => {
    expect(image.entry).toBe(0x400000n);
    expect(image.phent).toBe(PHDR_SIZE);
    expect(image.phnum).toBe(3);
    expect(image.phdrAddr).toBe(0n); // the writer does not map its headers
    expect(image.segments).toEqual([
      { vaddr: 0x400000n, paddr: 0x400000n, memsz: 12, data: text, flags: PF_R | PF_X },
      { vaddr: 0x410000n, paddr: 0x410000n, memsz: 8, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), flags: PF_R | PF_W },
      { vaddr: 0x420000n, paddr: 0x420000n, memsz: 0x100, data: new Uint8Array(), flags: PF_R | PF_W },
    ]);
  });

  it('keeps sections and symbols', () => {
    const byName = Object.fromEntries(image.sections.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(['', '.text', '.data', '.bss', '.symtab', '.strtab', '.shstrtab']);
    expect(byName['.text']).toMatchObject({ addr: 0x400000n, size: 12, type: 1, flags: 0x6 });
    expect(byName['.data']).toMatchObject({ addr: 0x410000n, size: 8, type: 1, flags: 0x3 });
    expect(byName['.bss']).toMatchObject({ addr: 0x420000n, size: 0x100, type: 8, flags: 0x3 });
    expect(good.subarray(byName['.text']!.offset, byName['.text']!.offset + 12)).toEqual(text);
    // Locals come first in .symtab.
    expect(image.symbols).toEqual([
      { name: 'loop', value: 0x400008n, size: 0, type: 0 },
      { name: 'buffer', value: 0x420000n, size: 0, type: 0 },
      { name: '_start', value: 0x400000n, size: 0, type: 0 },
      { name: 'table', value: 0x410000n, size: 0, type: 0 },
    ]);
  });

  it('puts each segment at a file offset congruent to its address modulo 64K', () => {
    const v = new DataView(good.buffer);
    for (let i = 0; i < 3; i++) {
      const p = PH0 + i * PHDR_SIZE;
      expect(v.getBigUint64(p + 8, true) % 0x10000n).toBe(v.getBigUint64(p + 16, true) % 0x10000n);
      expect(v.getBigUint64(p + 48, true)).toBe(0x10000n);
    }
  });

  it('is deterministic and emits sections in address order', () => {
    // Buffer.compare: toEqual is slow on a 128K array.
    expect(Buffer.compare(writeElf(input), good)).toBe(0);
    expect(Buffer.compare(writeElf({ ...input, sections: [...input.sections].reverse() }), good)).toBe(0);
  });

  it('folds a .bss sharing a page with .data into the .data segment', () => {
    const [text, data, bss] = input.sections;
    const bytes = writeElf({ ...input, sections: [text!, data!, { ...bss!, addr: 0x410010n }], symbols: [] });
    expect(readElf(bytes, 'merged').segments.slice(1)).toEqual([
      { vaddr: 0x410000n, paddr: 0x410000n, memsz: 0x110, data: data!.data, flags: PF_R | PF_W },
    ]);
  });
});

describe('writeElf rejects inconsistent input', () => {
  const text = input.sections[0]!;
  const cases: [string, Partial<ElfWriteInput>, RegExp][] = [
    ['overlap', { sections: [text, { ...text, name: '.text2', addr: 0x400004n }] }, /\.text and \.text2 overlap/],
    ['duplicate name', { sections: [text, { ...text, addr: 0x500000n }] }, /duplicate section \.text/],
    ['size mismatch', { sections: [{ ...text, size: 16 }] }, /12 data bytes, expected 16/],
    ['bss with data', { sections: [{ ...text, flags: 'rw-nobits' }] }, /12 data bytes, expected 0/],
    [
      'rx and rw in one 4K page',
      { sections: [text, { name: '.data', addr: 0x400800n, data: new Uint8Array(4), size: 4, flags: 'rw' }] },
      /different permissions but share a 4K page/,
    ],
    ['symbol in unknown section', { symbols: [{ name: 'x', value: 0n, global: true, section: '.nope' }] }, /symbol x is in unknown section \.nope/],
  ];
  it.each(cases)('%s', (_, change, message) => {
    expect(() => writeElf({ ...input, symbols: [], ...change })).toThrow(message);
  });
});

describe('readElf accepts', () => {
  it('ET_DYN without PT_INTERP or dynamic relocations', () => {
    expect(readElf(edit((v) => v.setUint16(E_TYPE, 3, true)), 'pie').entry).toBe(0x400000n);
  });

  it('ET_DYN whose PT_DYNAMIC has no relocations', () => {
    expect(readElf(dynamicWith([]), 'pie').segments).toHaveLength(2);
  });

  it('a file without section headers', () => {
    const image = readElf(edit((v) => v.setBigUint64(E_SHOFF, 0n, true)), 'nosh');
    expect(image.sections).toEqual([]);
    expect(image.symbols).toEqual([]);
  });

  it('phdrAddr from a PT_LOAD that maps the program headers', () => {
    // Stretch the text segment back to file offset 0, as GNU ld lays it out.
    const bytes = edit((v) => {
      v.setBigUint64(PH0 + 8, 0n, true);
      v.setBigUint64(PH0 + 16, 0x3f0000n, true);
      v.setBigUint64(PH0 + 32, 0x1000cn, true);
      v.setBigUint64(PH0 + 40, 0x1000cn, true);
    });
    expect(readElf(bytes, 'x').phdrAddr).toBe(0x3f0040n);
  });

  it('phdrAddr from PT_PHDR', () => {
    const bytes = edit((v) => {
      v.setUint32(PH0 + 2 * PHDR_SIZE, 6, true);
      v.setBigUint64(PH0 + 2 * PHDR_SIZE + 16, 0x400040n, true);
    });
    expect(readElf(bytes, 'x').phdrAddr).toBe(0x400040n);
  });
});

/** ET_DYN whose .bss program header becomes a PT_DYNAMIC pointing at .data holding `entries` then DT_NULL. */
function dynamicWith(entries: [bigint, bigint][]): Uint8Array {
  const data = new Uint8Array(16 * (entries.length + 1));
  const dv = new DataView(data.buffer);
  entries.forEach(([tag, val], i) => {
    dv.setBigUint64(16 * i, tag, true);
    dv.setBigUint64(16 * i + 8, val, true);
  });
  const sections = [input.sections[0]!, { ...input.sections[1]!, data, size: data.length }, input.sections[2]!];
  return edit((v) => {
    const dataOffset = v.getBigUint64(PH0 + PHDR_SIZE + 8, true);
    const p = PH0 + 2 * PHDR_SIZE;
    v.setUint16(E_TYPE, 3, true);
    v.setUint32(p, 2, true);
    v.setBigUint64(p + 8, dataOffset, true);
    v.setBigUint64(p + 32, BigInt(data.length), true);
  }, writeElf({ ...input, sections, symbols: [] }));
}

describe('readElf rejects', () => {
  it('bad magic', () => {
    rejects(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /not an ELF file \(bad magic\)/);
    rejects(edit((_, b) => (b[1] = 0x45 + 1)), /bad magic/);
  });

  it.each([0, 3, 4, 15])('truncated inside e_ident (%i bytes)', (n) => {
    rejects(good.subarray(0, n), `truncated ELF header (${n} bytes)`);
  });

  it.each([16, 40, 63])('truncated after e_ident (%i bytes)', (n) => {
    rejects(good.subarray(0, n), `truncated ELF header (${n} of 64 bytes)`);
  });

  it.each([64, 100, 64 + 3 * PHDR_SIZE - 1])('truncated in the program headers (%i bytes)', (n) => {
    rejects(good.subarray(0, n), /program header table \(offset 0x40, size 0xa8\) is out of file bounds/);
  });

  it('truncated in segment data', () => {
    rejects(good.subarray(0, 0x10000 + 6), /segment 0 data \(offset 0x10000, size 0xc\) is out of file bounds \(file is 0x10006 bytes\)/);
  });

  it('truncated in the section headers', () => {
    rejects(good.subarray(0, good.length - 10), /section header table .* is out of file bounds/);
  });

  it('32-bit class', () => {
    rejects(edit((_, b) => (b[4] = 1)), 'not a 64-bit ELF (EI_CLASS 1, 32-bit)');
  });

  it('big-endian', () => {
    rejects(edit((_, b) => (b[5] = 2)), 'not little-endian (EI_DATA 2, big-endian)');
  });

  it('x86-64 machine', () => {
    rejects(edit((v) => v.setUint16(E_MACHINE, 62, true)), 'wrong machine: x86-64 (EM 62), expected AArch64 (EM 183)');
  });

  it('unknown machine', () => {
    rejects(edit((v) => v.setUint16(E_MACHINE, 9999, true)), 'wrong machine: unknown (EM 9999)');
  });

  it('relocatable object', () => {
    rejects(edit((v) => v.setUint16(E_TYPE, 1, true)), 'not an executable (e_type 1)');
  });

  it('program header table offset beyond the file', () => {
    rejects(edit((v) => v.setBigUint64(E_PHOFF, 0xffff_ffff_ffff_fff0n, true)), /program header table .* out of file bounds/);
  });

  it('segment data beyond the file', () => {
    rejects(edit((v) => v.setBigUint64(PH0 + 8, 0x7fff_0000n, true)), /segment 0 data \(offset 0x7fff0000, size 0xc\) is out of file bounds/);
  });

  it('filesz > memsz', () => {
    rejects(edit((v) => v.setBigUint64(PH0 + 40, 4n, true)), 'segment 0: filesz 0xc > memsz 0x4');
  });

  it('segment wrapping the address space', () => {
    rejects(edit((v) => v.setBigUint64(PH0 + 16, 0xffff_ffff_ffff_fff8n, true)), /segment 0: memsz 0xc .* does not fit the address space/);
  });

  it('PT_INTERP', () => {
    rejects(edit((v) => v.setUint32(PH0 + 2 * PHDR_SIZE, 3, true)), 'dynamically linked (has PT_INTERP)');
  });

  it('ET_DYN with dynamic relocations or DT_NEEDED', () => {
    rejects(dynamicWith([[8n, 24n]]), 'has dynamic relocations (DT_RELASZ 0x18)');
    rejects(dynamicWith([[1n, 1n]]), 'dynamically linked (DT_NEEDED)');
  });

  it('no PT_LOAD', () => {
    rejects(
      edit((v) => {
        for (let i = 0; i < 3; i++) v.setUint32(PH0 + i * PHDR_SIZE, 4 /* PT_NOTE */, true);
      }),
      'no PT_LOAD segments',
    );
  });
});

describe('readElf never fails with anything but ElfError', () => {
  // Small file (text only) so every truncation point can be tried.
  const small = writeElf({ ...input, sections: [input.sections[0]!], symbols: [input.symbols[0]!] });
  const tryRead = (bytes: Uint8Array) => {
    try {
      readElf(bytes, 'fuzz');
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
    }
  };

  it('on every truncation', () => {
    // Cuts inside the zero padding before .text all fail alike; skip most of them.
    for (let n = 0; n < small.length; n = n === 0x200 ? 0xff00 : n + 1) tryRead(small.subarray(0, n));
  });

  it('on random byte corruption of the headers and tables', () => {
    let seed = 1;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const tail = small.length - 0x10000;
    for (let round = 0; round < 5000; round++) {
      const bytes = small.slice();
      for (let k = 0; k < 4; k++) {
        const at = rand(2) ? rand(0x100) : 0x10000 + rand(tail);
        bytes[at] = rand(256);
      }
      tryRead(bytes);
    }
  });
});
