// The vmm's shadow paging (mode=shadow-wp, mode=shadow-lazy): stage 2 off, the
// guest's stage 1 faults routed to EL2 by HACR_EL2.TS1F, its translation
// controls trapped by TVM/TRVM and its TLBIs by TTLB. The guest prints what it
// prints natively, the statistics show each policy's mechanism, true faults are
// injected as the hardware takes them natively, and a hostile guest gets
// architectural faults, never a vmm crash or hang.
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { guestOutput, nativeOutput, SMALL, vmRun } from './helpers/vm.js';
import { imageSource, TEXT_BASE } from './oracle/qemu-system.js';

const SHADOW = ['shadow-wp', 'shadow-lazy'] as const;


const LARGER: [string, string][] = [
  ['gups', '--mib 8 --iters 20000'], ['forkwait', '--iters 30 --pages 16'], ['mmapchurn', '--pages 32 --iters 60'],
  ['ctxswitch', '--procs 12 --yields 200'], ['cowtouch', '--pages 128'], ['crash', '--segv 3'],
];

describe.each(SHADOW)('the guest under %s prints what it prints natively', (mode) => {
  it.each([...SMALL, ...LARGER])('%s %s', (workload, args) => {
    const r = vmRun({ mode, workload, args, printStats: true });
    expect(r.reason, r.message).toBe('poweroff');
    expect(guestOutput(r.uart)).toBe(guestOutput(nativeOutput(workload, args)));
    expect(r.vmmStats!.VMEXIT_UNHANDLED).toBe(0);
  });

  it.each([[{ switch: 'full' as const }], [{ roots: 1 }], [{ roots: 64 }], [{ granule: '16k' as const, block: '32m' as const, map: 'eager' as const }]])('with %j', (o) => {
    const r = vmRun({ mode, workload: 'forkwait', args: '--iters 4 --pages 4', vmm: o });
    expect(r.reason, r.message).toBe('poweroff');
    expect(r.uart).toBe(nativeOutput('forkwait', '--iters 4 --pages 4'));
  });
});

describe.each(SHADOW)('the statistics of %s show the mechanism', (mode) => {
  it('no stage 2 fetches; TVM/TRVM, TTLB and routed stage 1 faults', () => {
    const r = vmRun({ mode, workload: 'gups', args: '--mib 2 --iters 2000' });
    const s = r.stats, v = r.vmmStats!;
    expect(s.walks.fetchesByStage.s2).toBe(0);
    expect(s.walks.fetchesByStage.s1).toBeGreaterThan(0);
    expect(v.SHADOW_HIDDEN_FILL).toBeGreaterThan(512);
    expect(v.SHADOW_SYSREG_WRITE).toBeGreaterThan(0);
    expect(v.SHADOW_SYSREG_READ).toBeGreaterThan(0);
    expect(v.VMEXIT_MSR).toBeGreaterThanOrEqual(v.SHADOW_SYSREG_WRITE! + v.SHADOW_SYSREG_READ! + v.SHADOW_TLBI_SYNC!);
    expect(v.S2_PAGING).toBe(0);
    expect(s.exits.total).toBe(v.VMEXIT_COUNT);
  });

  it('TTBR-write exits are proportional to ctxswitch\'s switches', () => {
    const a = vmRun({ mode, workload: 'ctxswitch', args: '--procs 3 --yields 50' }).vmmStats!;
    const b = vmRun({ mode, workload: 'ctxswitch', args: '--procs 3 --yields 200' }).vmmStats!;
    expect(a.SHADOW_ROOT_SWITCH).toBeGreaterThan(100);
    const ratio = (b.SHADOW_ROOT_SWITCH! - a.SHADOW_ROOT_SWITCH!) / (150 * 3);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(2.5);
  });

  it(`${mode === 'shadow-wp' ? 'PT-write' : 'TLBI'} exits are proportional to mmapchurn's rounds`, () => {
    const key = mode === 'shadow-wp' ? 'SHADOW_PT_WRITE' : 'SHADOW_TLBI_SYNC';
    const a = vmRun({ mode, workload: 'mmapchurn', args: '--pages 8 --iters 20' }).vmmStats!;
    const b = vmRun({ mode, workload: 'mmapchurn', args: '--pages 8 --iters 60' }).vmmStats!;
    const perRound = (b[key]! - a[key]!) / 40;
    expect(perRound).toBeGreaterThanOrEqual(8);  // at least one per page and round
    expect(perRound).toBeLessThan(64);
    if (mode === 'shadow-wp') expect(b.SHADOW_PT_PROTECT).toBeGreaterThan(0);
  });

  it('root-cache hits rise with ctxswitch\'s processes up to the pool size, then evictions appear', () => {
    const run = (procs: number) => vmRun({ mode, workload: 'ctxswitch', args: `--procs ${procs} --yields 40`, vmm: { roots: 4 } }).vmmStats!;
    const two = run(2), three = run(3), eight = run(8);
    expect(two.SHADOW_ROOT_EVICT).toBe(0);
    expect(three.SHADOW_ROOT_HIT).toBeGreaterThan(two.SHADOW_ROOT_HIT!);
    expect(eight.SHADOW_ROOT_EVICT).toBeGreaterThan(100);
    expect(eight.SHADOW_ROOT_MISS).toBeGreaterThan(three.SHADOW_ROOT_MISS! + 100);
    const big = vmRun({ mode, workload: 'ctxswitch', args: '--procs 8 --yields 40', vmm: { roots: 16 } }).vmmStats!;
    expect(big.SHADOW_ROOT_EVICT).toBe(0);
  });
});

