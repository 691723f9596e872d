// Expansion of an experiment into points: the cartesian product of the sweep,
// seeds from repeat, args.NAME only where a workload takes it, --quick.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/experiments/experiment.js';
import { argString, expand } from '../src/experiments/points.js';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-expand-'));
let n = 0;
function points(yaml: string, quick = false) {
  const file = join(dir, `e${n++}.yaml`);
  writeFileSync(file, yaml);
  return expand(loadExperiment(file, { quick }));
}

describe('expansion into points', () => {
  it('a sweep of timing presets: each point runs on its preset, with the same overrides', () => {
    const ps = points(`name: t
timing: cortex-a72
workloads: [{ name: gups, args: { iters: 1000 } }]
set: { memory.latency: 180 }
sweep:
  timing: [cortex-a72, neoverse-n1]
`);
    expect(ps.map((p) => [p.id, p.timing, p.set])).toEqual([
      ['gups_native_timing=cortex-a72_s1', 'cortex-a72', ['memory.latency=180', 'tlb.seed=1']],
      ['gups_native_timing=neoverse-n1_s1', 'neoverse-n1', ['memory.latency=180', 'tlb.seed=1']],
    ]);
  });

  it('the cartesian product of the sweep, the first key varying slowest, then seeds', () => {
    const ps = points(`name: t
workloads: [{ name: gups, args: { iters: 1000 } }]
sweep:
  tlb.l2.entries: [512, 1024, 2048]
  walkCache.enabled: [true, false]
repeat: 2
`);
    expect(ps).toHaveLength(12);
    expect(ps.map((p) => [p.sweep['tlb.l2.entries'], p.sweep['walkCache.enabled'], p.seed]).slice(0, 5))
      .toEqual([[512, true, 1], [512, true, 2], [512, false, 1], [512, false, 2], [1024, true, 1]]);
    expect(new Set(ps.map((p) => p.id)).size).toBe(12);
    expect(ps[3].id).toBe('gups_native_tlb.l2.entries=512_walkCache.enabled=false_s2');
    // the seed goes to the workload and to the TLB's random replacement; overrides in file order
    expect(ps[3].args).toEqual({ mib: 4, iters: 1000, seed: 2 });
    expect(ps[3].set).toEqual(['tlb.l2.entries=512', 'walkCache.enabled=false', 'tlb.seed=2']);
    expect(argString(ps[3].args)).toBe('--mib 4 --iters 1000 --seed 2');
  });

  it('hypervisor modes: native twins always, vmm options only for the modes they mean something to', () => {
    const ps = points(`name: t
workloads: [{ name: gups, args: { iters: 1000 } }]
modes: [stage2, shadow-lazy]
set: { vmm.switch: full }
sweep:
  vmm.block: [4k, 2m]
  vmm.roots: [4, 16]
  walkCache.enabled: [true, false]
`);
    expect(ps.map((p) => p.id)).toEqual([
      'gups_native_walkCache.enabled=true_s1', 'gups_native_walkCache.enabled=false_s1',
      'gups_stage2_vmm.block=4k_walkCache.enabled=true_s1', 'gups_stage2_vmm.block=4k_walkCache.enabled=false_s1',
      'gups_stage2_vmm.block=2m_walkCache.enabled=true_s1', 'gups_stage2_vmm.block=2m_walkCache.enabled=false_s1',
      'gups_shadow-lazy_vmm.roots=4_walkCache.enabled=true_s1', 'gups_shadow-lazy_vmm.roots=4_walkCache.enabled=false_s1',
      'gups_shadow-lazy_vmm.roots=16_walkCache.enabled=true_s1', 'gups_shadow-lazy_vmm.roots=16_walkCache.enabled=false_s1',
    ]);
    expect(ps[0]!.vmm).toBeUndefined();
    expect(ps[5]).toMatchObject({ twin: 'gups_native_walkCache.enabled=false_s1', vmm: { block: '2m', switch: 'full' }, set: ['walkCache.enabled=false', 'tlb.seed=1'] });
    expect(ps[8]).toMatchObject({ twin: 'gups_native_walkCache.enabled=true_s1', vmm: { roots: 16, switch: 'full', block: '4k' } });
  });

  it('args.NAME sweeps only the workloads that take --NAME; fixed overrides go first', () => {
    const ps = points(`name: t
workloads:
  - { name: gups }
  - { name: forkwait, args: { iters: 10 } }
set: { cache.enabled: false }
sweep:
  args.mib: [1, 2]
  memory.latency: [100, 300]
`);
    expect(ps.filter((p) => p.workload === 'gups')).toHaveLength(4);
    const fork = ps.filter((p) => p.workload === 'forkwait');
    expect(fork).toHaveLength(2);
    expect(fork[0].args).toEqual({ iters: 10, pages: 16 });
    expect(fork[0].sweep).toEqual({ 'memory.latency': 100 });
    expect(fork[0].set).toEqual(['cache.enabled=false', 'memory.latency=100', 'tlb.seed=1']);
  });

  it('--quick applies the quick section; without it the experiment is as written', () => {
    const yaml = `name: t
workloads: [{ name: gups, args: { iters: 100000 } }, { name: ctxswitch }]
sweep:
  args.mib: [2, 4, 8]
  tlb.l2.entries: [512, 1024]
repeat: 3
quick:
  args: { iters: 500 }
  sweep: { args.mib: [2] }
  repeat: 1
`;
    expect(points(yaml)).toHaveLength(3 * 2 * 3 + 2 * 3);
    const quick = points(yaml, true);
    expect(quick.map((p) => p.id)).toEqual([
      'gups_native_args.mib=2_tlb.l2.entries=512_s1', 'gups_native_args.mib=2_tlb.l2.entries=1024_s1',
      'ctxswitch_native_tlb.l2.entries=512_s1', 'ctxswitch_native_tlb.l2.entries=1024_s1',
    ]);
    expect(quick[0].args.iters).toBe(500);
    expect(quick[2].args).toEqual({ procs: 2, yields: 1000 });
  });

  it('labels tell entries of the same workload apart', () => {
    const ps = points(`name: t
workloads:
  - { name: gups, label: gups-small, args: { mib: 1 } }
  - { name: gups, label: gups-large, args: { mib: 64 } }
`);
    expect(ps.map((p) => [p.id, p.args.mib])).toEqual([['gups-small_native_s1', 1], ['gups-large_native_s1', 64]]);
  });
});
