// An experiment file's problems as the loader reports them, with the file's
// path written FILE, for tests of the loader's messages.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperiment } from '../../src/experiments/experiment.js';
import { SpecErrors } from '../../src/spec/source.js';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-exp-'));
let n = 0;

/** Writes the YAML to a file and returns the loader's error messages (none: []). */
export function experimentErrors(yaml: string): string[] {
  const file = join(dir, `e${n++}.yaml`);
  writeFileSync(file, yaml);
  try {
    loadExperiment(file);
    return [];
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e;
    return e.errors.map((x) => x.message.replace(file, 'FILE'));
  }
}
