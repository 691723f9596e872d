// An experiment file's problems are reported at once: the schema's and those of
// the later checks (workloads, values, combinations) on the parts the schema
// accepts; and every distinct problem of the combination check, not the first.
import { describe, expect, it } from 'vitest';
import { experimentErrors as errors } from './helpers/experiment-errors.js';

const gups = 'name: t\nworkloads:\n  - { name: gups, args: { mib: 1, iters: 1000 } }\n';

describe('staged checks of an experiment file', () => {
  it('schema errors and bad values in one report', () => {
    const e = errors(`${gups}repeat: two\nsweep:\n  args.mib: [1, 0]\n  walkCache.enabled: [maybe]\n`);
    expect(e).toEqual([
      'FILE:4:9: repeat: must be integer',
      'FILE:6:17: gups --mib: 0 is not an integer from 1 to 1024',
      "FILE:7:23: sweep: walkCache.enabled: 'maybe' is not true or false",
    ]);
  });

  it('an unknown key and a bad value in a list the schema refuses part of', () => {
    const e = errors(`${gups}modes: [native, nested]\nsweeps: {}\nsweep:\n  args.mib: [0]\n`);
    expect(e).toEqual([
      "FILE:5:1: unknown key 'sweeps'",
      'FILE:4:17: modes.1: must be equal to one of the allowed values: native, stage2, shadow-wp, shadow-lazy',
      'FILE:7:14: gups --mib: 0 is not an integer from 1 to 1024',
    ]);
  });

  it('what refers to a part the schema refused is not reported as a second, false problem', () => {
    // sweep.args.mib is not a list: removed; quick.sweep naming it is not "not a key of sweep"
    const e = errors(`${gups}sweep:\n  args.mib: 1\nquick:\n  sweep:\n    args.mib: [1]\n`);
    expect(e).toEqual(['FILE:5:13: sweep.args.mib: must be array']);
  });

  it('a document the schema refuses as a whole: its errors only', () => {
    expect(errors('workloads: []\n')).toEqual(expect.arrayContaining(["FILE:1:1: missing key 'name'"]));
  });

  it('every distinct problem of the combinations, each once, with the good values only', () => {
    const e = errors(`${gups}sweep:\n  tlb.l2.entries: [1024, 1022, 1020, x]\n  tlb.l2.ways: [4, 8]\n`);
    expect(e).toEqual([
      "FILE:5:38: sweep: tlb.l2.entries: 'x' is not a number",
      'FILE:5:3: sweep: tlb.l2.ways (4) must divide tlb.l2.entries (1022), with --set tlb.l2.entries=1022 tlb.l2.ways=4',
      'FILE:5:3: sweep: tlb.l2.ways (8) must divide tlb.l2.entries (1022), with --set tlb.l2.entries=1022 tlb.l2.ways=8',
      'FILE:5:3: sweep: tlb.l2.ways (8) must divide tlb.l2.entries (1020), with --set tlb.l2.entries=1020 tlb.l2.ways=8',
    ]);
  });

  it('a problem several combinations share is reported once', () => {
    const e = errors(`${gups}set:\n  tlb.l2.ways: 3\nsweep:\n  tlb.l2.entries: [1024]\n  cache.l2.ways: [8, 16]\n`);
    expect(e).toEqual(['FILE:7:3: sweep: tlb.l2.ways (3) must divide tlb.l2.entries (1024), with --set tlb.l2.ways=3 tlb.l2.entries=1024 cache.l2.ways=8']);
  });
});
