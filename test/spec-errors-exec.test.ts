// A syntax error in the TypeScript a spec embeds (exec, decode, prelude) is a
// spec error at the YAML file:line:col, found when the spec is loaded, not an
// esbuild stack trace from src/generated when the generated code is imported.
// Each case edits a copy of spec/isa.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIsa } from '../src/spec/isa.js';
import { SpecErrors } from '../src/spec/source.js';
import { SPEC_DIR } from '../src/spec/validate.js';

const tmp = mkdtempSync(join(tmpdir(), 'el2sim-spec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A copy of spec/isa with every `from` replaced by `to` in `file`; the errors loading it gives (file paths as in the messages). */
function errorsWith(file: string, from: string, to: string): { dir: string; errors: string[] } {
  const dir = join(tmp, `isa${n++}`);
  cpSync(join(SPEC_DIR, 'isa'), dir, { recursive: true });
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text.includes(from), `${file} has '${from}'`).toBe(true);
  writeFileSync(join(dir, file), text.split(from).join(to));
  try {
    loadIsa(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecErrors);
    return { dir, errors: (e as SpecErrors).errors.map((x) => x.message) };
  }
  return { dir, errors: [] };
}

const lineOf = (file: string, dir: string, needle: string) => readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('syntax errors in spec code', () => {
  it('the real spec has none (TypeScript syntax is accepted)', () => {
    expect(() => loadIsa()).not.toThrow();
  });

  it('in an exec body: file:line:col of the mistake inside the block', () => {
    const { dir, errors } = errorsWith('dp-imm.yaml', 'c.u32[2 * d] = c.u32[2 * n] + imm;', 'c.u32[2 * d] = (c.u32[2 * n] + imm;');
    const line = lineOf('dp-imm.yaml', dir, '(c.u32[2 * n] + imm;');
    // "      c.u32[2 * d] = (c.u32[2 * n] + imm;": the ';' is at column 41
    expect(errors).toEqual([expect.stringMatching(new RegExp(`/dp-imm\\.yaml:${line}:41: syntax error in the code: Expected "\\)" but found ";"$`))]);
  });

  it('in a decode body, on a later line of the block', () => {
    const { dir, errors } = errorsWith('dp-imm.yaml', 'if (sf) return (c: Cpu): void => { c.r[d] = c.r[n] + immB; };', 'if (sf) return (c: Cpu): void => { c.r[d] = c.r[n] + immB; ;');
    const line = lineOf('dp-imm.yaml', dir, 'c.r[n] + immB; ;');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`/dp-imm\\.yaml:(${line}|${line + 1}):\\d+: syntax error in the code: `));
  });

  it('in a prelude, and every broken body of a file at once', () => {
    const { dir, errors } = errorsWith('dp-reg.yaml', '  const ONES = 0xffffffffffffffffn;', '  const ONES = = 0xffffffffffffffffn;');
    const line = lineOf('dp-reg.yaml', dir, 'const ONES = =');
    expect(errors).toEqual([expect.stringMatching(new RegExp(`/dp-reg\\.yaml:${line}:16: syntax error in the code: Unexpected "="$`))]);
    const two = errorsWith('dp-imm.yaml', '      c.u32[2 * d + 1] = 0;\n', '      c.u32[2 * d + 1] = 0 0;\n');
    const lines = readFileSync(join(two.dir, 'dp-imm.yaml'), 'utf8').split('\n');
    expect(two.errors.length).toBe(lines.filter((l) => l.endsWith('= 0 0;')).length);
    expect(two.errors.length).toBeGreaterThan(1);
    for (const e of two.errors) {
      const [, l, c] = /dp-imm\.yaml:(\d+):(\d+): syntax error in the code: Expected ";" but found "0"$/.exec(e)!;
      expect(lines[Number(l) - 1].slice(Number(c) - 3)).toBe('0 0;'); // the column of the second 0
    }
  });

  it('in a one-line exec', () => {
    const { dir, errors } = errorsWith('dp-imm.yaml', `    exec: |
      c.r[T3] = imm;
      c.adds(d, n, T3, 0, 0, sf);`, `    exec: "c.adds(d, n, T3, 0, 0, sf));"`);
    const line = lineOf('dp-imm.yaml', dir, 'exec: "c.adds(d, n, T3, 0, 0, sf));"');
    expect(errors).toEqual([expect.stringMatching(new RegExp(`/dp-imm\\.yaml:${line}:38: syntax error in the code: Expected ";" but found "\\)"$`))]);
  });
});
