// What the CPU needs from memory: pages. Translation (none in user mode, the
// MMU in full-system mode) happens in the `AddressSpace` behind the CPU's
// host-side TLB; RAM is handed out in 4 KiB pages that also carry the decoded
// instructions of the code they hold.

export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;

/** Registers of a device behind a page: accesses have side effects, so they are never cached. */
export interface Mmio {
  read(offset: number, size: number): bigint;
  write(offset: number, size: number, value: bigint): void;
}

const NO_BYTES = new Uint8Array(PAGE_SIZE);

export class Page {
  readonly view: DataView;
  /**
   * The CPU's decoded basic blocks (core/block.ts) by the word they start at; null until code runs
   * from this page. The CPU that fills it types it: memory does not depend on the CPU.
   */
  decoded: unknown[] | null = null;
  /** Set for a page of device registers: accesses go to mmio at mmioBase + offset in page. */
  mmio: Mmio | null = null;
  mmioBase = 0;
  /** @param pa physical address of the page (what the cache model indexes by) */
  constructor(readonly bytes: Uint8Array, readonly pa = 0) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, PAGE_SIZE);
  }
  /** A page of device registers starting at offset `base` within the device. */
  static device(mmio: Mmio, base: number): Page {
    const p = new Page(NO_BYTES);
    p.mmio = mmio;
    p.mmioBase = base;
    return p;
  }
}

export const enum Access { Read = 0, Write = 1, Fetch = 2 }

/**
 * What a lookup tells the host-side TLB besides the page (the CPU resets it before each lookup):
 * the TLB model's entry behind the translation, which the host TLB keeps with its copy (-1: none),
 * and whether a write at the same EL may use the same translation (then one lookup fills both sides).
 */
export class HostFill {
  entry = -1;
  writable = false;
}

/** Maps a virtual page number to the page behind it, or throws the architectural fault. */
export interface AddressSpace {
  /** `va` is the faulting address (signed-64 Number) for the fault report; `fill` receives what the host TLB keeps. */
  lookup(vpn: number, access: Access, va: number, fill: HostFill): Page;
}

/**
 * The cycle model of the memory system, told about every access the CPU makes, host-TLB hits
 * included (full-system runs; user-mode runs have none).
 */
export interface AccessTiming {
  /** A load or store at physical address `pa`, translated by L1 D TLB entry `tlb` (-1: untranslated, or already looked up); returns its cycles. */
  data(tlb: number, pa: number, write: boolean): number;
  /** A basic block fetched from a page translated by L1 I TLB entry `tlb` (-1: none); returns its cycles. */
  fetch(tlb: number): number;
}
