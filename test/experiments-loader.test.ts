// The experiment loader's errors: each names file:line:col and what is wrong,
// for the schema's findings and for what only the loader knows (workloads and
// their arguments, timing paths, implemented modes).
import { describe, expect, it } from 'vitest';
import { experimentErrors as errors } from './helpers/experiment-errors.js';

const base = (extra: string) => `name: t\nworkloads:\n  - { name: gups, args: { mib: 1, iters: 1000 } }\n${extra}`;

describe('experiment loader errors', () => {
  it('accepts a valid experiment', () => {
    expect(errors(base('sweep:\n  tlb.l2.entries: [512, 1024]\n  args.mib: [1, 2]\nrepeat: 2\n'))).toEqual([]);
  });

  it('an unknown key, at the key', () => {
    expect(errors(base('sweeps:\n  tlb.l2.entries: [512]\n'))).toEqual([`FILE:4:1: unknown key 'sweeps'`]);
  });

  it('a value of the wrong type', () => {
    expect(errors(base('repeat: two\n'))).toEqual(['FILE:4:9: repeat: must be integer']);
    expect(errors(base('sweep:\n  tlb.l2.entries: 512\n'))).toEqual(['FILE:5:19: sweep.tlb.l2.entries: must be array']);
  });

  it('an unknown workload, listing the ones there are', () => {
    const e = errors('name: t\nworkloads:\n  - { name: gupz }\n');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^FILE:3:13: unknown workload 'gupz' \(workloads: .*gups.*ptrchase/);
  });

  it('a workload argument it does not take, or out of its range', () => {
    expect(errors('name: t\nworkloads:\n  - { name: gups, args: { pages: 4 } }\n'))
      .toEqual([`FILE:3:27: gups takes no argument 'pages' (it takes mib, iters, seed)`]);
    expect(errors('name: t\nworkloads:\n  - { name: gups, args: { mib: 5000 } }\n'))
      .toEqual(['FILE:3:32: gups --mib: 5000 is not an integer from 1 to 1024']);
    expect(errors(base('sweep:\n  args.pages: [1, 2]\n'))).toEqual([`FILE:5:3: no workload of this experiment takes the argument 'pages'`]);
    expect(errors(base('sweep:\n  args.mib: [1, 0]\n'))).toEqual(['FILE:5:17: gups --mib: 0 is not an integer from 1 to 1024']);
  });

  it('an unknown timing path, and a value of the wrong type for one', () => {
    const e = errors(base('sweep:\n  tlb.l3.entries: [512]\n'));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^FILE:5:3: sweep: unknown timing path 'tlb.l3.entries'/);
    expect(errors(base('set:\n  walkCache.enabled: maybe\n'))).toEqual([`FILE:5:22: set: walkCache.enabled: 'maybe' is not true or false`]);
  });

  it('a configuration the timing rules refuse, at the sweep', () => {
    const e = errors(base('sweep:\n  tlb.l2.entries: [1024, 1022]\n'));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^FILE:5:3: sweep: .*tlb\.l2\.ways \(4\) must divide tlb\.l2\.entries \(1022\)/);
  });

  it('an unknown mode, and a vmm option out of range', () => {
    expect(errors(base('modes: [native, stage2, shadow-wp, shadow-lazy]\n'))).toEqual([]);
    expect(errors(base('modes: [nested]\n'))[0]).toMatch(/^FILE:4:9: modes\.0: must be equal to one of the allowed values: native, stage2, shadow-wp, shadow-lazy/);
    expect(errors(base('modes: [stage2]\nset:\n  vmm.roots: 65\n'))).toEqual(['FILE:6:14: set: vmm.roots: 65 is not an integer from 1 to 64']);
    expect(errors(base('sweep:\n  vmm.block: [4k, 2m]\n'))).toEqual(['FILE:5:3: sweep: vmm.block is an option of the vmm, and this experiment has no hypervisor mode (modes: native)']);
    expect(errors(base('modes: [stage2]\nsweep:\n  vmm.granule: [4k, 64k]\n  vmm.block: [4k, 2m]\n'))).toEqual([
      'FILE:6:3: vmm: block 4k is not a page or block size of the 64k granule (64k, 512m); sweep the block sizes of one granule at a time',
      'FILE:6:3: vmm: block 2m is not a page or block size of the 64k granule (64k, 512m); sweep the block sizes of one granule at a time',
    ]);
  });

  it('a hypervisor preset, vmm options, an unknown chart and seeds set by hand', () => {
    expect(errors(base('hypervisor: kvm-n1\n'))).toEqual([`FILE:4:13: hypervisor cost presets do not exist: the vmm's cost is the code it runs (set its options with vmm.* keys in set or sweep)`]);
    expect(errors(base('charts: [cycles, overhead, pie]\n'))).toEqual([
      `FILE:4:28: unknown chart 'pie' (charts: cycles, overhead, breakdown, exits, crossover, mpki, walks, sweep, latency, figures)`,
    ]);
    expect(errors(base('modes: [stage2]\nsweep:\n  vmm.block: [4k, 3m]\n  vmm.colour: [red]\nset:\n  vmm.switch: fat\n'))).toEqual([
      `FILE:9:15: set: vmm.switch: "fat" is not one of thin, full`,
      `FILE:6:19: sweep: vmm.block: "3m" is not one of 4k, 16k, 64k, 2m, 32m, 512m, 1g`,
      `FILE:7:3: sweep: unknown vmm option 'vmm.colour' (vmm.granule, vmm.ipaBits, vmm.block, vmm.map, vmm.switch, vmm.roots)`,
    ]);
    expect(errors(base('sweep:\n  tlb.seed: [1, 2]\n'))[0]).toMatch(/^FILE:5:3: tlb\.seed: the seed comes from repeat/);
    expect(errors(base('sweep:\n  args.seed: [1, 2]\n'))[0]).toMatch(/^FILE:5:3: args\.seed: the seed comes from repeat/);
  });

  it('checks: a metric of a known kind, selections by keys and values the experiment has, one bound', () => {
    const ok = 'modes: [stage2]\nsweep:\n  vmm.ipaBits: [40, 44]\nchecks:\n';
    expect(errors(base(`${ok}  - { name: a, metric: maxFetchesPerWalk, of: { mode: stage2, vmm.ipaBits: 44 }, equals: 24 }\n`))).toEqual([]);
    expect(errors(base(`${ok}  - { name: a, metric: "walks fetches", of: { mode: stage2 } }\n`))[0]).toMatch(/^FILE:8:24: metric 'walks fetches' is neither a stats key/);
    expect(errors(base(`${ok}  - { name: a, metric: cycles, of: { mode: shadow-wp, workload: ptrchase, vmm.ipaBits: 48, tlb.l2.entries: 8 } }\n`))).toEqual([
      `FILE:8:44: of: mode 'shadow-wp' is not run by this experiment (native, stage2)`,
      `FILE:8:65: of: no workload labelled 'ptrchase' (gups)`,
      `FILE:8:88: of: vmm.ipaBits takes no value 48 in the sweep (40, 44)`,
      `FILE:8:92: of: 'tlb.l2.entries' is not workload, mode or a sweep key (vmm.ipaBits)`,
    ]);
    expect(errors(base(`${ok}  - { name: a, metric: cycles, of: { mode: stage2 }, equals: 1, lessThan: { mode: native } }\n`))[0]).toMatch(/a check has one bound/);
  });

  it('checks against a published figure: a reference, a tolerance of at least 1, no second bound; metrics as products and quotients', () => {
    const c = 'checks:\n  - { name: a, metric: "4096 * guest.cycles / guest.bytes", of: { workload: gups }';
    expect(errors(base(`${c}, published: 500, unit: cycles per 4 KiB, factor: 2, reference: "x, 1 GHz" }\n`))).toEqual([]);
    expect(errors(base(`${c}, unit: cycles per 4 KiB, reference: none published }\n`))).toEqual([]);
    expect(errors(base(`${c}, published: 500 }\n`))).toEqual([`FILE:5:96: published: the check needs a reference saying where the figure was published (and the clock, if it was converted from ns to cycles)`]);
    expect(errors(base(`${c}, published: 500, factor: 0.5, reference: r }\n`))).toEqual([`FILE:5:109: factor with published is the tolerance, model / published within ÷factor…×factor: at least 1, not 0.5`]);
    expect(errors(base(`${c}, atLeast: 1, published: 500, reference: r }\n`))[0]).toMatch(/^FILE:5:\d+: a check has one bound \(equals, atLeast\/atMost, lessThan, greaterThan or published\), not atLeast and published$/);
    expect(errors(base(`${c}, published: -1, reference: r }\n`))[0]).toMatch(/^FILE:5:\d+: .*published.*must be > 0/);
    expect(errors(base(`checks:\n  - { name: a, metric: "guest.cycles / 4 * walks count", of: { workload: gups } }\n`))[0]).toMatch(/^FILE:5:\d+: metric 'guest.cycles \/ 4 \* walks count': 'walks count' is neither a stats key/);
    expect(errors(base(`checks:\n  - { name: a, metric: "4096 / 2", of: { workload: gups } }\n`))[0]).toMatch(/numbers alone are neither/);
  });

  it('a sweep of timing presets takes preset names, and the overrides must suit each preset', () => {
    expect(errors(base('sweep:\n  timing: [cortex-a72, neoverse-n1]\n'))).toEqual([]);
    expect(errors(base('sweep:\n  timing: [cortex-a72, cortex-a99, ../spec/timing/neoverse-n1.yaml]\n'))).toEqual([
      `FILE:5:24: sweep: timing: "cortex-a99" is not a timing preset (cortex-a57, cortex-a72, neoverse-n1)`,
      `FILE:5:36: sweep: timing: "../spec/timing/neoverse-n1.yaml" is not a timing preset (cortex-a57, cortex-a72, neoverse-n1)`,
    ]);
    // 1024 L2 TLB entries divide into the default cortex-a57's 4 ways, not into neoverse-n1's 5
    expect(errors(base('sweep:\n  timing: [neoverse-n1]\n  tlb.l2.entries: [1024]\n'))[0]).toMatch(/^FILE:5:3: sweep: .*tlb\.l2/);
  });

  it('two entries of the same workload need labels', () => {
    expect(errors('name: t\nworkloads:\n  - { name: gups }\n  - { name: gups, args: { mib: 8 } }\n'))
      .toEqual([`FILE:4:13: a second workload labelled 'gups': give each entry its own label`]);
    expect(errors('name: t\nworkloads:\n  - { name: gups }\n  - { name: gups, label: big, args: { mib: 8 } }\n')).toEqual([]);
  });

  it('quick may only shorten what the experiment has', () => {
    expect(errors(base('quick:\n  sweep:\n    tlb.l2.entries: [512]\n'))).toEqual([`FILE:6:5: quick.sweep: 'tlb.l2.entries' is not a key of sweep`]);
    expect(errors(base('quick:\n  args: { pages: 2 }\n'))).toEqual([`FILE:5:11: no workload of this experiment takes the argument 'pages'`]);
  });

  it('an unknown timing preset, and YAML that does not parse', () => {
    expect(errors(base('timing: cortex-a99\n'))[0]).toMatch(/^FILE:4:9: timing: unknown timing preset 'cortex-a99' \(presets: cortex-a57, /);
    expect(errors('name: t\nworkloads: [\n')[0]).toMatch(/^FILE:\d+:\d+: YAML: /);
  });
});
