// Every number of a timing preset is bounded by what the model can hold and
// what a real core could have: an absurd --set or sweep value is refused with
// the path and the limit, before any memory is allocated for it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, loadTiming, MAX_CACHE_LINES, OverrideError, timingPresets } from '../src/spec/timing.js';
import { loadExperiment } from '../src/experiments/experiment.js';
import { SpecErrors } from '../src/spec/source.js';
import { SPEC_DIR } from '../src/spec/validate.js';

const refusal = (...sets: string[]): string => {
  try {
    applyOverrides(loadTiming('cortex-a57'), sets);
  } catch (e) {
    expect(e).toBeInstanceOf(OverrideError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${sets.join(' ')}`);
};

describe('timing bounds', () => {
  it('every number in the schema has a minimum and a maximum', () => {
    const schema = JSON.parse(readFileSync(join(SPEC_DIR, 'schema/timing.schema.json'), 'utf8'));
    const unbounded: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      if (node.type === 'integer' || node.type === 'number') {
        if (typeof node.minimum !== 'number' || typeof node.maximum !== 'number') unbounded.push(path);
      }
      for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) walk(v, path ? `${path}.${k}` : k);
    };
    walk(schema, '');
    expect(unbounded).toEqual([]);
  });

  it('the presets are within the bounds', () => {
    for (const p of timingPresets()) expect(() => applyOverrides(loadTiming(p), []), p).not.toThrow();
  });

  it('refuses absurd cycle counts, latencies and frequencies, naming the path and the limit', () => {
    expect(refusal('classes.alu=1e300')).toBe('--set classes.alu=1e300: classes.alu: must be <= 10000');
    expect(refusal('memory.latency=1e7')).toBe('--set memory.latency=1e7: memory.latency: must be <= 100000');
    expect(refusal('tlb.l2.latency=5000')).toBe('--set tlb.l2.latency=5000: tlb.l2.latency: must be <= 1000');
    expect(refusal('frequencyMHz=1e9')).toBe('--set frequencyMHz=1e9: frequencyMHz: must be <= 100000');
    expect(refusal('exception.entry=-1')).toBe('--set exception.entry=-1: exception.entry: must be >= 0');
  });

  it('refuses geometry the model cannot hold instead of running out of memory', () => {
    expect(refusal('tlb.l2.entries=1e9')).toMatch(/^--set tlb\.l2\.entries=1e9: tlb\.l2\.entries: must be <= 65536/);
    expect(refusal('walkCache.s1.entries=1e6')).toMatch(/walkCache\.s1\.entries: must be <= 65536/);
    expect(refusal('cache.llc.sizeKiB=1e9')).toMatch(/^--set cache\.llc\.sizeKiB=1e9: cache\.llc\.sizeKiB: must be <= 262144/);
    expect(refusal('cache.lineBytes=8', 'cache.llc.sizeKiB=262144'))
      .toBe(`--set cache.lineBytes=8 cache.llc.sizeKiB=262144: cache.llc: 262144 KiB of 8-byte lines is 33554432 lines, more than the model holds (${MAX_CACHE_LINES} per level)`);
  });

  it('an experiment with such a value is refused at load, at the value', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'el2sim-tb-')), 'e.yaml');
    writeFileSync(file, 'name: t\nworkloads: [{ name: gups }]\nsweep:\n  tlb.l2.entries: [512, 1e9]\n  cache.llc.sizeKiB: [1024, 1e9]\n');
    let errors: string[] = [];
    try {
      loadExperiment(file);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecErrors);
      errors = (e as SpecErrors).errors.map((x) => x.message.replace(file, 'FILE'));
    }
    expect(errors).toEqual([
      'FILE:4:25: sweep: tlb.l2.entries: must be <= 65536',
      'FILE:5:29: sweep: cache.llc.sizeKiB: must be <= 262144',
    ]);
  });
});
