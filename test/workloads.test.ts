// The workload catalogue the experiments validate against (src/experiments/workloads.ts), read
// from the guest's option tables: every workload the kernel embeds is in it, with its arguments.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argProblem, GUEST_DIR, takesArg, workloads } from '../src/experiments/workloads.js';

describe('the workload catalogue', () => {
  it('lists exactly the workloads guest/Makefile embeds in the kernel', () => {
    const embedded = /^WORKLOADS := (.*)$/m.exec(readFileSync(`${GUEST_DIR}Makefile`, 'utf8'))![1].split(' ');
    expect([...workloads().keys()].sort()).toEqual([...embedded].sort());
  });

  it('reads memlat\'s and membw\'s arguments, membw\'s --op with its names', () => {
    const memlat = workloads().get('memlat')!, membw = workloads().get('membw')!;
    expect(memlat.args!.map((a) => a.name)).toEqual(['kib', 'stride', 'iters', 'seed']);
    expect(memlat.args!.find((a) => a.name === 'kib')).toMatchObject({ default: 64, min: 4, max: 1048576 });
    expect(membw.args!.find((a) => a.name === 'op')).toMatchObject({ default: 0, min: 0, max: 3, choices: ['read', 'write', 'copy', 'zero'] });
    expect(takesArg(membw, 'passes')).toBe(true);
    expect(argProblem(membw, 'op', 2)).toBeUndefined();
    expect(argProblem(membw, 'op', 4)).toBe('membw --op: 4 is not an integer from 0 to 3 (0 read, 1 write, 2 copy, 3 zero)');
    expect(argProblem(memlat, 'stride', 4)).toBe('memlat --stride: 4 is not an integer from 8 to 1048576');
  });
});
