// The memory path and the core read top-down: no import circle (type imports included, as madge
// counts them) passes through src/mmu, src/mem or src/core; nor through the experiments, the
// report or the stats and their ledger (the report reads results, the ledger books what the stats report).
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
  it('no import circle passes through the MMU, the memory or the core modules', () => {
    const bad = cycles().filter((c) => c.some((f) => f.startsWith('mmu/') || f.startsWith('mem/') || f.startsWith('core/')));
    expect(bad).toEqual([]);
  });

  it('no import circle passes through the experiments, the report, or the stats and the ledger', () => {
    const mine = (f: string) => f.startsWith('experiments/') || f.startsWith('report/') || f === 'machine/stats.ts' || f === 'machine/ledger.ts';
    expect(cycles().filter((c) => c.some(mine))).toEqual([]);
  });
});
