// report.md and its charts (charts/*.png) for a run: what was run, what went
// wrong if anything did, a table per configuration and the charts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../experiments/experiment.js';
import { argString } from '../experiments/points.js';
import { isGood, type GoodPoint, type PointResult } from '../experiments/run-point.js';
import { METRICS, chartData, chartSpecs, configLabel } from './charts.js';
import type { Metric } from './chart-spec.js';
import { renderChart } from './render.js';
import { crossings, guestInstructions, hypervised, modeOf } from './vm-charts.js';
import { checksTable, evaluate, figuresTable, isFigure } from '../experiments/checks.js';

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
  const checked = exp.checks.map((c) => evaluate(c, ok));
  // the charts directory is the report's: a redraw leaves no chart of an earlier drawing behind
  rmSync(join(dir, 'charts'), { recursive: true, force: true });
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const charts = ok.length ? chartSpecs(exp.charts, ok, checked) : [];
  const crossed: string[] = [];
  for (const spec of charts) {
    const data = spec.data ?? chartData(spec, ok);
    if (spec.file.startsWith('crossover-')) {
      // where a shadow mode's line crosses stage 2's is marked on the chart and printed below
      const found = crossings(data.labels, data.datasets);
      spec.xMarks = found.map((c) => ({ i: c.i, frac: c.frac, label: `${modeOf(c.a) ?? c.a} × ${modeOf(c.b) ?? c.b}: ${c.x.toLocaleString("en-US")}` }));
      crossed.push(found.length ? `- ${spec.title}: ${found.map((c) => c.text).join('; ')}` : `- ${spec.title}: no crossing in the range swept`);
    }
    writeFileSync(join(dir, 'charts', `${spec.file}.png`), renderChart(spec, data, 'png'));
    writeFileSync(join(dir, 'charts', `${spec.file}.svg`), renderChart(spec, data, 'svg'));
  }

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
    ...(checked.length ? ['## Checks', '', `${checked.filter((c) => c.pass).length} of ${checked.filter((c) => c.pass !== null).length} checks pass` +
      `${checked.some((c) => c.pass === null && c.value !== null) ? '; the others report a figure beside its reference' : ''}.`, '',
    ...(checked.some((c) => !isFigure(c)) ? [...checksTable(checked.filter((c) => !isFigure(c))), ''] : [])] : []),
    ...(checked.some(isFigure) ? ['## Model against published figures', '',
      'Each figure of the model beside its published measurement and the ratio model / published; a figure with a tolerance passes when the ratio lies within ÷tolerance…×tolerance. ' +
      'Published figures given in ns were converted to cycles at the clock of the machine measured, as each reference says.', '',
      ...figuresTable(checked.filter(isFigure)), ''] : []),
    ...(hypervised(ok) ? overheadSection(ok, crossed) : []),
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

/** The comparison: overhead against the native twin per configuration (mean and range over seeds), exits, the vmm's share, crossings. */
function overheadSection(ok: GoodPoint[], crossed: string[]): string[] {
  const hv = ok.filter((r) => r.point.twin !== undefined);
  const metrics: Metric[] = [
    { label: 'overhead', value: (_s, r) => r.overhead ?? NaN },
    { label: 'exits per 1000 guest insns', value: (s) => (guestInstructions(s) ? (1000 * s.exits.total) / guestInstructions(s) : 0) },
    { label: 'vmm insns per exit', value: (s) => (s.exits.total ? s.instructionsByEl.el2 / s.exits.total : 0) },
    { label: 'cycles per exit', value: (s) => (s.exits.total ? (s.cyclesByEl.el2 - s.exits.beforeFirstEntry) / s.exits.total : 0) },
    { label: 'EL2 share', value: (s) => s.cyclesByEl.el2 / s.cycles },
    { label: 'stage 2 walk cycles', value: (s) => s.cyclesBy.walkS2 },
  ];
  const d = chartData({ file: '', title: '', type: 'bar', yTitle: '', series: metrics }, hv);
  const range = (label: string) => {
    const vs = hv.filter((r) => label === configLabel(r, hv)).map((r) => r.overhead ?? NaN);
    return vs.length > 1 ? ` (${num(Math.min(...vs))}–${num(Math.max(...vs))})` : '';
  };
  return [
    '## Overhead against native', '',
    'Each hypervisor point against its native twin (same workload, arguments, timing and seed): its cycles after the vmm\'s start-up ' +
      '(loading the guest, which bhyve does in the host) over the twin\'s cycles, ' +
      'the mean over seeds with their range in parentheses. Every point printed the same result line as its twin.', '',
    table(['configuration', ...metrics.map((m) => m.label)], d.labels.map((l, i) => [l, ...d.datasets.map((s, j) => (j === 0 ? num(s.data[i]!) + range(l) : metrics[j]!.label === 'EL2 share' ? `${((s.data[i] ?? 0) * 100).toFixed(1)}%` : num(s.data[i]!)))])), '',
    ...(crossed.length ? ['Crossings of the modes over the swept keys:', '', ...crossed, ''] : []),
  ];
}
