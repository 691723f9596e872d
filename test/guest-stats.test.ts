// The workload's own figures: `stat:` lines of the guest's output parsed into
// the stats guest.<name>; a malformed line is named, never half read, never a crash.
import { describe, expect, it } from 'vitest';
import { parseGuestStats } from '../src/experiments/guest-stats.js';
import { flattenStats, statsText, type RunStats } from '../src/machine/stats.js';
import { vmStatsText } from '../src/machine/vm-stats.js';

describe('guest stat lines', () => {
  it('reads every stat line; a name on several lines is summed', () => {
    const out = 'memlat: start\r\nstat: cycles=1200 loads=100\r\nmemlat: kib=4 checksum=0x1\nstat: cycles=800 bytes=4096\n';
    expect(parseGuestStats(out)).toEqual({ stats: { cycles: 2000, loads: 100, bytes: 4096 }, problems: [] });
  });

  it('only lines that start with stat: count', () => {
    expect(parseGuestStats('vmm: stat VMEXIT_HVC 3\n  stat: cycles=1\nstatus: ok=1\n')).toEqual({ stats: {}, problems: [] });
  });

  it('a malformed line is reported with its number and left out whole', () => {
    const r = parseGuestStats('stat: cycles=10 loads=x\nstat:\nstat: Cycles=1\nstat: cycles=-1\nstat: cycles=99999999999999999999\nstat: loads=5\n');
    expect(r.stats).toEqual({ loads: 5 });
    expect(r.problems).toEqual([
      `line 1: 'stat: cycles=10 loads=x': 'loads=x' is not name=value (a name of a-z and _, an unsigned decimal integer)`,
      `line 2: 'stat:': no name=value`,
      `line 3: 'stat: Cycles=1': 'Cycles=1' is not name=value (a name of a-z and _, an unsigned decimal integer)`,
      `line 4: 'stat: cycles=-1': 'cycles=-1' is not name=value (a name of a-z and _, an unsigned decimal integer)`,
      `line 5: 'stat: cycles=99999999999999999999': cycles=99999999999999999999 is larger than 9007199254740991`,
    ]);
  });

  it('a name that is an object key elsewhere is only a name', () => {
    const r = parseGuestStats('stat: __proto__=1 constructor=2\n');
    expect(Object.entries(r.stats)).toEqual([['__proto__', 1], ['constructor', 2]]);
  });

  it('become guest.<name> columns and text stats', () => {
    const stats = { cycles: 5, guest: parseGuestStats('stat: cycles=3 loads=1\n').stats };
    expect(flattenStats(stats)).toEqual([['cycles', 5], ['guest.cycles', 3], ['guest.loads', 1]]);
    expect(statsText(stats)).toMatch(/^guest\.cycles +3 +# The workload's own figure cycles \(its stat: lines, summed\)$/m);
  });

  it('el2sim vm stats lists them', () => {
    const level = { hits: 0, misses: 0 };
    const s = {
      instructions: 1, cycles: 5, cyclesBy: { execute: 5 }, tlb: { l1i: level, l1d: level, l2: level },
      walkCache: { s1: level, s2: level, nested: level }, walks: { count: 0, fetches: 0, fetchesByStage: { s1: 0, s2: 0 } },
      guest: { cycles: 1200, loads: 100 },
    } as unknown as RunStats;
    expect(vmStatsText(s)).toMatch(/the workload's own figures \(its stat: lines\):\n +name +value\n +cycles +1,200\n +loads +100\n/);
  });
});
