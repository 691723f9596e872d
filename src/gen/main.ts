// `npm run gen`: regenerates src/generated from spec/. Files are rewritten
// only when their content changes. Spec errors are printed as file:line:col
// lines and the exit status is 1.
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadIsa } from '../spec/isa.js';
import { SpecErrors } from '../spec/source.js';
import { emitDecoderModule, emitExecutorIndex, emitForms, emitGroupExecutor } from './isa.js';
import { generateSysregs } from './sysregs.js';
import { emitValidators } from './validators.js';
import { GENERATED_DIR, inputsHash, STAMP } from './stamp.js';

function write(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
}

export function generate(): void {
  const groups = loadIsa();
  const all = groups.flatMap((g) => g.insns);
  mkdirSync(join(GENERATED_DIR, 'exec'), { recursive: true });
  const keep = new Set(groups.map((g) => `${g.group}.ts`));
  for (const f of readdirSync(join(GENERATED_DIR, 'exec'))) if (!keep.has(f)) rmSync(join(GENERATED_DIR, 'exec', f));
  for (const g of groups) write(join(GENERATED_DIR, 'exec', `${g.group}.ts`), emitGroupExecutor(g));
  write(join(GENERATED_DIR, 'executor.ts'), emitExecutorIndex(groups, all));
  write(join(GENERATED_DIR, 'decoder.ts'), emitDecoderModule(all));
  write(join(GENERATED_DIR, 'forms.ts'), emitForms(all));
  write(join(GENERATED_DIR, 'sysregs.ts'), generateSysregs());
  mkdirSync(join(GENERATED_DIR, 'validators'), { recursive: true });
  const validators = emitValidators();
  for (const f of readdirSync(join(GENERATED_DIR, 'validators'))) if (!validators.has(f)) rmSync(join(GENERATED_DIR, 'validators', f));
  for (const [f, code] of validators) write(join(GENERATED_DIR, 'validators', f), code);
  write(STAMP, inputsHash());
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  try {
    generate();
  } catch (e) {
    if (e instanceof SpecErrors) {
      process.stderr.write(e.message + '\n');
      process.exit(1);
    }
    throw e;
  }
}
