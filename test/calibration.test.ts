// experiments/calibration.yaml's quick version runs, and its report lists every figure of
// the experiment beside its published reference.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/experiments/run.js';

describe('calibration experiment', () => {
  it('quick: every check is in report.md with a measured figure and its reference', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'el2sim-cal-')), 'run');
    const r = await runExperiment('experiments/calibration.yaml', { out, quick: true, jobs: 2 });
    const report = readFileSync(join(r.dir, 'report.md'), 'utf8');
    const checks = (parse(readFileSync('experiments/calibration.yaml', 'utf8')) as { checks: { name: string; reference: string }[] }).checks;
    expect(checks.length).toBeGreaterThanOrEqual(7);
    for (const c of checks) {
      const row = report.split('\n').find((l) => l.startsWith(`| ${c.name} |`));
      expect(row, c.name).toBeDefined();
      expect(row).toContain(c.reference);
      expect(row).toMatch(/\| \d[\d.e+-]* \|/); // a number was measured
      expect(row).not.toContain('FAIL');
    }
  }, 300_000);
});
