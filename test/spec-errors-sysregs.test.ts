// Each file in test/fixtures/bad-sysregs makes one kind of mistake; loaded
// together with the real spec (so it can use real registers and profiles),
// it must produce exactly the error its first line expects, at file:line:col.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SpecErrors } from '../src/spec/source.js';
import { loadSysregs, sysregFiles } from '../src/spec/sysregs.js';

const DIR = fileURLToPath(new URL('./fixtures/bad-sysregs/', import.meta.url));

describe('sysreg spec errors', () => {
  const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

  it('has a fixture for each kind of mistake', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(26);
  });

  for (const f of fixtures) {
    it(f.replace(/\.yaml$/, ''), () => {
      const path = join(DIR, f);
      const expected = /^# expect: (.*)$/m.exec(readFileSync(path, 'utf8'))?.[1];
      expect(expected, `${f} needs a '# expect: line:col: message' first line`).toBeDefined();
      let err: unknown;
      try {
        loadSysregs([...sysregFiles(), path]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SpecErrors);
      expect((err as SpecErrors).errors.map((e) => e.message)).toEqual([`${relative(process.cwd(), path)}:${expected}`]);
    });
  }
});
