// The memory timing around the cache arrays (src/mem/cache.ts): the store buffer,
// memory-level parallelism for independent load misses, and the stride prefetchers.
// Each test drives the hierarchy directly with the cycle each access issues at.
import { describe, expect, it } from 'vitest';
import { CacheHierarchy } from '../src/mem/cache.js';
import { applyOverrides, loadTiming } from '../src/spec/timing.js';

const PAGE = 4096;
const MEM = 200, L1 = 4;

/**
 * A cortex-a57 hierarchy with `set` overrides; prefetchers off unless asked for, and loads with no
 * issue cost of their own (classes.load=0), so a load's cost is its whole load-to-use latency.
 */
function caches(...set: string[]): CacheHierarchy {
  const t = applyOverrides(loadTiming('cortex-a57'), ['prefetch.l1d.enabled=false', 'prefetch.l2.enabled=false', 'memory.latency=200', 'classes.load=0', ...set]);
  return new CacheHierarchy(t);
}
/** Distinct cold lines, each in its own page (no prefetcher could guess them). */
const cold = (i: number) => 0x4000_0000 + i * 7 * PAGE + 64 * (i % 5);

describe('store buffer', () => {
  it('stores retire at once until the buffer is full; then a store waits for the oldest', () => {
    const c = caches('storeBuffer.entries=4', 'memory.mlp=4');
    for (let i = 0; i < 4; i++) expect(c.data(cold(i), true, i)).toBe(0);
    // the four misses drain in parallel (mlp 4), the oldest done at 0 + 200
    expect(c.data(cold(4), true, 4)).toBe(MEM - 4);
  });

  it('drains at the hierarchy pace: store misses beyond memory.mlp queue behind each other', () => {
    const c = caches('storeBuffer.entries=8', 'memory.mlp=2');
    for (let i = 0; i < 4; i++) c.data(cold(i), true, 0);
    // two fills at a time: the 3rd and 4th start when the 1st and 2nd complete
    expect(c.drain(0)).toBe(2 * MEM);
  });

  it('a store that hits L1 drains in the L1 latency; nothing is left after a drain', () => {
    const c = caches('storeBuffer.entries=8');
    c.data(cold(0), false, 0); // bring the line in
    expect(c.data(cold(0) + 8, true, 300)).toBe(0);
    expect(c.drain(301)).toBe(L1 - 1);
    expect(c.drain(301)).toBe(0);
  });

  it('a barrier (drain) waits for the youngest store; later ones cost nothing', () => {
    const c = caches('storeBuffer.entries=8');
    c.data(cold(0), true, 0);
    expect(c.drain(50)).toBe(MEM - 50);
    expect(c.drain(MEM)).toBe(0);
    expect(c.data(cold(1), true, 1000)).toBe(0);
    expect(c.drain(1000 + MEM + 1)).toBe(0); // already drained by then
  });

  it('forwards a buffered doubleword at the L1 latency; another word of the line waits for the fill', () => {
    const c = caches('storeBuffer.entries=8');
    const a = cold(0);
    c.data(a, true, 0);
    expect(c.data(a, false, 10)).toBe(L1);
    expect(c.data(a + 32, false, 20)).toBe(MEM - 20);
    expect(c.data(a + 40, false, MEM + 5)).toBe(L1); // the fill has arrived
  });

  it('stores to the line of the youngest entry merge into it: a stream takes one entry per line', () => {
    const c = caches('storeBuffer.entries=2', 'memory.mlp=4');
    for (let w = 0; w < 8; w++) expect(c.data(cold(0) - 64 * (0 % 5) + 8 * w, true, w)).toBe(0);
    for (let w = 0; w < 8; w++) expect(c.data(cold(1) - 64 * (1 % 5) + 8 * w, true, 8 + w)).toBe(0);
    // a third line finds the buffer full: it waits for the first line's fill
    expect(c.data(cold(2), true, 16)).toBe(MEM - 16);
  });

  it('a merged entry forwards the doublewords written to it, not the rest of its line', () => {
    const c = caches('storeBuffer.entries=8');
    const a = cold(0);
    c.data(a, true, 0);
    c.data(a + 8, true, 1);
    expect(c.data(a + 8, false, 10)).toBe(L1);
    expect(c.data(a + 16, false, 20)).toBe(MEM - 20);
  });

  it('entries 0: a store blocks like a load (the old model)', () => {
    const c = caches('storeBuffer.entries=0');
    expect(c.data(cold(0), true, 0)).toBe(MEM);
    expect(c.drain(0)).toBe(0);
  });
});

