// What the guest kernel does to the machine, read from the run statistics of
// the committed image (guest/build/kernel.elf): the page-table activity that
// memory virtualization pays for must really happen, in proportion to the
// workload's parameters. Each figure is the difference between two runs that
// differ in one parameter, so boot and setup cancel out.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KERNEL_PATH, bootGuest, guestCmdline } from './helpers/guest.js';
import { cmdlineBlock, kernelCmdline } from '../src/machine/cmdline.js';
import type { RunStats } from '../src/machine/stats.js';
import type { VmMode } from '../src/machine/vm.js';
import { loadTiming } from '../src/spec/timing.js';
import { vmRun } from './helpers/vm.js';
import { parseGuestStats } from '../src/experiments/guest-stats.js';

function stats(workload: string, args: string): RunStats {
  const r = bootGuest(guestCmdline(workload, args));
  expect(r.reason, r.message).toBe('poweroff');
  expect(r.uart).toMatch(/init exited with status 0; 0 pages in use; power off\n$/);
  return r.stats;
}

const faults = (s: RunStats) => s.exceptions.byClass.DABT_LOWER ?? 0;
const tlbi = (s: RunStats, op: string) => s.tlbi[op] ?? 0;

describe('guest kernel statistics', () => {
  it('mmapchurn: a demand fault and a TLBI VALE1IS per page mapped, touched and unmapped', () => {
    const base = stats('mmapchurn', '--pages 8 --iters 50');
    const moreRounds = stats('mmapchurn', '--pages 8 --iters 100');
    const morePages = stats('mmapchurn', '--pages 16 --iters 50');
    for (const s of [moreRounds, morePages]) {
      expect(tlbi(s, 'VALE1IS') - tlbi(base, 'VALE1IS')).toBe(50 * 8);
      expect(faults(s) - faults(base)).toBe(50 * 8);
    }
  });

  it('ctxswitch: a TTBR0_EL1 write per switch between two yielding processes', () => {
    const base = stats('ctxswitch', '--procs 2 --yields 200');
    const more = stats('ctxswitch', '--procs 2 --yields 400');
    // 200 more yields each, every one a switch (timer preemption may add a few)
    const extra = more.sysregWrites.TTBR0_EL1 - base.sysregWrites.TTBR0_EL1;
    expect(extra).toBeGreaterThanOrEqual(400);
    expect(extra).toBeLessThan(440);
  });

  it('gups: table walks in proportion to accesses beyond the L2 TLB reach (4 MiB), almost none within it', () => {
    const large = [stats('gups', '--mib 8 --iters 20000'), stats('gups', '--mib 8 --iters 40000')];
    const small = [stats('gups', '--mib 1 --iters 20000'), stats('gups', '--mib 1 --iters 40000')];
    const perAccess = (s: RunStats[]) => (s[1].walks.count - s[0].walks.count) / 20000;
    // 8 MiB of 4 KiB pages is twice the reach: about half the random accesses miss
    expect(perAccess(large)).toBeGreaterThan(0.4);
    expect(perAccess(large)).toBeLessThan(0.7);
    expect(perAccess(small)).toBeLessThan(0.01);
    expect(large[1].tlb.l2.misses - large[0].tlb.l2.misses).toBeGreaterThan(0.4 * 20000);
  });

  it('forkwait: a TLBI ASIDE1IS per fork, access-flag faults in each child, an ASID roll-over after 255 address spaces', () => {
    const few = stats('forkwait', '--iters 100 --pages 4');
    const many = stats('forkwait', '--iters 300 --pages 4');
    expect(tlbi(many, 'ASIDE1IS') - tlbi(few, 'ASIDE1IS')).toBe(200);
    // each child's first instruction fetch finds its pages old (AF = 0)
    expect((many.exceptions.byClass.IABT_LOWER ?? 0) - (few.exceptions.byClass.IABT_LOWER ?? 0)).toBe(200);
    expect(tlbi(few, 'VMALLE1IS')).toBe(0);
    expect(tlbi(many, 'VMALLE1IS')).toBe(1);
  });
});

