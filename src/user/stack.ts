// The initial stack of a Linux process, laid out as the kernel's
// create_elf_tables() does: argc, argv[], NULL, envp[], NULL, auxv pairs,
// AT_NULL, then the strings and AT_RANDOM bytes above them.
import type { ElfImage } from '../elf/read.js';

export const AT = { NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, HWCAP2: 26, EXECFN: 31 } as const;

/** Builds the stack image ending at `top`; returns the bytes (placed at top - bytes.length) and the initial SP. */
export function buildStack(top: number, argv: string[], envp: string[], elf: ElfImage, hwcap: bigint): { bytes: Uint8Array; sp: number } {
  const enc = new TextEncoder();
  const strings: number[] = [];
  const blob: number[] = [];
  const put = (s: string) => { strings.push(blob.length); blob.push(...enc.encode(s), 0); };
  argv.forEach(put);
  envp.forEach(put);
  put('aarch64');
  const randomOff = blob.length;
  for (let i = 0; i < 16; i++) blob.push((i * 37 + 11) & 0xff); // fixed: runs are reproducible
  const blobBase = Math.floor((top - blob.length) / 16) * 16;
  const addr = (i: number) => BigInt(blobBase + strings[i]);
  const auxv: [number, bigint][] = [
    [AT.PHDR, elf.phdrAddr], [AT.PHENT, BigInt(elf.phent)], [AT.PHNUM, BigInt(elf.phnum)], [AT.PAGESZ, 4096n], [AT.BASE, 0n],
    [AT.FLAGS, 0n], [AT.ENTRY, elf.entry], [AT.UID, 0n], [AT.EUID, 0n], [AT.GID, 0n], [AT.EGID, 0n], [AT.HWCAP, hwcap],
    [AT.CLKTCK, 100n], [AT.SECURE, 0n], [AT.RANDOM, BigInt(blobBase + randomOff)], [AT.EXECFN, addr(0)],
    [AT.PLATFORM, addr(argv.length + envp.length)], [AT.NULL, 0n],
  ];
  const words: bigint[] = [BigInt(argv.length), ...argv.map((_, i) => addr(i)), 0n, ...envp.map((_, i) => addr(argv.length + i)), 0n, ...auxv.flatMap(([k, v]) => [BigInt(k), v])];
  const sp = Math.floor((blobBase - words.length * 8) / 16) * 16;
  const bytes = new Uint8Array(top - sp);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, w, true));
  bytes.set(blob, blobBase - sp);
  return { bytes, sp };
}
