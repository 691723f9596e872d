// Loads spec/isa/*.yaml into checked instruction descriptions. Every problem
// is reported as file:line:col with what is wrong; all of a run's problems are
// reported together.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'yaml';
import { SpecSource, SpecErrors, child, items, scalar, isScalar, type SpecError } from './source.js';
import { validateAgainst, SPEC_DIR } from './validate.js';
import { parseEncoding, type Encoding } from './encoding.js';
import { parseTemplate, type Template } from '../asm/template.js';
import { operandKind } from '../asm/operands/index.js';
import { checkCode, type Snippet } from './code.js';

export const TIMING_CLASSES = ['alu', 'mul', 'div', 'load', 'store', 'branch', 'system', 'barrier', 'exception'] as const;
export type TimingClass = (typeof TIMING_CLASSES)[number];

export interface FormSpec {
  template: Template;
  when?: string;
  preferred: boolean;
  /** Fields the form fixes (top-level `field == N` conjuncts of `when`). */
  fixed: Record<string, number>;
}

export interface InsnSpec {
  name: string;
  group: string;
  file: string;
  encoding: Encoding;
  forms: FormSpec[];
  undefinedIf?: string;
  /** The data-abort instruction syndrome of a single-register load or store (ISS SAS, SSE, SF, AR; SRT is Rt). */
  syndrome?: { size: 1 | 2 | 4 | 8; signed: boolean; sf: boolean; acqrel: boolean };
  overrides: string[];
  cls: TimingClass;
  /** A later extension's encoding: decoded and printed, UNDEFINED when executed. */
  feature?: string;
  decode?: string;
  exec: string;
}

export interface IsaGroup { group: string; title: string; file: string; prelude?: string; insns: InsnSpec[] }

const JS_WORDS = new Set(['true', 'false', 'Math', 'undefined']);

/** Checks that a `when`/`undefined_if` expression is JS over the instruction's fields only. */
function checkExpr(src: SpecSource, node: Node, expr: string, fields: Set<string>): void {
  const col = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
  for (const m of expr.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    if (!fields.has(m[0]) && !JS_WORDS.has(m[0])) src.report(node, `unknown field '${m[0]}' in expression`, col + m.index!);
  }
  try { new Function(...fields, `return (${expr});`); } catch (e) { src.report(node, `bad expression: ${(e as Error).message}`, col); }
}

