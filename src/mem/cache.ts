// The data-cache hierarchy of the cycle model: L1D, L2 and an LLC, each set
// associative with LRU replacement, physically indexed and tagged, write-allocate;
// a miss everywhere costs the memory latency. Loads, stores and translation table
// walks all go through it, so a walk's descriptor fetches compete with the data
// for the same lines. Timing only: data lives in RAM, never in these arrays.
//
// Around the arrays, the first-order timing of an out-of-order core's memory
// system (`data()`; table walks use the blocking `access()`):
//  - a store buffer (storeBuffer.entries): stores retire at once and drain at the
//    hierarchy's pace; a store waits only when the buffer is full; a load of a
//    buffered doubleword is forwarded (the L1 latency); barriers and exceptions
//    wait for the drain (`drain()`);
//  - memory-level parallelism (memory.mlp, memory.mlpWindow): an interval model,
//    see `loadMiss()`;
//  - stride prefetchers into L1D and L2 (prefetch.{l1d,l2}), trained on the
//    demand miss stream, see `train()`.
// Everything is a pure function of the access sequence and the cycle at which
// each access issues, so a run is as deterministic as before.
import type { CacheLevelTiming, PrefetcherTiming, Timing } from '../spec/timing.js';
import { setMaskOf, setOf } from './set-index.js';

export interface CacheStats { hits: number; misses: number }
export interface PrefetchStats {
  /** Lines requested by a prefetcher (not already in the level it fills). */
  issued: number;
  /** Prefetched lines a demand access used. */
  useful: number;
  /** Useful prefetches that had not arrived yet when the demand access came (it waited for the rest). */
  late: number;
}

/**
 * One set-associative level: the line tags and their last-use stamps, way by way within a set.
 * Way i's tag and stamp are neighbours (`tagStamp[2i]`, `[2i + 1]`): a miss scans both over its
 * set, and in one array a set is one run of host memory, not two far apart (the L2 and the LLC
 * are megabytes of tags, so host cache misses are much of what a lookup costs).
 */
export class CacheLevel {
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  readonly latency: number;
  private readonly sets: number;
  private readonly ways: number;
  private readonly tagStamp: Float64Array;
  /** Per set, the way used last: a hit there needs no scan and no new stamp (it is already the most recent). */
  private readonly mru: Int32Array;
  private clock = 0;
  /** The way the last `access()` hit or refilled. */
  lastWay = 0;
  /** Per way: the cycle its line arrives (a store's or a prefetch's fill in flight until then). */
  readonly ready: Float64Array;
  /** Per way: 1 while a prefetched line waits for its first demand access. */
  readonly prefetched: Uint8Array;
  /** setMaskOf(sets). */
  private readonly setMask: number;

  constructor(cfg: CacheLevelTiming, lineBytes: number) {
    this.ways = cfg.ways;
    this.sets = (cfg.sizeKiB * 1024) / lineBytes / cfg.ways;
    this.setMask = setMaskOf(this.sets);
    this.latency = cfg.latency;
    this.tagStamp = new Float64Array(2 * this.sets * this.ways);
    for (let i = 0; i < this.tagStamp.length; i += 2) this.tagStamp[i] = -1;
    this.mru = new Int32Array(this.sets);
    for (let set = 0; set < this.sets; set++) this.mru[set] = set * this.ways;
    this.ready = new Float64Array(this.sets * this.ways);
    this.prefetched = new Uint8Array(this.sets * this.ways);
  }

  /**
   * The way holding `line` (a line is in one way at most), or -1; changes neither the LRU order
   * nor the stats. The set's most recent way first: a prefetcher asks again for the lines it
   * just brought.
   */
  find(line: number): number {
    const set = setOf(line, this.sets, this.setMask), ts = this.tagStamp, mru = this.mru[set]!;
    if (ts[2 * mru] === line) return mru;
    const base = set * this.ways;
    for (let i = base; i < base + this.ways; i++) if (ts[2 * i] === line) return i;
    return -1;
  }

  /** Installs `line` (not present) as a prefetch fill arriving at cycle `ready`; not a demand access, so no stats. */
  fill(line: number, ready: number, prefetched: boolean): void {
    const set = setOf(line, this.sets, this.setMask), base = set * this.ways, ts = this.tagStamp;
    let victim = base;
    for (let i = base + 1; i < base + this.ways; i++) if (ts[2 * i + 1]! < ts[2 * victim + 1]!) victim = i;
    ts[2 * victim] = line;
    ts[2 * victim + 1] = ++this.clock;
    this.mru[set] = victim;
    this.ready[victim] = ready;
    this.prefetched[victim] = prefetched ? 1 : 0;
  }

