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
