// Knowing whether src/generated is current: a hash of every input of the
// generator (spec files, generator and loader sources, operand kinds).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
export const GENERATED_DIR = join(ROOT, 'src/generated');
export const STAMP = join(GENERATED_DIR, '.stamp');
const INPUTS = ['spec', 'src/spec', 'src/gen', 'src/asm/operands', 'src/asm/operand.ts', 'src/asm/template.ts', 'src/core/isalib.ts'];

/** Every file at or under `p`, in sorted order ([] when there is nothing there). */
export function filesUnder(p: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((f) => filesUnder(join(p, f)));
}

export function inputsHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap((i) => filesUnder(join(ROOT, i)))) h.update(f.slice(ROOT.length)).update(readFileSync(f));
  return h.digest('hex');
}

export function isCurrent(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === inputsHash();
}