  /** Looks up a line (its number: PA / line size); on a miss the LRU way of its set is refilled with it. */
  access(line: number): boolean {
    const ways = this.ways, ts = this.tagStamp;
    const set = setOf(line, this.sets, this.setMask);
    const mru = this.mru[set]!;
    if (ts[2 * mru] === line) {
      this.lastWay = mru;
      this.stats.hits++;
      return true;
    }
    const base = set * ways, end = 2 * (base + ways);
    const now = ++this.clock;
    // one pass finds the line or, failing that, the way used longest ago (its stamp kept in a local)
    let victim = 2 * base, oldest = ts[victim + 1]!;
    for (let k = 2 * base; k < end; k += 2) {
      if (ts[k] === line) {
        ts[k + 1] = now;
        const i = k >>> 1;
        this.mru[set] = i;
        this.lastWay = i;
        this.stats.hits++;
        return true;
      }
      const stamp = ts[k + 1]!;
      if (stamp < oldest) {
        oldest = stamp;
        victim = k;
      }
    }
    victim >>>= 1;
    ts[2 * victim] = line;
    ts[2 * victim + 1] = now;
    this.mru[set] = victim;
    this.lastWay = victim;
    this.ready[victim] = 0;
    this.prefetched[victim] = 0;
    this.stats.misses++;
    return false;
  }

  /** Drops a line if the level holds it (DC CIVAC/IVAC); its way becomes the set's first victim. */
  invalidate(line: number): void {
    const w = this.find(line);
    if (w < 0) return;
    this.tagStamp[2 * w] = -1;
    this.tagStamp[2 * w + 1] = 0;
  }
}

/** A prefetcher's settings with the model's defaults (off) where a timing object has none. */
const PREFETCH_OFF: PrefetcherTiming = { enabled: false, degree: 1, distance: 1 };
/** Stride-detector entries (one per 4 KiB page recently missed in, direct mapped by page number); a power of two. */
const STREAMS = 16;

export class CacheHierarchy {
  readonly l1d: CacheLevel;
  readonly l2: CacheLevel;
  readonly llc: CacheLevel;
  readonly enabled: boolean;
  /** Line fills from memory (accesses that missed every level, and prefetches memory served). */
  memoryAccesses = 0;
  readonly prefetch: PrefetchStats = { issued: 0, useful: 0, late: 0 };
  private readonly lineBytes: number;
  private readonly memoryLatency: number;
  private readonly perfect: number;
  private readonly l1Latency: number;
  /** The cycles of a load's issue its instruction class already charged (`classes.load`): the latencies are load-to-use. */
  private readonly issueCycles: number;
  private readonly l2Latency: number;
  private readonly llcLatency: number;
  private readonly linesPerPage: number;
  // store buffer: a ring of (line, doublewords of it written, cycle its write completes), completions in order
  private readonly sbEntries: number;
  private readonly sbLine: Float64Array;
  private readonly sbWords: Uint32Array;
  private readonly sbDone: Float64Array;
  private sbHead = 0;
  private sbCount = 0;
  /** Completion cycle of the youngest buffered store (the drain's end). */
  private sbLast = 0;
  /** Completion cycles of the last `mlp` store misses (a ring): store misses in flight at once are bounded like loads'. */
  private readonly storeMiss: Float64Array;
  private storeMissNext = 0;
  // memory-level parallelism: the open group of overlapping load misses
  private readonly mlp: number;
  private readonly mlpWindow: number;
  private groupLead = -Infinity;
  private groupStall = 0;
  private groupCount = 0;
  /** The low 32 bits of the value the last load returned (for the dependence test). */
  private lastLoadValue = 0;
  private lastLoadValid = false;
  // prefetchers
  private readonly pf1: PrefetcherTiming;
  private readonly pf2: PrefetcherTiming;
  private readonly stPage = new Float64Array(STREAMS).fill(-1);
  private readonly stLast = new Float64Array(STREAMS);
  private readonly stStride = new Float64Array(STREAMS);
  /** Whether the last demand lookup missed in L1D. */
  private missed = false;

