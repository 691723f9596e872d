// Timing presets (spec/timing/*.yaml) and `--set path=value` overrides.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpecSource, SpecErrors } from './source.js';
import { validateAgainst, SPEC_DIR } from './validate.js';

export interface Timing {
  name: string;
  description: string;
  frequencyMHz: number;
  classes: Record<string, number>;
  exception: { entry: number; eret: number };
}

export function timingPresets(): string[] {
  return readdirSync(join(SPEC_DIR, 'timing')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

/** A preset by name (spec/timing/NAME.yaml) or a path to a timing file. */
export function loadTiming(nameOrPath = 'cortex-a57'): Timing {
  const path = existsSync(nameOrPath) ? nameOrPath : join(SPEC_DIR, 'timing', `${nameOrPath}.yaml`);
  if (!existsSync(path)) throw new Error(`unknown timing preset '${nameOrPath}' (presets: ${timingPresets().join(', ')})`);
  const src = new SpecSource(path);
  if (src.errors.length || !validateAgainst(src, 'timing.schema.json')) throw new SpecErrors(src.errors);
  return src.doc.toJS() as Timing;
}

/**
 * Applies one override `a.b.c=value` in place. The path must exist and the value
 * must have the type of the value it replaces, so a typo never goes unnoticed.
 */
export function applyOverride(t: Timing, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq < 0) throw new Error(`--set ${assignment}: expected path=value`);
  const path = assignment.slice(0, eq).trim().split('.');
  const raw = assignment.slice(eq + 1).trim();
  let obj = t as unknown as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = obj[key];
    if (typeof next !== 'object' || next === null) throw new Error(`--set ${assignment}: no setting '${path.join('.')}'`);
    obj = next as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  const old = obj[last];
  if (old === undefined || typeof old === 'object') throw new Error(`--set ${assignment}: no setting '${path.join('.')}'`);
  if (typeof old === 'number') {
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) throw new Error(`--set ${assignment}: '${raw}' is not a number`);
    obj[last] = v;
  } else if (typeof old === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new Error(`--set ${assignment}: '${raw}' is not true or false`);
    obj[last] = raw === 'true';
  } else {
    obj[last] = raw;
  }
}
