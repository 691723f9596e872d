// A Linux process's address space for user-mode runs: sparse 4 KiB pages
// with read/write/execute permissions. A miss or a permission violation is the
// architectural abort a real kernel would turn into SIGSEGV.
import { ArchException, EC } from '../core/exception.js';
import { Access, Page, PAGE_SIZE, type AddressSpace } from '../core/memory.js';

export const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const FSC_TRANSLATION_L3 = 0b000111;
const FSC_PERMISSION_L3 = 0b001111;

/** A mapped page; its memory is allocated on first touch, so large mappings cost nothing until used. */
interface Mapping { page: Page | null; prot: number }

export class UserSpace implements AddressSpace {
  private readonly map = new Map<number, Mapping>();
  /** Called when mappings change, so the CPU drops its cached translations. */
  onChange: () => void = () => {};

  lookup(vpn: number, access: Access, va: number): Page {
    const m = this.map.get(vpn);
    const need = access === Access.Write ? PROT_WRITE : access === Access.Fetch ? PROT_EXEC : PROT_READ;
    if (m && m.prot & need) return (m.page ??= new Page(new Uint8Array(PAGE_SIZE)));
    const fsc = m ? FSC_PERMISSION_L3 : FSC_TRANSLATION_L3;
    const far = BigInt.asUintN(64, BigInt(va));
    if (access === Access.Fetch) throw new ArchException(EC.IABT_LOWER, fsc, -1, far);
    throw new ArchException(EC.DABT_LOWER, fsc | (access === Access.Write ? 1 << 6 : 0), -1, far);
  }

  /** Maps [addr, addr+len) (page-rounded) with fresh zeroed pages; existing pages are replaced. */
  mapZero(addr: number, len: number, prot: number): void {
    for (let p = Math.floor(addr / PAGE_SIZE); p * PAGE_SIZE < addr + len; p++) this.map.set(p, { page: null, prot });
    this.onChange();
  }
  unmap(addr: number, len: number): void {
    for (let p = Math.floor(addr / PAGE_SIZE); p * PAGE_SIZE < addr + len; p++) this.map.delete(p);
    this.onChange();
  }
  protect(addr: number, len: number, prot: number): boolean {
    for (let p = Math.floor(addr / PAGE_SIZE); p * PAGE_SIZE < addr + len; p++) {
      const m = this.map.get(p);
      if (!m) return false;
      m.prot = prot;
    }
    this.onChange();
    return true;
  }
  isMapped(addr: number): boolean {
    return this.map.has(Math.floor(addr / PAGE_SIZE));
  }
  /** Copies bytes in, ignoring permissions (the loader and the kernel do this). */
  poke(addr: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; ) {
      const a = addr + i;
      const m = this.map.get(Math.floor(a / PAGE_SIZE));
      if (!m) throw new Error(`poke to unmapped address 0x${a.toString(16)}`);
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, bytes.length - i);
      m.page ??= new Page(new Uint8Array(PAGE_SIZE));
      m.page.bytes.set(bytes.subarray(i, i + n), off);
      m.page.decoded = null;
      i += n;
    }
  }
  /** Copies bytes out, ignoring permissions; undefined if any byte is unmapped. */
  peek(addr: number, len: number): Uint8Array | undefined {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; ) {
      const a = addr + i;
      const m = this.map.get(Math.floor(a / PAGE_SIZE));
      if (!m) return undefined;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, len - i);
      if (m.page) out.set(m.page.bytes.subarray(off, off + n), i);
      i += n;
    }
    return out;
  }
}