  constructor(t: Pick<Timing, 'cache' | 'memory'> & Partial<Pick<Timing, 'storeBuffer' | 'prefetch' | 'classes'>>) {
    const c = t.cache;
    this.enabled = c.enabled;
    this.lineBytes = c.lineBytes;
    this.l1d = new CacheLevel(c.l1d, c.lineBytes);
    this.l2 = new CacheLevel(c.l2, c.lineBytes);
    this.llc = new CacheLevel(c.llc, c.lineBytes);
    this.memoryLatency = t.memory.latency;
    this.issueCycles = Math.min(t.classes?.load ?? 0, c.l1d.latency);
    this.perfect = c.l1d.latency;
    this.l1Latency = c.l1d.latency;
    this.l2Latency = c.l2.latency;
    this.llcLatency = c.llc.latency;
    this.linesPerPage = Math.max(1, Math.floor(4096 / c.lineBytes));
    this.sbEntries = t.storeBuffer?.entries ?? 0;
    this.sbLine = new Float64Array(this.sbEntries);
    this.sbWords = new Uint32Array(this.sbEntries);
    this.sbDone = new Float64Array(this.sbEntries);
    this.mlp = Math.max(1, t.memory.mlp ?? 1);
    this.mlpWindow = t.memory.mlpWindow ?? 0;
    this.storeMiss = new Float64Array(this.mlp);
    this.pf1 = t.prefetch?.l1d ?? PREFETCH_OFF;
    this.pf2 = t.prefetch?.l2 ?? PREFETCH_OFF;
  }

  /** Invalidates the line holding `pa` at every level (data cache maintenance by VA to the point of coherency). */
  invalidate(pa: number): void {
    const line = Math.floor(pa / this.lineBytes);
    this.l1d.invalidate(line);
    this.l2.invalidate(line);
    this.llc.invalidate(line);
  }

  /**
   * Cycles of a blocking access to physical address `pa`, reads and writes alike: what a table
   * walk's descriptor fetch costs (a walk is a chain of dependent loads, so it never overlaps,
   * never goes through the store buffer and does not train the prefetchers).
   */
  access(pa: number): number {
    if (!this.enabled) return this.perfect;
    return this.lookup(Math.floor(pa / this.lineBytes), -1);
  }

  /** The demand lookup: latency of the level that has the line (the whole hierarchy's on a miss); trains the prefetchers when `now` >= 0. */
  private lookup(line: number, now: number): number {
    const l1 = this.l1d;
    this.missed = false;
    if (l1.access(line)) {
      const w = l1.lastWay;
      if (l1.prefetched[w] === 0) {
        const r = l1.ready[w]!;
        return r > now && now >= 0 ? Math.max(this.l1Latency, r - now) : this.l1Latency;
      }
      return this.prefetchHit(l1, w, line, now, this.l1Latency);
    }
    this.missed = true;
    if (now >= 0) this.train(line, now);
    if (this.l2.access(line)) {
      const l2 = this.l2, w = l2.lastWay;
      if (l2.prefetched[w] === 0) return this.l2Latency;
      return this.prefetchHit(l2, w, line, now, this.l2Latency);
    }
    if (this.llc.access(line)) return this.llcLatency;
    this.memoryAccesses++;
    return this.memoryLatency;
  }

  /** The first demand use of a prefetched line: useful, late if it has not arrived; it trains the prefetchers as the miss it saved would have. */
  private prefetchHit(level: CacheLevel, w: number, line: number, now: number, latency: number): number {
    level.prefetched[w] = 0;
    this.prefetch.useful++;
    const r = level.ready[w]!;
    let cost = latency;
    if (r > now && now >= 0) {
      this.prefetch.late++;
      cost = Math.max(latency, r - now);
    }
    if (now >= 0 && level === this.l1d) this.train(line, now);
    return cost;
  }

  /**
   * Cycles a load or store at `pa` issued at cycle `now` costs the core beyond its issue (the
   * instruction class's cost). A store costs nothing unless the buffer is full. A load that hits
   * L1 (or is forwarded from a buffered store to its doubleword) is pipelined: an out-of-order
   * core overlaps its latency with the instructions around it (A72 TRM 6.4: loads hit under
   * misses), so it costs only a wait for a line still arriving, unless its address depends on the
   * previous load's value: then the load-to-use latency is on the critical path and paid whole
   * (pointer chasing). The presets' latencies are load-to-use, as lat_mem_rd and the TRMs give
   * them, so a load pays them less the issue cycles its instruction class already charged. A load that misses L1 overlaps earlier misses as `loadMiss()` decides.
   * `data` is the 4 KiB page of RAM holding pa: the load's value is kept for the next load's
   * dependence test (null: the next load is taken as dependent).
   */
  data(pa: number, write: boolean, now: number, data: DataView | null = null): number {
    if (!this.enabled) return this.perfect;
    const line = Math.floor(pa / this.lineBytes);
    if (this.sbCount !== 0) this.retire(now);
    if (write && this.sbEntries !== 0) return this.store(pa, line, now);
    let lat = this.lookup(line, now);
    if (write) return lat;
    const dependent = this.dependent(pa);
    if (data !== null) {
      this.lastLoadValue = data.getUint32(pa & 0xffc, true);
      this.lastLoadValid = true;
    } else this.lastLoadValid = false;
    if (this.sbCount !== 0 && this.buffered(pa, line)) lat = this.l1Latency;
    else if (this.missed) return this.loadMiss(lat - this.issueCycles, now, dependent);
    return dependent ? lat - this.issueCycles : lat - this.l1Latency;
  }

