// The README documents the exit statuses of every command, and its examples
// write their files outside the repository (so running them leaves the tree clean).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');

/** The text of the README section whose heading starts with `### \`el2sim NAME`, up to the next heading of that level or above. */
function section(name: string): string {
  const start = readme.search(new RegExp(`^### \`el2sim ${name}\\b`, 'm'));
  expect(start, `README has a section for el2sim ${name}`).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + 4);
  const end = rest.search(/^#{2,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('README', () => {
  // every command of src/cli.ts that a user runs (run-point is the SLURM tasks' own)
  const commands = [...readFileSync('src/cli.ts', 'utf8').matchAll(/\.command\('([a-z-]+)'\)/g)].map((m) => m[1]).filter((c) => c !== 'run-point');

  it('documents the exit statuses of every command', () => {
    const names = new Map([['vm', 'vm run'], ['stats', 'vm run'], ['spec', 'spec list'], ['list', 'spec list']]);
    for (const c of new Set(commands.map((c) => names.get(c) ?? c))) {
      expect(section(c), `el2sim ${c}`).toMatch(/exit status/i);
    }
    expect(section('vm run')).toMatch(/vm stats FILE[\s\S]*Exit status 0; 2 when FILE cannot be read/);
  });

  it('examples write their files outside the repository', () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    const outputs = [...blocks.matchAll(/(?:\s-o|--stats|--trace|--out)\s+(\S+)/g)].map((m) => m[1]);
    expect(outputs.length).toBeGreaterThan(0);
    for (const o of outputs) expect(o, o).toMatch(/^(\/tmp\/|DIR\]?$|results\/)/); // DIR: a placeholder of a synopsis
  });
});
