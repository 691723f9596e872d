// Syntax check of the TypeScript the ISA spec embeds (`prelude`, `decode`,
// `exec`), at load time: a mistake is a spec error at the YAML file:line:col
// where it is, not an esbuild stack trace from src/generated when the
// generated executor is first imported. Parsed with esbuild (the transformer
// tsx runs the generated code with), so what passes here also loads there.
// Types are not checked here; `tsc` checks the generated code.
import { transformSync, type Message } from 'esbuild';
import { isScalar, type Node, type SpecSource } from './source.js';

/** A piece of code in a spec file: a body (of a function, as decode and exec are emitted) or module-level code (prelude). */
export interface Snippet { node: Node; code: string; module?: boolean }

const header = (k: number, s: Snippet) => (s.module ? '' : `function __spec_${k}() {\n`);
const footer = (s: Snippet) => (s.module ? '\n' : '\n}\n');

/** Reports every syntax error of the snippets at its position in `src`'s file. */
export function checkCode(src: SpecSource, snippets: Snippet[]): void {
  const body = snippets.filter((s) => !s.module);
  // Fast path: every function body parsed at once; only a failure is worth a parse per snippet.
  if (body.length && parses(body.map((s, k) => header(k, s) + s.code + footer(s)).join(''))) snippets = snippets.filter((s) => s.module);
  for (const s of snippets) {
    const errors = parseErrors(header(0, s) + s.code + footer(s));
    const skip = s.module ? 0 : 1;
    for (const e of errors) {
      const loc = e.location;
      const line = Math.min(Math.max((loc?.line ?? 1) - 1 - skip, 0), s.code.split('\n').length - 1);
      const col = loc && loc.line - 1 - skip === line ? loc.column : 0;
      src.report(s.node, `syntax error in the code: ${e.text}`, offsetIn(src, s.node, line, col));
    }
  }
}

function parses(code: string): boolean {
  return parseErrors(code).length === 0;
}

function parseErrors(code: string): Message[] {
  try {
    transformSync(code, { loader: 'ts', logLevel: 'silent' });
    return [];
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors) throw e;
    return errors;
  }
}

/**
 * The offset from the node's start of (line, col) of its value. A block scalar
 * (`exec: |`) keeps its lines: value line k is the k-th line after the header,
 * less the block's indentation. A one-line scalar maps directly (after a quote).
 */
function offsetIn(src: SpecSource, node: Node, line: number, col: number): number {
  const text = src.text;
  const start = node.range?.[0] ?? 0;
  if (!isScalar(node) || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')) {
    return line === 0 ? (isScalar(node) && node.type !== 'PLAIN' ? 1 : 0) + col : 0;
  }
  if (node.type === 'BLOCK_FOLDED') return 0; // folded lines do not map one to one
  let at = text.indexOf('\n', start) + 1; // first content line
  let indent: number | undefined;
  for (let k = 0; at > 0 && at < text.length; k++) {
    const end = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    const raw = text.slice(at, end);
    if (indent === undefined && raw.trim() !== '') indent = raw.length - raw.trimStart().length;
    if (k === line) return at + Math.min(indent ?? 0, raw.length) + col - start;
    at = end + 1;
  }
  return 0;
}
