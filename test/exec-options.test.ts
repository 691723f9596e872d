// `el2sim exec [options] prog [--] [args…]`: el2sim's options come before the
// program, everything after it is the program's (a `--` before the program's
// arguments is taken away); an argument that looks like one of exec's own
// options gets a warning on stderr, as it is probably meant for el2sim.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const el2sim = (...args: string[]) => spawnSync('node', ['bin/el2sim.js', ...args], { encoding: 'utf8', timeout: 60_000 });

// exits with argc after a loop of 100 iterations (about 300 instructions)
let prog = '';
beforeAll(() => {
  const src = join(dir, 'argc.S');
  writeFileSync(src, '.global _start\n_start:\n  mov x1, #100\n1: subs x1, x1, #1\n  b.ne 1b\n  ldr x0, [sp]\n  mov x8, #93\n  svc #0\n');
  prog = join(dir, 'argc');
  expect(el2sim('asm', src, '-o', prog).status).toBe(0);
});

const warning = (opt: string) => `el2sim: warning: ${opt} after the program is passed to it; put el2sim's options before the program (el2sim exec [options] ${prog} [--] [args…])\n`;

describe('exec: options first, then the program and its arguments', () => {
  it('options before the program are el2sim\'s', () => {
    const r = el2sim('exec', '--max-insns', '10', prog, 'a');
    expect(r.status).toBe(124);
  });

  it('an option of el2sim after the program goes to the program, with a warning', () => {
    const r = el2sim('exec', prog, '--max-insns', '10');
    expect(r.status).toBe(3); // argc: not stopped by --max-insns
    expect(r.stderr).toBe(warning('--max-insns'));
    expect(el2sim('exec', prog, 'x', '--set=classes.alu=2').stderr).toBe(warning('--set'));
  });

  it('-- before the program\'s arguments is taken away and silences the warning', () => {
    const r = el2sim('exec', prog, '--', '--max-insns', '10');
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('');
    const before = el2sim('exec', '--max-insns', '1000', '--', prog, '--stats', 'x');
    expect(before.status).toBe(3);
    expect(before.stderr).toBe('');
  });

  it('arguments that are not its options pass without a word', () => {
    const r = el2sim('exec', prog, '--verbose', '-x', 'max-insns');
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('');
  });
});
