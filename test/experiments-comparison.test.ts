// The comparison el2sim exists for, end to end in its quick versions: the main
// job (shadow-vs-stage2) and the validation experiment run every mode, every
// hypervisor point matches its native twin's output, the validation checks
// pass, and the charts are real pictures of the size they are drawn at.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/experiments/run.js';

const root = mkdtempSync(join(tmpdir(), 'el2sim-comparison-'));

/** Width, height and how many distinct colours a PNG has (a blank chart has one or two). */
async function picture(file: string) {
  const img = await loadImage(readFileSync(file));
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  const colours = new Set<number>();
  for (let i = 0; i < px.length; i += 4 * 97) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
  return { width: img.width, height: img.height, colours: colours.size };
}

describe('the comparison experiments (quick)', () => {
  it('shadow-vs-stage2: every workload in every mode, each against its native twin', async () => {
    const r = await runExperiment('experiments/shadow-vs-stage2.yaml', { quick: true, out: join(root, 'svs'), jobs: 2 });
    expect(r.problems).toEqual([]);
    const modes = new Set(r.results.map((p) => p.point.mode));
    expect([...modes].sort()).toEqual(['native', 'shadow-lazy', 'shadow-wp', 'stage2']);
    for (const p of r.results.filter((x) => x.point.twin)) {
      expect(p.overhead).toBeGreaterThan(0.8);
      expect(p.result).toBe(r.results.find((t) => t.id === p.point.twin)!.result);
    }
    // the shadow modes make no stage 2 walks, stage2 does
    for (const p of r.results) if (p.point.mode.startsWith('shadow')) expect(p.stats!.walks.fetchesByStage.s2).toBe(0);
    expect(r.results.some((p) => p.point.mode === 'stage2' && p.stats!.walks.fetchesByStage.s2 > 0)).toBe(true);
    expect(r.charts).toContain('charts/overhead.png');
    for (const c of r.charts) {
      const pic = await picture(join(r.dir, c));
      expect(pic.width, c).toBeGreaterThanOrEqual(900);
      expect(pic.height, c).toBeGreaterThanOrEqual(500);
      expect(pic.colours, c).toBeGreaterThan(8);
      expect(readFileSync(join(r.dir, c.replace(/\.png$/, '.svg')), 'utf8')).toMatch(/<svg/);
    }
    expect(readFileSync(join(r.dir, 'report.md'), 'utf8')).toMatch(/## Overhead against native/);
  }, 600_000);

  it('validation: the checks against the literature pass', async () => {
    const r = await runExperiment('experiments/validation.yaml', { quick: true, out: join(root, 'validation'), jobs: 2 });
    expect(r.problems).toEqual([]);
    const report = readFileSync(join(r.dir, 'report.md'), 'utf8');
    const rows = report.split('\n').filter((l) => /^\| .* \| (pass|\*\*FAIL\*\*|report|no data) \|/.test(l));
    expect(rows.length).toBe(11);
    expect(rows.filter((l) => l.includes('| pass |'))).toHaveLength(7);
    expect(rows.filter((l) => /FAIL|no data/.test(l))).toEqual([]);
  }, 600_000);
});
