// src reads top-down: no import circle anywhere (type imports included, as madge counts them),
// so the memory path, the core, the experiments and the report each depend only on what is below.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?[^;]*?from\s+'(\.[^']+)'/gm;

/** Every import circle among src's modules, each as its files from src. */
function cycles(): string[][] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(SRC);
  const graph = new Map(files.map((f) => [f, [...readFileSync(f, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')))]));
  const found: string[][] = [];
  const state = new Map<string, number>();
  const stack: string[] = [];
  const dfs = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 1) found.push(stack.slice(stack.indexOf(d)).map((x) => relative(SRC, x)));
      else if (!state.get(d)) dfs(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const f of files) if (!state.get(f)) dfs(f);
  return found;
}

describe('import structure', () => {
  it('no import circle anywhere in src (type imports included)', () => {
    expect(cycles()).toEqual([]);
  });
});
