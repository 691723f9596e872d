// JSON Schema validation of a spec file, with each schema error mapped back
// to the YAML node it is about. The schemas in spec/schema are the one
// statement of each file's structure; editors use the same files. Their
// validators are generated as code (src/gen/validators.ts); ajv itself is
// loaded only for a schema changed since (and by the generator).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Node } from 'yaml';
import type { SpecSource } from './source.js';

export const SPEC_DIR = new URL('../../spec/', import.meta.url).pathname;
/** How the schemas are compiled, generated validators included. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;
/** What a generated validator records of the schema text it was compiled from. */
export const schemaHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The generated validator's module of a schema file, in src/generated/validators. */
export const validatorModule = (schema: string): string => schema.replace(/\.json$/, '') + '.cjs';

// CommonJS, loaded synchronously: the generated validators and, when needed, ajv
const requireCjs = createRequire(import.meta.url);
/** The generated validator of a schema, if there is one (the generator itself validates the spec before). */
function generatedValidator(schema: string): { validate: ValidateFunction; hash: string } | undefined {
  try {
    return requireCjs(`../generated/validators/${validatorModule(schema)}`) as { validate: ValidateFunction; hash: string };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    return undefined;
  }
}
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(schema: string): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    const text = readFileSync(join(SPEC_DIR, 'schema', schema), 'utf8');
    const g = generatedValidator(schema);
    if (g !== undefined && g.hash === schemaHash(text)) v = g.validate;
    else {
      ajv ??= new (requireCjs('ajv') as typeof import('ajv')).Ajv(AJV_OPTIONS);
      v = ajv.compile(JSON.parse(text));
    }
    compiled.set(schema, v);
  }
  return v;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': return `unknown key '${String(p.additionalProperty)}'`;
    case 'required': return `missing key '${String(p.missingProperty)}'`;
    case 'enum': return `${e.message}: ${(p.allowedValues as unknown[]).join(', ')}`;
    default: return e.message ?? e.keyword;
  }
}

/**
 * Validates the whole file against `schema` (a file name in spec/schema); returns false on errors, which go to src.errors.
 * `invalid` receives the path of the value each error is about (for an unknown key, the key's value;
 * for a missing key, the map; [] for the document itself), so a loader can go on with the rest.
 */
export function validateAgainst(src: SpecSource, schema: string, invalid?: (string | number)[][]): boolean {
  const v = validator(schema);
  if (v(src.doc.toJS())) return true;
  // oneOf/anyOf produce a cascade of sub-errors; the most specific (deepest) ones say what is wrong.
  const errs = (v.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  for (const e of errs) {
    const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const keyPath = path.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    let node = src.doc.getIn(keyPath, true) as Node | undefined;
    invalid?.push(e.keyword === 'additionalProperties' ? [...keyPath, (e.params as { additionalProperty: string }).additionalProperty] : keyPath);
    if (e.keyword === 'additionalProperties') {
      // point at the offending key, not the map holding it
      const m = src.doc.getIn(keyPath, true) as { items?: { key: Node }[] } | undefined;
      const key = m?.items?.find((it) => (it.key as { value?: unknown }).value === (e.params as { additionalProperty: string }).additionalProperty);
      node = key?.key ?? node;
    }
    const msg = `${path.length ? path.join('.') + ': ' : ''}${describe(e)}`;
    const err = src.error(node ?? src.root, msg);
    if (seen.has(err.message)) continue;
    seen.add(err.message);
    src.errors.push(err);
  }
  return false;
}

/** Validates a plain value against `schema`; returns the problems as "path: message" lines. */
export function validateValue(value: unknown, schema: string): string[] {
  const v = validator(schema);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath.split('/').slice(1).join('.') || '(top)'}: ${describe(e)}`);
}