/** A hierarchy whose loads read `value` at every address (what the dependence test reads). */
function withValue(value: number, ...set: string[]): Pick<CacheHierarchy, 'data' | 'access' | 'drain'> {
  const c = caches(...set);
  const page = new DataView(new ArrayBuffer(PAGE));
  for (let off = 0; off < PAGE; off += 4) page.setUint32(off, value, true);
  return {
    data: (pa: number, write: boolean, now: number) => c.data(pa, write, now, page),
    access: (pa: number) => c.access(pa),
    drain: (now: number) => c.drain(now),
  };
}

describe('L1 hits', () => {
  it('an independent load that hits L1 is pipelined: it costs nothing beyond its issue', () => {
    const c = withValue(0x7ff);
    c.data(cold(0), false, 0);
    for (let w = 1; w < 8; w++) expect(c.data(cold(0) + 8 * w, false, MEM + w)).toBe(0);
  });

  it('a load whose address the previous load returned pays the L1 latency (pointer chasing)', () => {
    const a = cold(0);
    const c = withValue(a & 0xfff);
    c.data(a, false, 0);
    expect(c.data(a + 8, false, MEM)).toBe(L1);
  });

  it('latencies are load-to-use: a load pays them less the issue its instruction class charged', () => {
    const a = cold(0);
    const c = withValue(a & 0xfff, 'classes.load=1');
    expect(c.data(a, false, 0)).toBe(MEM - 1); // the first load: taken as dependent
    expect(c.data(a + 8, false, MEM)).toBe(L1 - 1); // pointer chasing within the line
    expect(c.access(cold(1))).toBe(MEM); // a walk's fetch has no instruction of its own
  });

  it('a hit on a line still arriving waits for the rest of it', () => {
    const c = withValue(0x7ff, 'storeBuffer.entries=8');
    c.data(cold(1), false, 0); // a load, so the next one's dependence can be told
    c.data(cold(0), true, 300); // a store miss: its fill arrives at 500
    expect(c.data(cold(0) + 32, false, 350)).toBe(MEM - 50 - L1);
  });
});

describe('memory-level parallelism', () => {

  it('independent load misses overlap: the later ones in the window cost what exceeds the stall so far', () => {
    const c = withValue(0x7ff, 'memory.mlp=4', 'memory.mlpWindow=128');
    // the lead pays in full; the core then resumes at 200 and meets three more misses
    expect(c.data(cold(1), false, 0)).toBe(MEM);
    expect(c.data(cold(2), false, MEM + 5)).toBe(0);
    expect(c.data(cold(3), false, MEM + 10)).toBe(0);
    expect(c.data(cold(4), false, MEM + 15)).toBe(0);
    // the window holds 4 misses: the 5th leads a new group
    expect(c.data(cold(5), false, MEM + 20)).toBe(MEM);
  });

  it('a miss beyond the reorder window does not overlap', () => {
    const c = withValue(0x7ff, 'memory.mlp=4', 'memory.mlpWindow=128');
    c.data(cold(1), false, 0);
    expect(c.data(cold(2), false, MEM + 129)).toBe(MEM);
  });

  it('memory.mlp=1: every miss is serial', () => {
    const c = withValue(0x7ff, 'memory.mlp=1');
    c.data(cold(1), false, 0);
    expect(c.data(cold(2), false, MEM + 1)).toBe(MEM);
  });

  it('a load whose address the last miss returned (pointer, doubleword or node index) stays serial', () => {
    for (const scale of [1, 8, 64]) {
      const next = cold(2);
      const c = withValue(((next & 0xfff) / scale) >>> 0, 'memory.mlp=8');
      c.data(cold(1), false, 0);
      expect(c.data(next, false, MEM + 3), `scale ${scale}`).toBe(MEM);
    }
  });

  it('without a way to read the data every miss is taken as dependent', () => {
    const c = caches('memory.mlp=8');
    c.data(cold(1), false, 0);
    expect(c.data(cold(2), false, MEM + 3)).toBe(MEM);
  });

  it('table walk fetches (access) never overlap, inside a group or not', () => {
    const c = withValue(0x7ff, 'memory.mlp=8');
    c.data(cold(1), false, 0);
    expect(c.access(cold(2))).toBe(MEM);
    expect(c.access(cold(3))).toBe(MEM);
  });

  it('a barrier closes the group', () => {
    const c = withValue(0x7ff, 'memory.mlp=8');
    c.data(cold(1), false, 0);
    c.drain(MEM);
    expect(c.data(cold(2), false, MEM + 3)).toBe(MEM);
  });
});