  /** Drops the stores that have completed by cycle `now`. */
  private retire(now: number): void {
    while (this.sbCount !== 0 && this.sbDone[this.sbHead]! <= now) {
      this.sbHead = this.sbHead + 1 === this.sbEntries ? 0 : this.sbHead + 1;
      this.sbCount--;
    }
  }

  /** The bit of `pa`'s doubleword within its line (lines of up to 256 bytes). */
  private wordBit(pa: number): number {
    return 1 << (((pa % this.lineBytes) >>> 3) & 31);
  }

  /** Whether a buffered store wrote `pa`'s doubleword (a load of it is forwarded). */
  private buffered(pa: number, line: number): boolean {
    // the ring is walked without `%` (an integer division per step, in the hot path of every load)
    const lines = this.sbLine, n = this.sbEntries;
    for (let i = 0, j = this.sbHead; i < this.sbCount; i++, j = j + 1 === n ? 0 : j + 1) {
      if (lines[j] === line) return (this.sbWords[j]! & this.wordBit(pa)) !== 0;
    }
    return false;
  }

  /**
   * A store enters the buffer (after waiting for its oldest entry when full) and completes when its
   * line is written: at once plus the L1 latency on a hit; on a miss when the fill arrives, the fill
   * starting once fewer than `memory.mlp` store misses are in flight. Entries complete in order.
   * A store to the line of the youngest entry merges into it (Arm's store buffers merge stores to
   * one line, e.g. Cortex-R5 TRM 5.9.2; the A57/A72 TRMs do not say how): a stream of stores takes
   * one entry and one fill per line, not one per doubleword.
   */
  private store(pa: number, line: number, now: number): number {
    if (this.sbCount !== 0) {
      const end = this.sbHead + this.sbCount - 1, youngest = end >= this.sbEntries ? end - this.sbEntries : end;
      if (this.sbLine[youngest] === line) {
        this.sbWords[youngest]! |= this.wordBit(pa);
        return 0;
      }
    }
    let wait = 0;
    if (this.sbCount === this.sbEntries) {
      const head = this.sbDone[this.sbHead]!;
      wait = Math.max(0, head - now);
      now += wait;
      this.retire(now);
    }
    const lat = this.lookup(line, now);
    let done: number;
    if (!this.missed) done = now + lat;
    else {
      const slot = this.storeMissNext;
      const start = Math.max(now, this.storeMiss[slot]!);
      done = start + lat;
      this.storeMiss[slot] = done;
      this.storeMissNext = slot + 1 === this.mlp ? 0 : slot + 1;
      // a load of another word of the line waits for the fill
      const l1 = this.l1d;
      l1.ready[l1.find(line)] = done;
    }
    done = Math.max(done, this.sbLast);
    this.sbLast = done;
    const end = this.sbHead + this.sbCount, tail = end >= this.sbEntries ? end - this.sbEntries : end;
    this.sbLine[tail] = line;
    this.sbWords[tail] = this.wordBit(pa);
    this.sbDone[tail] = done;
    this.sbCount++;
    return wait;
  }

