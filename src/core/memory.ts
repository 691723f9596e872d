// What the CPU needs from memory: pages. Translation (none in user mode, the
// MMU in full-system mode) happens in the `AddressSpace` behind the CPU's
// host-side TLB; RAM is handed out in 4 KiB pages that also carry the decoded
// instructions of the code they hold.
import type { Block } from './block.js';

export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;

export class Page {
  readonly view: DataView;
  /** Decoded basic blocks by the word they start at; null until code runs from this page. */
  decoded: (Block | undefined)[] | null = null;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, PAGE_SIZE);
  }
}

export const enum Access { Read = 0, Write = 1, Fetch = 2 }

/** Maps a virtual page number to the page behind it, or throws the architectural fault. */
export interface AddressSpace {
  /** `va` is the faulting address (signed-64 Number) for the fault report. */
  lookup(vpn: number, access: Access, va: number): Page;
}