describe('prefetchers', () => {
  const base = 0x4010_0000;

  it('the L1D prefetcher follows a stride within a page: prefetched lines arrive as hits', () => {
    const c = caches('prefetch.l1d.enabled=true', 'prefetch.l1d.degree=2', 'prefetch.l1d.distance=1', 'memory.mlp=1');
    let now = 0;
    for (let i = 0; i < 3; i++) now += c.data(base + 128 * i, false, now) + 10; // stride 2 lines, seen twice
    expect(c.prefetch.issued).toBe(2);
    now += 1000; // long enough for the prefetches to land
    expect(c.data(base + 128 * 3, false, now)).toBe(L1);
    expect(c.prefetch.useful).toBe(1);
    expect(c.prefetch.late).toBe(0);
    // a useful prefetch trains the stream on: it keeps running ahead
    expect(c.prefetch.issued).toBeGreaterThan(2);
  });

  it('a prefetch that has not landed yet is late: the load waits for the rest of it', () => {
    const c = caches('prefetch.l1d.enabled=true', 'prefetch.l1d.degree=1', 'prefetch.l1d.distance=1', 'memory.mlp=1');
    c.data(base, false, 0);
    c.data(base + 64, false, MEM);
    c.data(base + 128, false, 2 * MEM); // the stride is confirmed: line 3 is asked for, due at 3 * MEM
    expect(c.data(base + 192, false, 2 * MEM + 50)).toBe(MEM - 50);
    expect(c.prefetch.late).toBe(1);
  });

  it('the L2 prefetcher fills L2 further ahead', () => {
    const c = caches('prefetch.l2.enabled=true', 'prefetch.l2.degree=4', 'prefetch.l2.distance=4', 'memory.mlp=1');
    let now = 0;
    for (let i = 0; i < 3; i++) now += c.data(base + 64 * i, false, now);
    expect(c.prefetch.issued).toBe(4);
    expect(c.data(base + 64 * 6, false, now + 1000)).toBe(14); // cortex-a57's L2 latency
    expect(c.prefetch.useful).toBe(1);
  });

  it('never crosses a 4 KiB page', () => {
    const c = caches('prefetch.l1d.enabled=true', 'prefetch.l1d.degree=4', 'prefetch.l1d.distance=1');
    let now = 0;
    for (const line of [61, 62, 63]) now += c.data(base + 64 * line, false, now);
    expect(c.prefetch.issued).toBe(0);
  });

  it('a random stream keeps both quiet', () => {
    const c = caches('prefetch.l1d.enabled=true', 'prefetch.l2.enabled=true');
    let seed = 12345, now = 0;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      now += c.data(0x4000_0000 + (seed % (64 << 20)), false, now);
    }
    expect(c.prefetch.issued).toBeLessThan(50); // chance repeats of a stride within a page only
  });
});