/** `a == 1 && b == 31 && (...)` → {a: 1, b: 31}: what a form pins down. */
function fixedBy(when: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!when) return out;
  for (const part of when.split('&&')) {
    const m = /^\s*([A-Za-z_]\w*)\s*===?\s*(\d+|0x[0-9a-fA-F]+)\s*$/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

function loadFile(path: string, errs: SpecError[]): IsaGroup | undefined {
  const src = new SpecSource(path);
  if (src.errors.length || !validateAgainst(src, 'isa.schema.json')) { errs.push(...src.errors); return undefined; }
  const root = src.root!;
  const group = String(scalar(child(root, 'group')));
  const insns: InsnSpec[] = [];
  const code: Snippet[] = [];
  const preludeNode = child(root, 'prelude');
  if (preludeNode && scalar(preludeNode) !== undefined) code.push({ node: preludeNode, code: String(scalar(preludeNode)), module: true });
  for (const node of items(child(root, 'instructions'))) {
    const name = String(scalar(child(node, 'name')));
    const encNode = child(node, 'encoding')!;
    let encoding: Encoding;
    try {
      encoding = parseEncoding(String(scalar(encNode)));
    } catch (e) {
      const quoted = isScalar(encNode) && encNode.type !== 'PLAIN' ? 1 : 0;
      src.report(encNode, `encoding of ${name}: ${(e as Error).message}`, quoted + ((e as { col?: number }).col ?? 0));
      continue;
    }
    const fieldNames = new Set(encoding.fields.map((f) => f.name));
    const asmNode = child(node, 'asm')!;
    const formNodes = isScalar(asmNode) ? [asmNode] : items(asmNode);
    const forms: FormSpec[] = [];
    for (const fnode of formNodes) {
      const textNode = isScalar(fnode) ? fnode : child(fnode, 'text')!;
      const whenNode = isScalar(fnode) ? undefined : child(fnode, 'when');
      const text = String(scalar(textNode));
      const quoted = isScalar(textNode) && textNode.type !== 'PLAIN' ? 1 : 0;
      let template: Template;
      try {
        template = parseTemplate(text);
      } catch (e) {
        src.report(textNode, (e as Error).message, quoted + ((e as { col?: number }).col ?? 0));
        continue;
      }
      for (const p of template.pieces) {
        if (typeof p === 'string') continue;
        const kind = operandKind(p.kind);
        if (!kind) { src.report(textNode, `unknown operand kind '${p.kind}'`, quoted + p.col + 1); continue; }
        if (kind.arity !== p.args.length) src.report(textNode, `operand kind ${p.kind} takes ${kind.arity} argument(s), got ${p.args.length}`, quoted + p.col + 1);
        for (const a of p.args) if (typeof a === 'string' && !fieldNames.has(a)) src.report(textNode, `operand ${p.kind} names unknown field '${a}'`, quoted + p.col + 1);
      }
      const when = whenNode ? String(scalar(whenNode)) : undefined;
      if (when) checkExpr(src, whenNode!, when, fieldNames);
      const preferred = isScalar(fnode) ? true : scalar(child(fnode, 'preferred')) !== false;
      forms.push({ template, when, preferred, fixed: fixedBy(when) });
    }
    const undefNode = child(node, 'undefined_if');
    const undefinedIf = undefNode ? String(scalar(undefNode)) : undefined;
    if (undefinedIf) checkExpr(src, undefNode!, undefinedIf, fieldNames);
    const dec = scalar(child(node, 'decode'));
    const synNode = child(node, 'syndrome');
    const syn = synNode ? (synNode as { toJSON(): Record<string, unknown> }).toJSON() : undefined;
    const rt = encoding.fields.find((f) => f.name === 'Rt');
    if (syn && !(rt && rt.lsb === 0 && rt.width === 5)) src.report(synNode!, 'a syndrome needs an Rt field in bits 4:0 (it is SRT)');
    const feature = scalar(child(node, 'feature')) as string | undefined;
    for (const key of feature ? ['decode'] : ['decode', 'exec']) {
      const n = child(node, key);
      if (n && scalar(n) !== undefined) code.push({ node: n, code: String(scalar(n)) });
    }
    insns.push({
      name, group, file: src.file, encoding, forms, undefinedIf,
      syndrome: syn && { size: syn.size as 1 | 2 | 4 | 8, signed: syn.signed === true, sf: syn.sf === true, acqrel: syn.acqrel === true },
      overrides: items(child(node, 'overrides')).map((n) => String(scalar(n))),
      cls: scalar(child(node, 'class')) as TimingClass,
      feature,
      decode: dec === undefined ? undefined : String(dec),
      exec: feature ? 'throw undefinedInstruction();' : String(scalar(child(node, 'exec'))),
    });
    (insns.at(-1) as InsnSpec & { node?: Node }).node = node;
  }
  checkCode(src, code);
  errs.push(...src.errors);
  const prelude = scalar(child(root, 'prelude'));
  return { group, title: String(scalar(child(root, 'title'))), file: src.file, prelude: prelude === undefined ? undefined : String(prelude), insns };
}

function overlaps(a: Encoding, b: Encoding): boolean {
  return ((a.value ^ b.value) & a.mask & b.mask) === 0;
}

/** Loads and checks every group in `dir` (default spec/isa). Throws SpecErrors listing every problem. */
export function loadIsa(dir = join(SPEC_DIR, 'isa')): IsaGroup[] {
  const errs: SpecError[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const groups: IsaGroup[] = [];
  const srcs = new Map<string, SpecSource>();
  for (const f of files) {
    const g = loadFile(join(dir, f), errs);
    if (g) groups.push(g);
  }
  const all = groups.flatMap((g) => g.insns) as (InsnSpec & { node: Node })[];
  const byName = new Map<string, InsnSpec & { node: Node }>();
  const at = (i: InsnSpec & { node: Node }, key: string, problem: string) => {
    let s = srcs.get(i.file);
    if (!s) { s = new SpecSource(join(dir, i.file.split('/').pop()!)); srcs.set(i.file, s); }
    errs.push(s.error(s.doc.getIn(pathOf(s, i.node, key), true) as Node ?? i.node, problem));
  };
  for (const i of all) {
    const prev = byName.get(i.name);
    if (prev) at(i, 'name', `duplicate instruction name ${i.name} (first in ${prev.file})`);
    else byName.set(i.name, i);
  }
  for (const i of all) for (const o of i.overrides) if (!byName.has(o)) at(i, 'overrides', `overrides unknown instruction ${o}`);
  for (let x = 0; x < all.length; x++) {
    for (let y = x + 1; y < all.length; y++) {
      const a = all[x], b = all[y];
      if (!overlaps(a.encoding, b.encoding) || a.overrides.includes(b.name) || b.overrides.includes(a.name)) continue;
      at(b, 'encoding', `encoding of ${b.name} overlaps ${a.name} (${a.file}); order them with 'overrides'`);
    }
  }
  if (errs.length) throw new SpecErrors(errs);
  return groups;
}

/** Re-finds an instruction's key node inside a freshly parsed copy of its file (positions are per parse). */
function pathOf(s: SpecSource, node: Node, key: string): (string | number)[] {
  const list = items(child(s.root, 'instructions'));
  const idx = list.findIndex((n) => n.range?.[0] === node.range?.[0]);
  return ['instructions', idx, key];
}
