// report.md and its charts (charts/*.png) for a run: what was run, what went
// wrong if anything did, a table per configuration and the charts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../experiments/experiment.js';
import { argString } from '../experiments/points.js';
import { isGood, type PointResult } from '../experiments/run-point.js';
import { METRICS, chartData, chartSpecs, type Metric } from './charts.js';
import { renderPng } from './render.js';

/** The table's columns: one row per configuration, seeds averaged. */
const COLUMNS: Metric[] = [
  { label: 'instructions', value: (s) => s.instructions },
  METRICS.cycles,
  { label: 'CPI', value: (s) => (s.instructions ? s.cycles / s.instructions : 0) },
  METRICS.l1dMpki,
  METRICS.l2Mpki,
  { label: 'walks', value: (s) => s.walks.count },
  METRICS.fetchesPerWalk,
  { label: 'walk cycles', value: (s) => s.cyclesBy.walkS1 + s.cyclesBy.walkS2 },
];

const num = (v: number | null) => (v === null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(v) ? 0 : 2 }));

/** A Markdown table; `numeric`: every column after the first right-aligned. */
function table(header: string[], rows: string[][], numeric = true): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i && numeric ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

export interface ReportInput { exp: Experiment; results: PointResult[]; problems: string[]; provenance: { revision: string | null; dirty: boolean | null } }

/** Writes charts/*.png and report.md into `dir`; returns the chart files written. */
export function writeReport(dir: string, { exp, results, problems, provenance }: ReportInput): string[] {
  const ok = results.filter(isGood);
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const charts = ok.length ? chartSpecs(exp.charts, ok) : [];
  for (const spec of charts) writeFileSync(join(dir, 'charts', `${spec.file}.png`), renderPng(spec, chartData(spec, ok)));

  const summary = chartData({ file: '', title: '', type: 'bar', yTitle: '', series: COLUMNS }, ok);
  const outputs = new Map(ok.map((r) => [`${r.point.workload} ${argString(r.point.args)}`, r.result ?? '']));
  const seeds = exp.repeat > 1 ? ` (means of seeds 1..${exp.repeat})` : '';
  const md = [
    `# ${exp.name}`, '',
    exp.description, '',
    `${results.length} points: workloads ${exp.workloads.map((w) => w.label).join(', ')}; modes ${exp.modes.join(', ')}; ` +
      `${exp.sweep.length ? `sweep ${exp.sweep.map(([k, vs]) => `${k} ∈ {${vs.join(', ')}}`).join(' × ')}; ` : ''}seeds 1..${exp.repeat}; ` +
      `timing ${exp.timing}${exp.set.length ? ` with ${exp.set.map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}${exp.quick ? '; quick run (--quick)' : ''}.`,
    `Source revision ${provenance.revision ?? 'unknown'}${provenance.dirty ? ' (with uncommitted changes)' : ''}; everything else in provenance.json.`, '',
    ...(problems.length ? ['## Problems', '', ...problems.map((p) => `- ${p}`), ''] : []),
    `## Results${seeds}`, '',
    table(['configuration', ...COLUMNS.map((c) => c.label)], summary.labels.map((l, i) => [l, ...summary.datasets.map((d) => num(d.data[i]))])), '',
    '## Workload output', '',
    'Each workload prints a result line that depends only on its arguments; every point with the same arguments printed the same line' +
      (problems.some((p) => p.includes('result differs')) ? ' — except those listed under Problems.' : '.'), '',
    table(['workload and arguments', 'result line'], [...outputs].map(([k, v]) => [`\`${k}\``, `\`${v}\``]), false), '',
    '## Charts', '',
    ...charts.flatMap((c) => [`### ${c.title}`, '', `![${c.title}](charts/${c.file}.png)`, '']),
  ].join('\n');
  writeFileSync(join(dir, 'report.md'), md);
  return charts.map((c) => `charts/${c.file}.png`);
}
