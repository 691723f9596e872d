// Timing presets (spec/timing/*.yaml) and `--set path=value` overrides.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpecSource, SpecErrors } from './source.js';
import { validateAgainst, validateValue, SPEC_DIR } from './validate.js';

export interface TlbLevelTiming { entries: number; /** 0: fully associative */ ways: number; latency: number }
export interface CacheLevelTiming { sizeKiB: number; ways: number; latency: number }
export interface Switch { enabled: boolean; entries: number }
/** A stride prefetcher: `degree` lines, `distance` strides ahead of the miss that triggers it. */
export interface PrefetcherTiming { enabled: boolean; degree: number; distance: number }

/** A timing preset (spec/timing/*.yaml; the schema documents every field). */
export interface Timing {
  name: string;
  description: string;
  frequencyMHz: number;
  classes: Record<string, number>;
  tlb: { replacement: 'lru' | 'random'; seed: number; l1i: TlbLevelTiming; l1d: TlbLevelTiming; l2: TlbLevelTiming };
  walkCache: { enabled: boolean; s1: Switch; s2: Switch };
  nestedTlb: Switch;
  cache: { enabled: boolean; lineBytes: number; l1d: CacheLevelTiming; l2: CacheLevelTiming; llc: CacheLevelTiming };
  memory: { latency: number; mlp: number; mlpWindow: number };
  storeBuffer: { entries: number };
  prefetch: { l1d: PrefetcherTiming; l2: PrefetcherTiming };
  exception: { entry: number; eret: number };
}

/** A timing preset that does not exist or whose geometry is inconsistent. */
export class TimingError extends Error {}

/** A `--set path=value` that does not apply: `problem` says why; `unknownPath` when there is no such setting. */
export class OverrideError extends TimingError {
  constructor(readonly assignment: string, readonly problem: string, readonly unknownPath = false) {
    super(`--set ${assignment}: ${problem}`);
  }
}

export function timingPresets(): string[] {
  return readdirSync(join(SPEC_DIR, 'timing')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

/** A preset by name (spec/timing/NAME.yaml) or a path to a timing file. */
export function loadTiming(nameOrPath = 'cortex-a57'): Timing {
  const path = existsSync(nameOrPath) ? nameOrPath : join(SPEC_DIR, 'timing', `${nameOrPath}.yaml`);
  if (!existsSync(path)) throw new TimingError(`unknown timing preset '${nameOrPath}' (presets: ${timingPresets().join(', ')})`);
  const src = new SpecSource(path);
  if (src.errors.length || !validateAgainst(src, 'timing.schema.json')) throw new SpecErrors(src.errors);
  const t = src.doc.toJS() as Timing;
  const bad = geometryProblems(t);
  if (bad.length) throw new TimingError(`${path}: ${bad.join('; ')}`);
  return t;
}

/** Lines one cache level may hold: the model keeps 16 bytes per line (64 MiB at most per level). */
export const MAX_CACHE_LINES = 4 * 1024 * 1024;

/** Consistency the schema cannot state: associativity divides the sizes; a level's lines fit the model. */
function geometryProblems(t: Timing): string[] {
  const out: string[] = [];
  for (const k of ['l1i', 'l1d', 'l2'] as const) {
    const l = t.tlb[k];
    if (l.ways !== 0 && l.entries % l.ways !== 0) out.push(`tlb.${k}.ways (${l.ways}) must divide tlb.${k}.entries (${l.entries})`);
  }
  for (const k of ['l1d', 'l2', 'llc'] as const) {
    const c = t.cache[k];
    const lines = (c.sizeKiB * 1024) / t.cache.lineBytes;
    if (lines > MAX_CACHE_LINES) out.push(`cache.${k}: ${c.sizeKiB} KiB of ${t.cache.lineBytes}-byte lines is ${lines} lines, more than the model holds (${MAX_CACHE_LINES} per level)`);
    else if (!Number.isInteger(lines / c.ways)) out.push(`cache.${k}: ${c.sizeKiB} KiB of ${t.cache.lineBytes}-byte lines does not divide into ${c.ways} ways`);
  }
  return out;
}

/** Applies `--set` overrides in order, then checks the result against the schema and the geometry rules. */
export function applyOverrides(t: Timing, assignments: readonly string[]): Timing {
  for (const a of assignments) applyOverride(t, a);
  const bad = [...validateValue(t, 'timing.schema.json'), ...geometryProblems(t)];
  if (bad.length) throw new OverrideError(assignments.join(' '), bad.join('; '));
  return t;
}

/**
 * Applies one override `a.b.c=value` in place. The path must exist and the value
 * must have the type of the value it replaces, so a typo never goes unnoticed.
 */
export function applyOverride(t: Timing, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq < 0) throw new OverrideError(assignment, 'expected path=value');
  const path = assignment.slice(0, eq).trim().split('.');
  const raw = assignment.slice(eq + 1).trim();
  let obj = t as unknown as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = obj[key];
    if (typeof next !== 'object' || next === null) throw new OverrideError(assignment, `no setting '${path.join('.')}'`, true);
    obj = next as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  const old = obj[last];
  if (old === undefined || typeof old === 'object') throw new OverrideError(assignment, `no setting '${path.join('.')}'`, true);
  if (typeof old === 'number') {
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) throw new OverrideError(assignment, `'${raw}' is not a number`);
    obj[last] = v;
  } else if (typeof old === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new OverrideError(assignment, `'${raw}' is not true or false`);
    obj[last] = raw === 'true';
  } else {
    obj[last] = raw;
  }
}
