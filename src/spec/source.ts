// Reading YAML spec files while keeping every node's position, so that each
// error can name file:line:col. All spec loaders go through here.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Document } from 'yaml';

export class SpecError extends Error {
  constructor(readonly file: string, readonly line: number, readonly col: number, readonly problem: string) {
    super(`${file}:${line}:${col}: ${problem}`);
  }
}

/** Several spec errors reported at once; the message lists them all, one per line. */
export class SpecErrors extends Error {
  constructor(readonly errors: SpecError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/** A parsed YAML file: plain JS data plus a way back from a node to its position. */
export class SpecSource {
  readonly doc: Document.Parsed;
  readonly errors: SpecError[] = [];
  private readonly lines = new LineCounter();

  /** The file's text (node ranges are offsets into it). */
  readonly text: string;

  constructor(readonly path: string, text?: string) {
    const shown = relative(process.cwd(), path) || path;
    this.file = shown.startsWith('..') ? path : shown;
    this.text = text ?? readFileSync(path, 'utf8');
    this.doc = parseDocument(this.text, { lineCounter: this.lines, keepSourceTokens: false });
    for (const e of this.doc.errors) {
      const p = this.lines.linePos(e.pos[0]);
      this.errors.push(new SpecError(this.file, p.line, p.col, `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`));
    }
  }
  readonly file: string;

  /** The error for a node (or the file start when the node is unknown). */
  error(node: Node | null | undefined, problem: string, offset = 0): SpecError {
    const at = node?.range ? node.range[0] + offset : 0;
    const p = this.lines.linePos(at);
    return new SpecError(this.file, p.line, p.col, problem);
  }

  report(node: Node | null | undefined, problem: string, offset = 0): void {
    this.errors.push(this.error(node, problem, offset));
  }

  get root(): Node | null {
    return (this.doc.contents as Node | null) ?? null;
  }
}

/** The value node under `key` of a map node, or undefined. */
export function child(node: Node | null | undefined, key: string): Node | undefined {
  if (!node || !isMap(node)) return undefined;
  for (const pair of node.items) {
    const k = pair.key as Node | null;
    if (k && isScalar(k) && k.value === key) return (pair.value as Node | null) ?? undefined;
  }
  return undefined;
}

/** The key nodes and value nodes of a map node, in order. */
export function entries(node: Node | null | undefined): [Node, Node | undefined][] {
  if (!node || !isMap(node)) return [];
  return node.items.map((p) => [p.key as Node, (p.value as Node | null) ?? undefined]);
}

export function items(node: Node | null | undefined): Node[] {
  return node && isSeq(node) ? (node.items as Node[]) : [];
}

export function scalar(node: Node | null | undefined): unknown {
  return node && isScalar(node) ? node.value : undefined;
}

export { isMap, isSeq, isScalar };
export type { Node };