describe('the kernel command line', () => {
  it('names memory, quantum, workload and arguments', () => {
    expect(kernelCmdline({ workload: 'gups', args: ' --mib 16  --iters 100000 ', quantumUs: 500, memBytes: 1 << 30 }))
      .toBe('mem=1024M quantum=500 -- gups --mib 16 --iters 100000');
    expect(kernelCmdline({ workload: 'hello', memBytes: 256 << 20 })).toBe('mem=256M -- hello');
    expect(cmdlineBlock('ab')).toEqual(Uint8Array.of(0x61, 0x62, 0));
    expect(() => cmdlineBlock('x'.repeat(4096))).toThrow(/longer than 4095 bytes/);
  });

  it('el2sim boot --workload --args --quantum writes it for the kernel', () => {
    const run = (...args: string[]) => spawnSync('node', ['bin/el2sim.js', 'boot', KERNEL_PATH, ...args], { encoding: 'utf8', timeout: 60_000 });
    const r = run('--workload', 'hello', '--args', '--x 1', '--quantum', '500');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^kernel: 256 MiB, quantum 500 us, PSCI via SMC; running hello --x 1\nhello from hello, pid 1\n {2}argv\[1\] = --x\n {2}argv\[2\] = 1\n/);
    const bad = run('--args', '--mib 1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--args and --quantum need --workload/);
  });
});

describe('workloads that time their own loop with the cycle counter (PMCCNTR_EL0 at EL0)', () => {
  /** The figures of the run's `stat:` lines, read as experiments read them. */
  const figures = (uart: string): Record<string, number> => {
    const g = parseGuestStats(uart);
    expect(g.problems, uart).toEqual([]);
    expect(Object.keys(g.stats).length, uart).toBeGreaterThan(0);
    return g.stats;
  };
  const chase = (mode: VmMode, iters: number) => {
    const r = vmRun({ mode, workload: 'memlat', args: `--kib 4 --iters ${iters}` });
    expect(r.reason, r.message).toBe('poweroff');
    return figures(r.uart);
  };

  it('memlat: the counter moves by exactly the ledger\'s cycles of the timed loop, natively and under the vmm', () => {
    const t = loadTiming('cortex-a57');
    // a warmed 4 KiB chase hits L1D every time; the loop is 16 dependent LDRs (each the L1's
    // load-to-use latency, its issue included), a SUBS and a B.NE
    const loop = 16 * t.cache.l1d.latency + t.classes.alu + t.classes.branch;
    const a = chase('native', 16_000), b = chase('native', 32_000);
    expect(a.loads).toBe(16_000);
    expect(b.cycles - a.cycles).toBe(1000 * loop);
    // the counter counts EL0 and EL1 only (PMCCFILTR_EL0 = 0), and a warmed chase takes no exits
    for (const mode of ['stage2', 'shadow-lazy'] as const) expect(chase(mode, 16_000)).toEqual(a);
  });

  it('membw: bytes are what the passes moved; zeroing a page costs what the kernel\'s loop costs', () => {
    const bw = (args: string) => {
      const r = vmRun({ mode: 'native', workload: 'membw', args });
      expect(r.reason, r.message).toBe('poweroff');
      return figures(r.uart);
    };
    expect(bw('--kib 16 --op read --passes 3').bytes).toBe(3 * 16384);
    expect(bw('--kib 16 --op copy --passes 3').bytes).toBe(3 * 8192);
    // an L1-resident zero pass: STP XZR, ADD, CMP, B.NE per 16 bytes, the stores buffered
    const t = loadTiming('cortex-a57');
    const perPage = (4096 / 16) * (t.classes.store + 2 * t.classes.alu + t.classes.branch);
    const z1 = bw('--kib 16 --op zero --passes 4'), z2 = bw('--kib 16 --op zero --passes 8');
    expect(((z2.cycles - z1.cycles) * 4096) / (z2.bytes - z1.bytes)).toBeGreaterThanOrEqual(perPage);
    expect(((z2.cycles - z1.cycles) * 4096) / (z2.bytes - z1.bytes)).toBeLessThan(perPage * 1.2);
  });
});
