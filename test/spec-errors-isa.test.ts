// One broken ISA spec per kind of mistake; each must produce its own message
// at the right file:line:col.
import { describe, expect, it } from 'vitest';
import { loadIsa } from '../src/spec/isa.js';
import { SpecErrors } from '../src/spec/source.js';

const DIR = 'test/fixtures/bad-isa';
const expected: Record<string, string> = {
  'width-sum': 'group.yaml:5:16: encoding of A: field widths sum to 30, not 32',
  'bad-token': "group.yaml:5:21: encoding of A: bad token '00100012': expected bits (0, 1, x) or name:width",
  'unknown-kind': "group.yaml:6:28: unknown operand kind 'Bogus'",
  arity: 'group.yaml:6:14: operand kind GPR takes 2 argument(s), got 1',
  overlap: "group.yaml:10:15: encoding of B overlaps A (test/fixtures/bad-isa/overlap/group.yaml); order them with 'overrides'",
  'duplicate-name': 'group.yaml:9:11: duplicate instruction name A',
  'missing-key': "group.yaml:4:5: instructions.0: missing key 'class'",
  'unknown-class': 'group.yaml:7:12: instructions.0.class: must be equal to one of the allowed values: alu, mul, div, load, store, branch, system, barrier, exception',
  'unknown-field': "group.yaml:8:16: unknown field 'Rm' in expression",
  'unknown-override': 'group.yaml:7:16: overrides unknown instruction NOPE',
  'yaml-syntax': 'group.yaml:5:53: YAML: Missing closing "quote',
  'syndrome-no-rt': 'group.yaml:8:15: a syndrome needs an Rt field in bits 4:0 (it is SRT)',
};

describe('ISA spec errors name file:line:col and the problem', () => {
  for (const [name, msg] of Object.entries(expected)) {
    it(name, () => {
      let err: unknown;
      try { loadIsa(`${DIR}/${name}`); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(SpecErrors);
      expect((err as SpecErrors).message).toContain(`${DIR}/${name}/${msg}`);
    });
  }
});