  /**
   * Memory-level parallelism as an interval model (Karkhanis and Smith, ISCA 2004; Eyerman et
   * al., TOCS 2009). The core here is a blocking one: each miss is charged to the clock when it
   * issues. An out-of-order core instead keeps running past a missing load until its reorder
   * buffer fills, and the independent misses it meets meanwhile go to memory in the shadow of the
   * first. So the first miss of a group (the lead) costs its full latency, and a later load miss
   * issued while the group is open (fewer than `memory.mlp` misses in it, and no more than
   * `memory.mlpWindow` cycles of other work since the lead: the reorder buffer's reach) would on
   * hardware have issued that much earlier, overlapping the lead; it costs only what its latency
   * exceeds the stall the group has already charged. A load that depends on a missing load cannot
   * issue before the data returns, so it starts a new group (`dependent()`). Table walks never
   * reach here: they stay blocking. Barriers and exceptions close the group.
   */
  private loadMiss(lat: number, now: number, dependent: boolean): number {
    let cost = lat;
    const h = now - this.groupStall; // when the load would have issued had the group's misses not stalled the core
    if (this.groupCount !== 0 && this.groupCount < this.mlp && h - this.groupLead <= this.mlpWindow && !dependent) {
      cost = Math.max(0, lat - this.groupStall);
      this.groupStall += cost;
      this.groupCount++;
    } else {
      this.groupLead = now;
      this.groupStall = lat;
      this.groupCount = 1;
    }
    return cost;
  }

  /**
   * Whether a load at `pa` waits for the previous load's value. The core does not tell this model
   * which register an address came from, so dependence is taken from the data: a load whose line
   * within its page equals the previous load's value, read as a byte address, a doubleword index
   * or a 64-byte-node index, is taken to be dependent (pointer chasing through pointers or
   * indices). A chance match only makes an independent load serial; a dependence through a load
   * further back, or through arithmetic on the value, is missed.
   */
  private dependent(pa: number): boolean {
    if (!this.lastLoadValid) return true;
    const lineInPage = (pa & 0xfff) >>> 6, v = this.lastLoadValue;
    return ((v & 0xfff) >>> 6) === lineInPage || (((v << 3) & 0xfff) >>> 6) === lineInPage || (((v << 6) & 0xfff) >>> 6) === lineInPage;
  }

  /**
   * Cycles until every buffered store has completed, from cycle `now` (DMB, DSB, exception
   * entry); the buffer is then empty and the miss group closed.
   */
  drain(now: number): number {
    const wait = this.sbCount !== 0 ? Math.max(0, this.sbLast - now) : 0;
    this.sbCount = 0;
    this.groupCount = 0;
    return wait;
  }

  /**
   * Trains the stride prefetchers on a demand miss in L1D (or the first use of a line a prefetch
   * brought, the miss it saved). Per 4 KiB page a detector keeps the last line and stride; a
   * stride seen twice in a row issues `degree` lines `distance` strides ahead into L1D (and the L2
   * prefetcher its own, further ahead, into L2), never across the page (the next page's frame is
   * unknown). A random stream rarely repeats a stride within a page, so it stays quiet.
   */
  private train(line: number, now: number): void {
    if (!this.pf1.enabled && !this.pf2.enabled) return;
    const page = Math.floor(line / this.linesPerPage), e = page & (STREAMS - 1);
    if (this.stPage[e] !== page) {
      this.stPage[e] = page;
      this.stLast[e] = line;
      this.stStride[e] = 0;
      return;
    }
    const d = line - this.stLast[e]!;
    if (d === 0) return;
    this.stLast[e] = line;
    if (d !== this.stStride[e]) {
      this.stStride[e] = d;
      return;
    }
    if (this.pf1.enabled) this.issue(line, d, page, this.pf1, true, now);
    if (this.pf2.enabled) this.issue(line, d, page, this.pf2, false, now);
  }

  private issue(line: number, stride: number, page: number, p: PrefetcherTiming, intoL1: boolean, now: number): void {
    for (let i = 0; i < p.degree; i++) {
      const target = line + stride * (p.distance + i);
      if (Math.floor(target / this.linesPerPage) !== page) return;
      if (intoL1) this.prefetchL1(target, now);
      else this.prefetchL2(target, now);
    }
  }

  private prefetchL1(line: number, now: number): void {
    if (this.l1d.find(line) >= 0) return;
    this.prefetch.issued++;
    const w = this.l2.find(line);
    const arrives = w >= 0 ? Math.max(now + this.l2Latency, this.l2.ready[w]!) : now + this.beyondL2(line, now);
    this.l1d.fill(line, arrives, true);
  }

  private prefetchL2(line: number, now: number): void {
    if (this.l2.find(line) >= 0) return;
    this.prefetch.issued++;
    this.l2.fill(line, now + this.beyondL2(line, now), true);
  }

  /** Latency of a prefetch's fill from beyond L2 (the LLC or memory; memory's fills are counted and fill the LLC). */
  private beyondL2(line: number, now: number): number {
    if (this.llc.find(line) >= 0) return this.llcLatency;
    this.memoryAccesses++;
    this.llc.fill(line, now + this.memoryLatency, false);
    return this.memoryLatency;
  }
}
