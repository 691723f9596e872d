// experiments/calibration.yaml's quick version runs, and its report lists every figure of the
// experiment beside its published reference (issue 15, "How it is checked"): the model's
// number, the published one (or that none was found) and their ratio; and draws its charts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Check } from '../src/experiments/checks.js';
import { runExperiment } from '../src/experiments/run.js';

const FILE = 'experiments/calibration.yaml';

describe('calibration experiment', () => {
  it('quick: every figure is in report.md with the model\'s number, the published one and the ratio, and the charts are drawn', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'el2sim-cal-')), 'run');
    const r = await runExperiment(FILE, { out, quick: true, jobs: 2 });
    // every point ran; a figure off its published value is a finding the report shows, not a failed run
    expect(r.problems.filter((p) => !p.startsWith('check '))).toEqual([]);
    const report = readFileSync(join(r.dir, 'report.md'), 'utf8');
    const checks = (parse(readFileSync(FILE, 'utf8')) as { checks: Check[] }).checks;
    expect(checks.filter((c) => c.published !== undefined).length).toBeGreaterThanOrEqual(8);
    for (const c of checks) {
      const row = report.split('\n').find((l) => l.startsWith(`| ${c.name} | ${c.unit} |`));
      expect(row, c.name).toBeDefined();
      const [, , model, published, ratio, , , reference] = row!.split(' | ');
      expect(model, c.name).toMatch(/^\d[\d,]*(\.\d+)?$/);
      expect(reference!.replace(/ \|$/, '')).toBe(c.reference);
      if (c.published === undefined) expect(published).toBe('none found');
      else {
        expect(Number(published!.replace(/,/g, ''))).toBe(c.published);
        expect(Number(ratio)).toBeCloseTo(Number(model!.replace(/,/g, '')) / c.published, 1);
      }
    }
    expect(r.charts).toContain('charts/latency.png');
    for (const unit of ['bytes-per-cycle', 'cycles-per-4-KiB', 'cycles-per-walk']) expect(r.charts).toContain(`charts/figures-${unit}.png`);
  }, 600_000);
});
