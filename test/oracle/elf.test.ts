// readElf and writeElf checked against GNU binutils and qemu-aarch64.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { PF_R, PF_W, PF_X, readElf } from '../../src/elf/read.js';
import { writeElf } from '../../src/elf/write.js';
import { oracleIt } from './tools.js';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';
const OBJDUMP = 'aarch64-linux-gnu-objdump';
const READELF = 'aarch64-linux-gnu-readelf';
const QEMU = 'qemu-aarch64';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-elf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return r;
}

function runOk(cmd: string, args: string[]): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function words(...ws: number[]): Uint8Array {
  const out = new Uint8Array(ws.length * 4);
  ws.forEach((w, i) => new DataView(out.buffer).setUint32(i * 4, w, true));
  return out;
}

function writeExecutable(file: string, bytes: Uint8Array): string {
  const path = join(dir, file);
  writeFileSync(path, bytes, { mode: 0o755 });
  return path;
}

describe('readElf vs readelf on a GNU-linked static binary', () => {
  oracleIt('entry and PT_LOAD segments match readelf -lW', [AS, LD, READELF], () => {
    const src = join(dir, 'gnu.s');
    writeFileSync(
      src,
      [
        '.text',
        '.global _start',
        '_start: adr x1, value',
        '  ldr x0, [x1]',
        '  mov x8, #93',
        '  svc #0',
        '.data',
        'value: .quad 7',
        '.bss',
        'scratch: .skip 256',
        '',
      ].join('\n'),
    );
    runOk(AS, [src, '-o', join(dir, 'gnu.o')]);
    const exe = join(dir, 'gnu');
    runOk(LD, ['-static', join(dir, 'gnu.o'), '-o', exe]);
    const bytes = readFileSync(exe);
    const image = readElf(bytes, exe);

    const listing = runOk(READELF, ['-lW', exe]);
    const entry = /Entry point (0x[0-9a-f]+)/.exec(listing)![1]!;
    expect(image.entry).toBe(BigInt(entry));

    const loads = [...listing.matchAll(/^\s*LOAD\s+(0x\S+)\s+(0x\S+)\s+0x\S+\s+(0x\S+)\s+(0x\S+)\s+([RWE ]+?)\s+0x\S+$/gm)];
    expect(loads.length).toBeGreaterThan(0);
    expect(image.segments).toHaveLength(loads.length);
    loads.forEach(([, offset, vaddr, filesz, memsz, flg], i) => {
      const seg = image.segments[i]!;
      expect(seg.vaddr).toBe(BigInt(vaddr!));
      expect(seg.memsz).toBe(Number(memsz));
      expect(seg.data).toEqual(new Uint8Array(bytes.subarray(Number(offset), Number(offset) + Number(filesz))));
      const flags = (flg!.includes('R') ? PF_R : 0) | (flg!.includes('W') ? PF_W : 0) | (flg!.includes('E') ? PF_X : 0);
      expect(seg.flags).toBe(flags);
    });
    expect(image.symbols.find((s) => s.name === '_start')?.value).toBe(image.entry);
  });
});

describe('readElf on GNU-linked position-independent output', () => {
  oracleIt('rejects a static-pie that needs dynamic relocations', [AS, LD], () => {
    const src = join(dir, 'pie.s');
    writeFileSync(src, ['.text', '.global _start', '_start: b _start', '.data', 'self: .quad self', ''].join('\n'));
    runOk(AS, [src, '-o', join(dir, 'pie.o')]);
    const exe = join(dir, 'pie');
    runOk(LD, ['-static', '-pie', '--no-dynamic-linker', join(dir, 'pie.o'), '-o', exe]);
    expect(() => readElf(readFileSync(exe), exe)).toThrow(/has dynamic relocations \(DT_RELASZ 0x18\)/);
  });
});

describe('writeElf output under binutils and qemu', () => {
  const exit7 = () =>
    writeElf({
      entry: 0x400000n,
      sections: [{ name: '.text', addr: 0x400000n, data: words(0xd28000e0, 0xd2800ba8, 0xd4000001), size: 12, flags: 'rx' }],
      symbols: [
        { name: '_start', value: 0x400000n, global: true, section: '.text' },
        { name: 'do_exit', value: 0x400008n, global: false, section: '.text' },
      ],
    });

  oracleIt('readelf -a accepts it without warnings', [READELF], () => {
    for (const exe of [writeExecutable('exit7', exit7()), writeExecutable('databss', dataBss())]) {
      const r = run(READELF, ['-aW', exe]);
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toMatch(/warning|error/i);
      expect(r.stdout).toMatch(/Type:\s+EXEC/);
      expect(r.stdout).toMatch(/Machine:\s+AArch64/);
    }
  });

  oracleIt('objdump -d disassembles it with symbol names', [OBJDUMP], () => {
    const out = runOk(OBJDUMP, ['-d', writeExecutable('exit7', exit7())]);
    expect(out).toMatch(/0000000000400000 <_start>:/);
    expect(out).toMatch(/400000:\s+d28000e0\s+mov\s+x0, #0x7/);
    expect(out).toMatch(/0000000000400008 <do_exit>:/);
    expect(out).toMatch(/400008:\s+d4000001\s+svc\s+#0x0/);
  });

  oracleIt('qemu-aarch64 runs it and it exits with status 7', [QEMU], () => {
    expect(run(QEMU, [writeExecutable('exit7', exit7())]).status).toBe(7);
  });

  oracleIt('.data is loaded and .bss is zeroed and writable when they share a page', [QEMU], () => {
    expect(run(QEMU, [writeExecutable('databss', dataBss())]).status).toBe(7);
  });
});

/** Exits with .data's 7 plus .bss's 0, after a store/load round trip through .bss. */
function dataBss(): Uint8Array {
  const text = words(
    0xd2a00821, // mov x1, #0x410000
    0xb9400020, // ldr w0, [x1]        (.data: 7)
    0xb9400822, // ldr w2, [x1, #8]    (.bss: 0)
    0x8b020000, // add x0, x0, x2
    0xb9000820, // str w0, [x1, #8]
    0xb9400820, // ldr w0, [x1, #8]
    0xd2800ba8, // mov x8, #93
    0xd4000001, // svc #0
  );
  return writeElf({
    entry: 0x400000n,
    sections: [
      { name: '.text', addr: 0x400000n, data: text, size: text.length, flags: 'rx' },
      { name: '.data', addr: 0x410000n, data: words(7), size: 4, flags: 'rw' },
      { name: '.bss', addr: 0x410008n, data: new Uint8Array(), size: 64, flags: 'rw-nobits' },
    ],
    symbols: [{ name: '_start', value: 0x400000n, global: true, section: '.text' }],
  });
}
