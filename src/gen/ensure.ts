// Regenerates src/generated when any generator input changed since the last
// run. Imports nothing that depends on src/generated.
import { isCurrent } from './stamp.js';
import { generate } from './main.js';
import { SpecErrors } from '../spec/source.js';

export function ensureGenerated(): boolean {
  if (isCurrent()) return true;
  try {
    generate();
    return true;
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e;
    process.stderr.write(`el2sim: the spec has errors:\n${e.message}\n`);
    return false;
  }
}