/** A bare-metal guest image (test/images/guest-*.S with lib.S), as test/vmm.test.ts builds guest-hole.S. */
function image(name: string): Uint8Array {
  return assemble(imageSource(name), `${name}.S`, { textBase: TEXT_BASE }).elf;
}

describe('true faults are injected as the hardware takes them natively', () => {
  const elf = image('guest-s1faults');
  const nat = vmRun({ mode: 'native', image: elf, maxInsns: 5_000_000 });
  it('natively: one report per fault kind', () => {
    expect(nat.reason, nat.message).toBe('poweroff');
    expect(nat.uart).toContain('done');
    expect((nat.uart.match(/^el1: /gm) ?? []).length).toBeGreaterThanOrEqual(14);
  });
  it.each(SHADOW)('%s', (mode) => {
    for (const sw of ['thin', 'full'] as const) {
      const r = vmRun({ mode, image: elf, vmm: { switch: sw }, printStats: true, maxInsns: 5_000_000 });
      expect(r.reason, r.message).toBe('poweroff');
      expect(guestOutput(r.uart)).toBe(guestOutput(nat.uart));
      expect(r.vmmStats!.SHADOW_TRUE_FAULT).toBeGreaterThanOrEqual(14);
    }
  });
});

describe('a hostile guest gets architectural faults, never a vmm crash or hang', () => {
  const elf = image('guest-hostile');
  const nat = vmRun({ mode: 'native', image: elf, maxInsns: 5_000_000 });
  it('natively', () => {
    expect(nat.reason, nat.message).toBe('poweroff');
    expect(nat.uart).toContain('done');
  });
  it.each(SHADOW)('%s', (mode) => {
    const r = vmRun({ mode, image: elf, printStats: true, maxInsns: 5_000_000 });
    expect(r.reason, r.message).toBe('poweroff');
    expect(guestOutput(r.uart)).toBe(guestOutput(nat.uart));
    expect(r.uart).not.toContain('vmm: error');
  });
});

describe('a guest that fills its memory', () => {
  it.each(['stage2', ...SHADOW] as const)('gets its own out-of-memory path under %s, as natively', (mode) => {
    const run = (m: 'native' | typeof mode) => vmRun({ mode: m, workload: 'cowtouch', args: '--pages 8192', memMiB: 16 });
    const n = run('native'), v = run(mode);
    expect(n.uart).toMatch(/kernel: panic: out of memory/);
    expect(v.reason).toBe('poweroff');
    expect(v.uart).toBe(n.uart);
  });
});
