// The data-cache hierarchy of the cycle model: L1D, L2 and an LLC, each set
// associative with LRU replacement, physically indexed and tagged, write-allocate;
// a miss everywhere costs the memory latency. Loads, stores and translation table
// walks all go through it, so a walk's descriptor fetches compete with the data
// for the same lines. Timing only: data lives in RAM, never in these arrays.
import type { CacheLevelTiming, Timing } from '../spec/timing.js';

export interface CacheStats { hits: number; misses: number }

/** One set-associative level: the line tags and their last-use stamps, way by way within a set. */
export class CacheLevel {
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  readonly latency: number;
  private readonly sets: number;
  private readonly ways: number;
  private readonly tags: Float64Array;
  private readonly stamps: Float64Array;
  /** Per set, the way used last: a hit there needs no scan and no new stamp (it is already the most recent). */
  private readonly mru: Int32Array;
  private clock = 0;

  constructor(cfg: CacheLevelTiming, lineBytes: number) {
    this.ways = cfg.ways;
    this.sets = (cfg.sizeKiB * 1024) / lineBytes / cfg.ways;
    this.latency = cfg.latency;
    this.tags = new Float64Array(this.sets * this.ways).fill(-1);
    this.stamps = new Float64Array(this.sets * this.ways);
    this.mru = Int32Array.from({ length: this.sets }, (_, set) => set * this.ways);
  }

  /** Looks up a line (its number: PA / line size); on a miss the LRU way of its set is refilled with it. */
  access(line: number): boolean {
    const ways = this.ways, tags = this.tags, stamps = this.stamps;
    const set = line % this.sets;
    if (tags[this.mru[set]!] === line) {
      this.stats.hits++;
      return true;
    }
    const base = set * ways;
    const now = ++this.clock;
    let victim = base;
    for (let i = base; i < base + ways; i++) {
      if (tags[i] === line) {
        stamps[i] = now;
        this.mru[set] = i;
        this.stats.hits++;
        return true;
      }
      if (stamps[i]! < stamps[victim]!) victim = i;
    }
    tags[victim] = line;
    stamps[victim] = now;
    this.mru[set] = victim;
    this.stats.misses++;
    return false;
  }

  /** Drops a line if the level holds it (DC CIVAC/IVAC); its way becomes the set's first victim. */
  invalidate(line: number): void {
    const base = (line % this.sets) * this.ways;
    for (let i = base; i < base + this.ways; i++) {
      if (this.tags[i] === line) {
        this.tags[i] = -1;
        this.stamps[i] = 0;
      }
    }
  }
}

export class CacheHierarchy {
  readonly l1d: CacheLevel;
  readonly l2: CacheLevel;
  readonly llc: CacheLevel;
  readonly enabled: boolean;
  /** Accesses that missed every level. */
  memoryAccesses = 0;
  private readonly lineBytes: number;
  private readonly memoryLatency: number;
  private readonly perfect: number;

  constructor(t: Pick<Timing, 'cache' | 'memory'>) {
    const c = t.cache;
    this.enabled = c.enabled;
    this.lineBytes = c.lineBytes;
    this.l1d = new CacheLevel(c.l1d, c.lineBytes);
    this.l2 = new CacheLevel(c.l2, c.lineBytes);
    this.llc = new CacheLevel(c.llc, c.lineBytes);
    this.memoryLatency = t.memory.latency;
    this.perfect = c.l1d.latency;
  }

  /** Invalidates the line holding `pa` at every level (data cache maintenance by VA to the point of coherency). */
  invalidate(pa: number): void {
    const line = Math.floor(pa / this.lineBytes);
    this.l1d.invalidate(line);
    this.l2.invalidate(line);
    this.llc.invalidate(line);
  }

  /** Cycles of an access to physical address `pa` (reads and writes alike: a blocking, write-allocate model). */
  access(pa: number): number {
    if (!this.enabled) return this.perfect;
    const line = Math.floor(pa / this.lineBytes);
    if (this.l1d.access(line)) return this.l1d.latency;
    if (this.l2.access(line)) return this.l2.latency;
    if (this.llc.access(line)) return this.llc.latency;
    this.memoryAccesses++;
    return this.memoryLatency;
  }
}
