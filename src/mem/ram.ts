// Guest RAM. Backing store is allocated on first touch in 2 MiB chunks, so a
// multi-GiB guest costs host memory only for what it uses (and the host
// kernel zero-fills lazily inside a chunk too). Each 4 KiB page is handed out
// as one `Page` object for its lifetime: the CPU caches decoded code on it.
// The pages are indexed by page number in one flat array: `page()` is on the
// memory path of every table walk fetch and every host-TLB refill.
import { Page, PAGE_SIZE } from '../core/memory.js';

const CHUNK_SIZE = 2 << 20;
const PAGES_PER_CHUNK = CHUNK_SIZE / PAGE_SIZE;


const hex = (n: number) => `0x${n.toString(16)}`;

export class Ram {
  readonly end: number;
  /** Backing store by 2 MiB chunk, allocated on first touch. */
  private readonly chunks: (Uint8Array | undefined)[];
  /** Pages by page number from `base`, made on first use. */
  private readonly pages: (Page | undefined)[];
  private chunkBytes = 0;

  constructor(readonly base: number, readonly size: number) {
    if (!Number.isSafeInteger(base) || base < 0 || base % PAGE_SIZE !== 0) throw new Error(`RAM base ${base} is not a 4 KiB-aligned address`);
    if (!Number.isSafeInteger(size) || size <= 0 || size % PAGE_SIZE !== 0) throw new Error(`RAM size ${size} is not a positive multiple of 4 KiB`);
    this.end = base + size;
    this.chunks = new Array<Uint8Array | undefined>(Math.ceil(size / CHUNK_SIZE)).fill(undefined);
    this.pages = new Array<Page | undefined>(size / PAGE_SIZE).fill(undefined);
  }

  /** The page holding `pa`, allocated on first use; undefined outside RAM. */
  page(pa: number): Page | undefined {
    const off = pa - this.base;
    if (!(off >= 0 && off < this.size)) return undefined;
    const n = Math.floor(off / PAGE_SIZE);
    return this.pages[n] ?? this.newPage(n);
  }

  private newPage(n: number): Page {
    const ci = Math.floor(n / PAGES_PER_CHUNK), pi = n % PAGES_PER_CHUNK;
    const bytes = (this.chunks[ci] ??= this.allocChunk(ci));
    return (this.pages[n] = new Page(bytes.subarray(pi * PAGE_SIZE, (pi + 1) * PAGE_SIZE), this.base + n * PAGE_SIZE));
  }

  /** Copies `bytes` to [pa, pa+length); throws naming the range if any of it is outside RAM. */
  load(pa: number, bytes: Uint8Array): void {
    if (!(pa >= this.base && pa + bytes.length <= this.end)) {
      throw new Error(`cannot load [${hex(pa)}, ${hex(pa + bytes.length)}): outside RAM [${hex(this.base)}, ${hex(this.end)})`);
    }
    for (let i = 0; i < bytes.length; ) {
      const a = pa + i;
      const page = this.page(a)!;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, bytes.length - i);
      page.bytes.set(bytes.subarray(i, i + n), off);
      page.decoded = null; // code cached from the old contents is stale
      i += n;
    }
  }

  /** Host bytes allocated so far (for statistics, and to check laziness). */
  get allocatedBytes(): number {
    return this.chunkBytes;
  }

  private allocChunk(ci: number): Uint8Array {
    const len = Math.min(CHUNK_SIZE, this.size - ci * CHUNK_SIZE);
    this.chunkBytes += len;
    return new Uint8Array(len);
  }
}
